export { deliver, createDeliveryAgent, isForwardedHeader, wireRequest, type OutboundRequest, type DeliveryResult, type DeliverOptions } from "./deliver.js";
export { resolveTarget, joinTarget, sendUrlFor, targetKeepsOwnPath, hasDotSegment } from "./target.js";
export { sentRequestOf } from "./sent-request.js";
export { attemptRecordOf, type AttemptOrigin } from "./attempt-record.js";
