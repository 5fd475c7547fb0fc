export { startCaptureServer, type CaptureServer, type CaptureOptions, type CaptureNotice, type CapturedEventNotice } from "./capture-server.js";
