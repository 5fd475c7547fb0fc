export { EventStore, type EventSummary, type ListenRun, type PruneResult, type StoreOptions, type EventPage, type PageCursor, type ChangeCursor } from "./event-store.js";
export { defaultDatabasePath } from "./default-path.js";
