export {
  startCaptureServer,
  capturedEventOf,
  forwardEvent,
  secretHeaderNames,
  toNotice,
  type CaptureServer,
  type CaptureOptions,
  type CaptureNotice,
  type CapturedEventNotice,
  type EventOrigin,
  type ForwardContext,
  type VerifyDecision,
} from "./capture-server.js";
export { createRouter, type Route, type RouteChoice, type Routing } from "./routing.js";
