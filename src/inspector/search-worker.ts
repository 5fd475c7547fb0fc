import { parentPort, workerData } from "node:worker_threads";
import type { EventFilter } from "../core/event-filter.js";
import { EventStore, type PageCursor } from "../store/index.js";

// Text search reads every body it has to (about a second for 100,000 events of 2 KB): it runs here, on its own
// thread and its own read-only connection, so that `listen --ui` keeps capturing while a page searches.
const { file } = workerData as { file: string };
const store = new EventStore(file, { readonly: true });

export interface SearchRequest {
  id: number;
  filter: EventFilter;
  q: string;
  after: PageCursor | undefined;
}

parentPort?.on("message", (message: SearchRequest | "stop") => {
  if (message === "stop") {
    store.close();
    parentPort?.close();
    return;
  }
  try {
    parentPort?.postMessage({ id: message.id, page: store.listEventsPage(message.filter, { q: message.q, after: message.after }) });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
