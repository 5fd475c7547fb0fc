export { startCaptureServer, type CaptureServer } from "./capture-server.js";
export { type CaptureOptions } from "./capture-request.js";
export {
  capturedEventOf,
  secretHeaderNames,
  toNotice,
  type CaptureNotice,
  type CapturedEventNotice,
  type EventOrigin,
  type VerifyDecision,
} from "./captured-event.js";
export { forwardEvent, type ForwardContext } from "./forward-event.js";
export { createRouter, type Route, type RouteChoice, type Routing } from "./routing.js";
