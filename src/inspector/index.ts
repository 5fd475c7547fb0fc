export { startInspector, DEFAULT_INSPECTOR_PORT, type Inspector, type InspectorOptions } from "./server.js";
export type { SigningContext } from "./replay-request.js";
export type { RecentStore } from "./api-routes.js";
export { RunBoard, type RunStatus } from "./run-status.js";
export { storeToken, tokenFileOf, type StoreToken } from "./access-token.js";
