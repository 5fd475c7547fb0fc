export { EventStore, type EventSummary, type PruneResult } from "./event-store.js";
export { defaultDatabasePath } from "./default-path.js";
