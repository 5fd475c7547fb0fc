import { Worker } from "node:worker_threads";
import { HooktapeError } from "../core/errors.js";
import type { EventFilter } from "../core/event-filter.js";
import type { EventPage, PageCursor } from "../store/index.js";
import type { SearchRequest } from "./search-worker.js";

type Answer = { id: number; page: EventPage } | { id: number; error: string };

/** Pages of a text search, computed on a worker thread (started on the first search). */
export class Searcher {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (page: EventPage) => void; reject: (error: Error) => void }>();

  constructor(private readonly file: string) {}

  page(filter: EventFilter, q: string, after: PageCursor | undefined): Promise<EventPage> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const request: SearchRequest = { id, filter, q, after };
      worker.postMessage(request);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("./search-worker.js", import.meta.url), { workerData: { file: this.file } });
    worker.unref();
    worker.on("message", (answer: Answer) => {
      const waiter = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      if (!waiter) return;
      if ("page" in answer) waiter.resolve(answer.page);
      else waiter.reject(new HooktapeError("environment", `search failed: ${answer.error}`));
    });
    const fail = (error: Error) => {
      for (const waiter of this.waiting.values()) waiter.reject(new HooktapeError("environment", `search failed: ${error.message}`));
      this.waiting.clear();
      this.worker = null;
    };
    worker.on("error", fail);
    worker.on("exit", () => fail(new Error("the search thread stopped")));
    this.worker = worker;
    return worker;
  }

  close(): void {
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      worker.removeAllListeners("exit");
      worker.postMessage("stop");
    }
  }
}
