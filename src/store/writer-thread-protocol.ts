import type { CapturedEvent, DeliveryAttempt, HeaderPairs } from "../core/types.js";

/** What the writer thread is started with. */
export interface WriterThreadData {
  file: string;
  /** Capture mode: how long a write may wait for a locked database (null: SQLite's own busy wait). */
  commitTimeoutMs: number | null;
  /** Checkpoints run on their own thread: the writer's automatic checkpoint is only a backstop. */
  backgroundCheckpoints: boolean;
  /** Set to 1 (and notified) once the writer has committed what it was given and closed its connection. */
  closed: Int32Array;
  /** The ring the capture thread copies bodies into (body-arena.ts). */
  arena: SharedArrayBuffer;
}

/**
 * One write as it crosses to the writer thread, without its bytes: those are at `[bytesAt, bytesAt + bytesLength)`
 * of the batch's `bytes`, or of the shared arena when the batch has none. `seq` is how its acknowledgement finds it; `deadline` (unix ms, null: none) is when it
 * fails if the database is still locked.
 */
export type PostedWrite = { seq: number; deadline: number | null; bytesAt: number; bytesLength: number } & (
  | { kind: "event"; event: Omit<CapturedEvent, "body"> }
  | {
      kind: "attempt";
      /** The request's body, when it is not the event's, follows the response body: `requestBodyLength` bytes. */
      attempt: Omit<DeliveryAttempt, "responseBody" | "request"> & { request: { headers: HeaderPairs; requestBodyLength: number | null } | null };
    }
);

/**
 * A batch of writes is one JSON text; the bodies are in the shared arena, or, when they did not fit there, in one
 * transferred buffer. V8's structured clone of the same objects cost the capture thread as much as the SQLite work
 * it was meant to take away (measured: postMessage 18% of the capture thread's busy time with objects, against the
 * inline commit's 19%).
 */
export type ToWriter = { type: "writes"; writes: string; bytes: ArrayBuffer | null } | { type: "give-up" } | { type: "close" };

/** A failed write's error, as it crosses the thread boundary (an Error's class does not). */
export interface PostedError {
  message: string;
  code: string | null;
  /** It was a HooktapeError with this code. */
  hooktape: boolean;
}

/** Acknowledgements, as one JSON text: `committed`, the seqs of the writes now in the file. */
export interface Acks {
  committed: number[];
  failed: Array<{ seq: number; error: PostedError }>;
}
