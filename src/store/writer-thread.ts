import { Worker } from "node:worker_threads";
import { HooktapeError, type ErrorCode } from "../core/errors.js";
import { RESPONSE_BODY_CAP, type WriteRequest } from "./event-writer.js";
import { BodyArena, type ArenaBatch } from "./body-arena.js";
import type { Acks, PostedError, PostedWrite, ToWriter, WriterThreadData } from "./writer-thread-protocol.js";

/** How long `close()` waits for the writer to commit what it was given and close its connection. */
const CLOSE_WAIT_MS = 5_000;

/**
 * A write the writer has not acknowledged this long after its deadline fails here (the writer fails its own at the
 * deadline; this covers a writer that is alive but stuck), so that no sender waits without end.
 */
const UNANSWERED_GRACE_MS = 2_000;

/** The shared ring for bodies: room for a few thousand 2 KB bodies in flight; larger batches are transferred. */
const ARENA_BYTES = 4 * 1024 * 1024;

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
  deadline: number | null;
  /** Sent to the writer (not still in the outbox). */
  posted: boolean;
  /** Where its body is held in the arena until it is acknowledged. */
  batch: ArenaBatch | null;
}

/**
 * The capture thread's side of the writer thread (writer-thread-worker.ts). Writes queued during one event-loop
 * turn are posted in one message, their bodies copied once into memory shared with the writer (body-arena.ts); each
 * write's promise settles when the writer acknowledges its commit. If the thread dies, every write it had not
 * acknowledged fails (its sender gets a 503; nothing acknowledged is lost) and the next write starts a new one.
 */
export class WriterThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  /** Writes of this turn, not yet posted. */
  private outbox: Array<{ seq: number; deadline: number | null; write: WriteRequest }> = [];
  private nextSeq = 1;
  private closed = false;
  private readonly closedFlag = new Int32Array(new SharedArrayBuffer(4));
  private readonly arena = new BodyArena(ARENA_BYTES);
  private watchdog: NodeJS.Timeout | null = null;
  /** Posted writes the writer has not acknowledged yet. */
  private unacknowledged = 0;

  /** `script`: the thread's entry (tests wrap the real one to inject a crash); the writer beside this file by default. */
  constructor(
    private readonly options: { file: string; commitTimeoutMs: number | null; backgroundCheckpoints: boolean },
    private readonly script = new URL("./writer-thread-worker.js", import.meta.url),
  ) {
    this.start();
  }

  enqueue(write: WriteRequest): Promise<void> {
    if (this.closed) return Promise.reject(new HooktapeError("environment", `the store ${this.options.file} is closed`));
    if (this.worker === null) this.start();
    const seq = this.nextSeq++;
    const deadline = this.options.commitTimeoutMs === null ? null : Date.now() + this.options.commitTimeoutMs;
    return new Promise<void>((resolve, reject) => {
      // While the writer works on a batch, what arrives waits here and goes as the next batch when it acknowledges:
      // one message per commit at saturation, not one per event-loop turn.
      if (this.outbox.length === 0 && this.unacknowledged === 0) setImmediate(() => this.post());
      if (this.pending.size === 0) {
        this.worker?.ref();
        this.watchUnanswered();
      }
      this.pending.set(seq, { resolve, reject, deadline, posted: false, batch: null });
      this.outbox.push({ seq, deadline, write });
    });
  }

  /** Shutting down: writes waiting for a locked database fail now (see EventWriter.giveUpWaiting). */
  giveUpWaiting(): void {
    this.post();
    this.send({ type: "give-up" });
  }

  /**
   * Posts what is queued, asks the writer to commit it and close its connection, and waits (bounded) until it has:
   * the caller's own connection then checkpoints a WAL that no other connection of this process writes to.
   */
  close(): void {
    if (this.closed) return;
    this.post();
    this.closed = true;
    if (this.worker === null) return;
    this.send({ type: "close" });
    Atomics.wait(this.closedFlag, 0, 0, CLOSE_WAIT_MS);
  }

  private start(): void {
    Atomics.store(this.closedFlag, 0, 0);
    const data: WriterThreadData = { ...this.options, closed: this.closedFlag, arena: this.arena.shared };
    const worker = new Worker(this.script, { workerData: data });
    this.worker = worker;
    worker.unref();
    let failure: string | null = null;
    worker.on("message", (message: string) => this.acknowledged(JSON.parse(message) as Acks));
    worker.on("error", (error) => {
      failure = error.message;
    });
    worker.once("exit", (code) => {
      if (this.worker === worker) this.worker = null;
      const reason = this.closed
        ? `the store ${this.options.file} is closed`
        : `the store's writer thread stopped (${failure ?? `exit code ${code}`}); the write was not recorded`;
      this.failAll(new HooktapeError("environment", reason));
    });
  }

  /** Everything not acknowledged fails: posted or not, it is not known to be committed. */
  private failAll(error: Error): void {
    this.outbox = [];
    this.unacknowledged = 0;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    this.arena.reset();
    for (const write of waiting) write.reject(error);
  }

  /**
   * Posts the waiting writes in one message: their fields as one JSON text, their bodies copied once, side by side,
   * into the shared arena (or, when it has no room, into one buffer that is transferred). A body Buffer is often a
   * view of a larger shared block (Node's pool, a socket read): cloning it would copy the whole block, transferring
   * it would take the block from its other users, and the capture thread still forwards the body it has.
   */
  private post(): void {
    const outbox = this.outbox;
    if (outbox.length === 0) return;
    this.outbox = [];
    const bodies = outbox.map(({ write }) => {
      if (write.kind === "event") return write.event.body;
      const sentBody = write.attempt.request?.body;
      const response = cappedResponse(write.attempt.responseBody);
      // A changed request body (never on a forward) travels right after the response body.
      return sentBody == null ? response : Buffer.concat([response, sentBody]);
    });
    let offsets: number[];
    let bytes: Uint8Array<ArrayBuffer> | null = null;
    const placed = this.arena.place(bodies);
    for (const { seq } of outbox) {
      const pending = this.pending.get(seq);
      if (pending === undefined) continue;
      pending.posted = true;
      pending.batch = placed?.batch ?? null;
      this.unacknowledged++;
    }
    if (placed !== null) {
      offsets = placed.offsets;
    } else {
      // Too large for the ring's free space now: one buffer of its own, transferred.
      bytes = new Uint8Array(bodies.reduce((total, body) => total + body.length, 0));
      offsets = [];
      let at = 0;
      for (const body of bodies) {
        offsets.push(at);
        bytes.set(body, at);
        at += body.length;
      }
    }
    const writes: PostedWrite[] = outbox.map(({ seq, deadline, write }, i) => {
      const bytesAt = offsets[i] ?? 0;
      const bytesLength = (bodies[i] as Buffer).length;
      if (write.kind === "event") {
        const { body: _bytes, ...event } = write.event;
        return { seq, deadline, bytesAt, bytesLength, kind: "event", event };
      }
      const { responseBody: _bytes, request, ...fields } = write.attempt;
      const requestBodyLength = request?.body?.length ?? null;
      const attempt = { ...fields, request: request === null ? null : { headers: request.headers, requestBodyLength } };
      return { seq, deadline, bytesAt, bytesLength: bytesLength - (requestBodyLength ?? 0), kind: "attempt", attempt };
    });
    const message: ToWriter = { type: "writes", writes: JSON.stringify(writes), bytes: bytes?.buffer ?? null };
    this.worker?.postMessage(message, bytes === null ? [] : [bytes.buffer]);
  }

  private send(message: ToWriter): void {
    this.worker?.postMessage(message);
  }

  private acknowledged(acks: Acks): void {
    for (const seq of acks.committed) this.take(seq)?.resolve();
    for (const { seq, error } of acks.failed) this.take(seq)?.reject(revivedError(error));
    if (this.pending.size === 0) this.worker?.unref();
    this.post();
  }

  /** While writes are pending: once a second, fail those past their deadline plus the grace (oldest come first). */
  private watchUnanswered(): void {
    if (this.watchdog !== null || this.options.commitTimeoutMs === null) return;
    this.watchdog = setInterval(() => {
      const now = Date.now();
      for (const [seq, write] of this.pending) {
        if (write.deadline === null || now < write.deadline + UNANSWERED_GRACE_MS) break;
        this.take(seq);
        write.reject(new HooktapeError("environment", `the store's writer thread did not answer within ${this.options.commitTimeoutMs} ms; the write may not be recorded`));
      }
      if (this.unacknowledged === 0) this.post();
      if (this.pending.size === 0 && this.watchdog !== null) {
        clearInterval(this.watchdog);
        this.watchdog = null;
      }
    }, 1_000);
    this.watchdog.unref();
  }

  /** The acknowledged write, no longer pending, its arena space given back. */
  private take(seq: number): Pending | undefined {
    const write = this.pending.get(seq);
    if (write === undefined) return undefined;
    this.pending.delete(seq);
    if (write.posted) this.unacknowledged--;
    write.batch?.release();
    return write;
  }
}

/** Responses are kept for reading, not archiving: only what the store keeps crosses to the writer. */
function cappedResponse(body: Buffer): Buffer {
  return body.length > RESPONSE_BODY_CAP ? body.subarray(0, RESPONSE_BODY_CAP) : body;
}

function revivedError(posted: PostedError): Error {
  if (posted.hooktape) return new HooktapeError(posted.code as ErrorCode, posted.message);
  return Object.assign(new Error(posted.message), posted.code === null ? {} : { code: posted.code });
}
