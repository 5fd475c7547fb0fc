import type { ServerResponse } from "node:http";
import { summaryJson } from "../documents/index.js";
import type { ChangeCursor, EventStore, EventSummary } from "../store/index.js";
import type { RunBoard, RunStatus } from "./run-status.js";

/** How often the store is asked whether anything was committed (one `PRAGMA data_version`). */
const POLL_MS = 150;
/** A comment line every 15 s keeps proxies and the browser from closing a quiet stream. */
const PING_MS = 15_000;
/** A reconnecting page is caught up with at most this many changed events; it reloads its list for more. */
const BACKFILL_LIMIT = 1000;

/** `<events row id>.<deliveries row id>`: the SSE id, so that `Last-Event-ID` says what a page has seen. */
export function formatCursor(cursor: ChangeCursor): string {
  return `${cursor.events}.${cursor.deliveries}`;
}

export function parseCursor(text: string | undefined): ChangeCursor | null {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(text?.trim() ?? "");
  return match ? { events: Number(match[1]), deliveries: Number(match[2]) } : null;
}

/** One SSE message per new or changed event: its `events list --json` summary and how often it was replayed. */
function message(event: EventSummary & { replays: number }, cursor: ChangeCursor): string {
  return `id: ${formatCursor(cursor)}\nevent: event\ndata: ${JSON.stringify({ event: summaryJson(event), replays: event.replays })}\n\n`;
}

/** The run's state (capture URL, tunnel, target): sent when a page connects and whenever it changes. */
function runMessage(status: RunStatus): string {
  return `event: run\ndata: ${JSON.stringify(status)}\n\n`;
}

/**
 * Server-Sent Events over the store. Rows another connection commits (the capture server in this process, or
 * another `hooktape listen` writing into the same file) change SQLite's `data_version`; polling that is cheap.
 * Changes this connection makes itself (a replay from the page) call `poke()`.
 */
export class ChangeFeed {
  private readonly clients = new Set<ServerResponse>();
  private cursor: ChangeCursor;
  private version: number;
  private dirty = false;
  private readonly poller: NodeJS.Timeout;
  private readonly pinger: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: EventStore,
    private readonly run: RunBoard | null = null,
  ) {
    this.cursor = store.changeCursor();
    this.version = store.dataVersion();
    this.poller = setInterval(() => this.check(), POLL_MS);
    this.pinger = setInterval(() => this.broadcast(": ping\n\n"), PING_MS);
    this.poller.unref();
    this.pinger.unref();
    this.unsubscribe = run?.subscribe((status) => this.broadcast(runMessage(status))) ?? (() => {});
  }

  /** Opens a stream; with a `Last-Event-ID`, first sends what changed since then. */
  attach(response: ServerResponse, lastEventId: string | undefined): void {
    response.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", Connection: "keep-alive" });
    const since = parseCursor(lastEventId);
    let head = "retry: 2000\n\n";
    if (since) {
      const { events, cursor } = this.store.changesSince(since, BACKFILL_LIMIT);
      const last = events.length > 0 ? cursor : since;
      head += events.map((event) => message(event, last)).join("");
    }
    // The id the page resumes from if it reconnects before anything new arrives.
    head += `id: ${formatCursor(since ? this.laterOf(since) : this.cursor)}\nevent: ready\ndata: {}\n\n`;
    if (this.run) head += runMessage(this.run.current);
    response.write(head);
    this.clients.add(response);
    response.on("close", () => this.clients.delete(response));
  }

  /** This connection wrote (a replay): look now rather than wait for data_version, which only others move. */
  poke(): void {
    this.dirty = true;
    setImmediate(() => this.check());
  }

  private laterOf(cursor: ChangeCursor): ChangeCursor {
    return { events: Math.max(cursor.events, this.cursor.events), deliveries: Math.max(cursor.deliveries, this.cursor.deliveries) };
  }

  private check(): void {
    let version: number;
    try {
      version = this.store.dataVersion();
    } catch {
      return; // closed
    }
    if (version === this.version && !this.dirty) return;
    this.version = version;
    this.dirty = false;
    if (this.clients.size === 0) {
      this.cursor = this.store.changeCursor();
      return;
    }
    // Bounded: each round moves the cursor forward by up to BACKFILL_LIMIT row ids; stop when it no longer moves.
    for (let round = 0; round < 100; round++) {
      const before = this.cursor;
      const { events, cursor } = this.store.changesSince(before, BACKFILL_LIMIT);
      this.cursor = cursor;
      if (events.length > 0) this.broadcast(events.map((event) => message(event, cursor)).join(""));
      if (cursor.events === before.events && cursor.deliveries === before.deliveries) break;
    }
  }

  private broadcast(text: string): void {
    for (const client of this.clients) client.write(text);
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.poller);
    clearInterval(this.pinger);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}
