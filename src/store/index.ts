export { EventStore, type EventSummary, type PruneResult, type StoreOptions } from "./event-store.js";
export { defaultDatabasePath } from "./default-path.js";
