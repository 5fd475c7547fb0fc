export { startInspector, DEFAULT_INSPECTOR_PORT, type Inspector, type InspectorOptions } from "./server.js";
export type { SigningContext } from "./replay-request.js";
