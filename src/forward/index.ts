export { deliver, createDeliveryAgent, isForwardedHeader, wireRequest, type OutboundRequest, type DeliveryResult, type DeliverOptions } from "./deliver.js";
export { resolveTarget, joinTarget } from "./target.js";
