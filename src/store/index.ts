export { EventStore, type EventSummary, type EventPage, type PageCursor, type ChangeCursor } from "./event-store.js";
export { defaultDatabasePath } from "./default-path.js";
