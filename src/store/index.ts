export { EventStore, type EventSummary } from "./event-store.js";
export { defaultDatabasePath } from "./default-path.js";
