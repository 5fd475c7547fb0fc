import { parentPort, workerData } from "node:worker_threads";
import { HooktapeError } from "../core/errors.js";
import { CAPTURE_BUSY_TIMEOUT_MS, EventWriter, type WriteRequest } from "./event-writer.js";
import { openDatabase } from "./open-database.js";
import type { Acks, PostedError, PostedWrite, ToWriter, WriterThreadData } from "./writer-thread-protocol.js";

// The store's writer on its own thread, with its own connection: the group commit, SQLite's inserts and commits and
// the WAL backstop checkpoint run here, so that the capture thread only posts events and reads acknowledgements.
const { file, commitTimeoutMs, backgroundCheckpoints, closed, arena } = workerData as WriterThreadData;
const port = parentPort;
if (port === null) throw new Error("writer-thread-worker.js runs as a worker thread only");

const db = openDatabase(file);
// Never a synchronous wait of seconds: a locked database is retried from this thread's loop until each deadline.
if (commitTimeoutMs !== null) db.pragma(`busy_timeout = ${CAPTURE_BUSY_TIMEOUT_MS}`);
if (backgroundCheckpoints) db.pragma("wal_autocheckpoint = 16384");
const writer = new EventWriter(db, file, commitTimeoutMs);

/**
 * Acknowledgements of one commit go back in one message. A commit settles its writes one after another and their
 * reactions are queued as it does, so a microtask queued by the first reaction runs after the last one.
 */
let committed: number[] = [];
let failed: Array<{ seq: number; error: PostedError }> = [];
function acknowledge(seq: number, error: unknown): void {
  if (committed.length === 0 && failed.length === 0) queueMicrotask(sendAcks);
  if (error === null) committed.push(seq);
  else failed.push({ seq, error: postedError(error) });
}
function sendAcks(): void {
  if (committed.length === 0 && failed.length === 0) return;
  const acks: Acks = { committed, failed };
  committed = [];
  failed = [];
  port?.postMessage(JSON.stringify(acks));
}

port.on("message", (message: ToWriter) => {
  if (message.type === "writes") {
    for (const posted of JSON.parse(message.writes) as PostedWrite[]) {
      writer.enqueue(revive(posted, message.bytes ?? arena), posted.deadline ?? Infinity).then(
        () => acknowledge(posted.seq, null),
        (error: unknown) => acknowledge(posted.seq, error),
      );
    }
  } else if (message.type === "give-up") {
    writer.giveUpWaiting();
  } else {
    writer.giveUpWaiting();
    writer.flush();
    // After the settled writes' acknowledgements are queued (promise reactions run before the next turn).
    setImmediate(() => {
      sendAcks();
      db.close();
      Atomics.store(closed, 0, 1);
      Atomics.notify(closed, 0);
      port.close();
    });
  }
});

/** A write with its bytes again: a view of the arena or of the batch's transferred buffer, not a copy. */
function revive(posted: PostedWrite, bytes: ArrayBuffer | SharedArrayBuffer): WriteRequest {
  const body = Buffer.from(bytes, posted.bytesAt, posted.bytesLength);
  if (posted.kind === "event") return { kind: "event", event: { ...posted.event, body } };
  const { request, ...attempt } = posted.attempt;
  const sentBody =
    request?.requestBodyLength == null ? null : Buffer.from(bytes, posted.bytesAt + posted.bytesLength, request.requestBodyLength);
  return {
    kind: "attempt",
    attempt: { ...attempt, responseBody: body, request: request === null ? null : { headers: request.headers, body: sentBody } },
  };
}

function postedError(error: unknown): PostedError {
  if (error instanceof HooktapeError) return { message: error.message, code: error.code, hooktape: true };
  const code = (error as { code?: unknown } | null)?.code;
  return { message: error instanceof Error ? error.message : String(error), code: typeof code === "string" ? code : null, hooktape: false };
}
