import type { Statement, Transaction } from "better-sqlite3";
import { HooktapeError } from "../core/errors.js";
import type { CapturedEvent, DeliveryAttempt, HeaderPairs } from "../core/types.js";
import type { SqliteDatabase } from "./open-database.js";
import { encodeSentHeaders } from "./sent-headers.js";

/** How much of a handler's response body is kept per attempt. */
export const RESPONSE_BODY_CAP = 64 * 1024;

/** Events whose headers are kept at hand to encode their attempts' requests against (a forward follows its event). */
const HEADERS_KEPT = 2048;

/** How long one commit attempt may wait for another connection's lock, synchronously, in capture mode. */
export const CAPTURE_BUSY_TIMEOUT_MS = 10;

export type WriteRequest = { kind: "event"; event: CapturedEvent } | { kind: "attempt"; attempt: DeliveryAttempt };
type QueuedWrite = WriteRequest & { settle: (error: unknown) => void; deadline: number };

/**
 * One connection's writes: the rows of an event or a delivery attempt, committed at once (`insertEvent`) or by
 * group commit (`enqueue`), on the thread that owns the connection.
 */
export class EventWriter {
  private readonly insertEventStatement: Statement;
  private readonly insertBodyStatement: Statement<[number | bigint, Buffer]>;
  private readonly insertAttemptStatement: Statement;
  private readonly updateLatestStatement: Statement;
  private readonly eventHeadersStatement: Statement<[string], string>;
  /** The headers of recently written (or read) events, oldest first: what their attempts' requests are encoded against. */
  private readonly recentHeaders = new Map<string, HeaderPairs | null>();
  private readonly writeEvent: (event: CapturedEvent) => void;
  private readonly writeAttempts: (attempts: readonly DeliveryAttempt[]) => void;
  private readonly writeQueued: Transaction<(writes: readonly QueuedWrite[]) => void>;
  /** Writes waiting for the group commit at the end of this event-loop turn. */
  private queue: QueuedWrite[] = [];
  private retryTimer: NodeJS.Timeout | null = null;
  private busyBackoffMs = 0;
  private closing = false;

  /**
   * `commitTimeoutMs`: capture mode — the connection waits a few ms at most inside SQLite and a locked database is
   * retried from the event loop, each write failing at its deadline; null: SQLite's own busy wait.
   */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly file: string,
    private readonly commitTimeoutMs: number | null,
  ) {
    this.insertEventStatement = db.prepare(`
      INSERT INTO events (id, received_at, method, url, path, headers, body_size, body_sha256, remote_address,
        via, public_url, provider, event_type, verification_status, verification_reason, verification_hint, rejected, target,
        not_forwarded)
      VALUES (@id, @receivedAt, @method, @url, @path, @headers, @bodySize, @bodySha256, @remoteAddress,
        @via, @publicUrl, @provider, @eventType, @verificationStatus, @verificationReason, @verificationHint, @rejected, @target,
        @notForwarded)`);
    this.insertBodyStatement = db.prepare(`INSERT INTO event_bodies (event_seq, body) VALUES (?, ?)`);
    this.insertAttemptStatement = db.prepare(`
      INSERT INTO deliveries (event_id, kind, delivery_id, attempt, target, method, status, error, duration_ms,
        started_at, planned_at, response_headers, response_body, response_size, request_headers, request_body)
      VALUES (@eventId, @kind, @deliveryId, @attempt, @target, @method, @status, @error, @durationMs,
        @startedAt, @plannedAt, @responseHeaders, @responseBody, @responseSize, @requestHeaders, @requestBody)`);
    this.eventHeadersStatement = db.prepare<[string], string>(`SELECT headers FROM events WHERE id = ?`).pluck();
    this.updateLatestStatement = db.prepare(`
      UPDATE events SET last_status = @status, last_error = @error, last_duration_ms = @durationMs,
        last_attempt_at = @startedAt, last_kind = @kind
      WHERE id = @eventId AND (last_attempt_at IS NULL OR last_attempt_at <= @startedAt)`);
    // Transaction wrappers are built once: better-sqlite3 makes a new function per db.transaction() call.
    this.writeEvent = db.transaction((event: CapturedEvent) => this.insertEventRows(event));
    this.writeAttempts = db.transaction((attempts: readonly DeliveryAttempt[]) => {
      for (const attempt of attempts) this.insertAttemptRows(attempt);
    });
    this.writeQueued = db.transaction((writes: readonly QueuedWrite[]) => {
      for (const write of writes) {
        if (write.kind === "event") this.insertEventRows(write.event);
        else this.insertAttemptRows(write.attempt);
      }
    });
  }

  /** Commits the event now; returns once it is in the file. */
  insertEvent(event: CapturedEvent): void {
    this.writeEvent(event);
  }

  /** Records several attempts in one transaction. */
  insertAttempts(attempts: readonly DeliveryAttempt[]): void {
    this.writeAttempts(attempts);
  }

  /**
   * Group commit: queues the write and resolves once it is committed. Everything queued during one event-loop turn
   * is written in one transaction. `deadline` (unix ms): in capture mode, when a write still waiting for a locked
   * database fails.
   */
  enqueue(write: WriteRequest, deadline = this.deadlineFromNow()): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.queue.length === 0 && this.retryTimer === null) setImmediate(() => this.flush());
      this.queue.push({ ...write, deadline, settle: (error: unknown) => (error ? reject(error) : resolve()) });
    });
  }

  deadlineFromNow(): number {
    return this.commitTimeoutMs === null ? Infinity : Date.now() + this.commitTimeoutMs;
  }

  /** Commits what is queued now (closing: whatever waits for a lock fails at once). */
  flush(): void {
    this.retryTimer = null;
    const writes = this.queue;
    this.queue = [];
    if (writes.length === 0) return;
    try {
      if (!this.db.open) throw new TypeError("The database connection is not open");
      // BEGIN IMMEDIATE: the write lock is taken first, so a locked database fails before any row is written.
      this.writeQueued.immediate(writes);
      this.busyBackoffMs = 0;
      for (const write of writes) write.settle(null);
    } catch (batchError) {
      if (isBusy(batchError) && this.commitTimeoutMs !== null) {
        this.retryLater(writes);
        return;
      }
      // One bad write must not fail its neighbours: retry each alone and report each its own outcome.
      for (const write of writes) {
        try {
          if (!this.db.open) throw batchError;
          if (write.kind === "event") this.writeEvent(write.event);
          else this.writeAttempts([write.attempt]);
          write.settle(null);
        } catch (error) {
          write.settle(error);
        }
      }
    }
  }

  /**
   * The database is locked by another connection: the batch waits on the event loop (backing off up to 250 ms),
   * joined by whatever arrives meanwhile; a write past its deadline fails, so that its sender gets a 503.
   */
  private retryLater(writes: readonly QueuedWrite[]): void {
    const now = Date.now();
    const waiting: QueuedWrite[] = [];
    for (const write of writes) {
      if (this.closing || now >= write.deadline) {
        write.settle(
          new HooktapeError("environment", `the database ${this.file} is locked by another connection; gave up after ${this.commitTimeoutMs} ms`),
        );
      } else waiting.push(write);
    }
    this.queue = [...waiting, ...this.queue];
    if (this.queue.length === 0) return;
    this.busyBackoffMs = Math.min(250, Math.max(5, this.busyBackoffMs * 2));
    this.retryTimer = setTimeout(() => this.flush(), this.busyBackoffMs);
  }

  /**
   * Shutting down: writes waiting for a locked database fail now rather than at their deadline. New writes are still
   * committed when the lock allows.
   */
  giveUpWaiting(): void {
    this.closing = true;
    if (this.retryTimer === null) return;
    clearTimeout(this.retryTimer);
    this.flush();
  }

  private insertEventRows(event: CapturedEvent): void {
    const { lastInsertRowid } = this.insertEventStatement.run({
      id: event.id,
      receivedAt: event.receivedAt,
      method: event.method,
      url: event.url,
      path: pathOf(event.url),
      headers: JSON.stringify(event.headers),
      bodySize: event.bodySize,
      bodySha256: event.bodySha256,
      remoteAddress: event.remoteAddress,
      via: event.via,
      publicUrl: event.publicUrl,
      provider: event.provider,
      eventType: event.eventType,
      verificationStatus: event.verification.status,
      verificationReason: event.verification.reason,
      verificationHint: event.verification.hint ?? null,
      rejected: event.rejected,
      target: event.target,
      notForwarded: event.notForwarded,
    });
    if (!event.rejected) this.insertBodyStatement.run(lastInsertRowid, event.body);
    this.keepHeaders(event.id, event.headers);
  }

  private keepHeaders(eventId: string, headers: HeaderPairs | null): void {
    this.recentHeaders.set(eventId, headers);
    if (this.recentHeaders.size > HEADERS_KEPT) this.recentHeaders.delete(this.recentHeaders.keys().next().value as string);
  }

  /** The event's stored headers, to encode an attempt's request against; null when the event is not in the store. */
  private eventHeaders(eventId: string): HeaderPairs | null {
    const kept = this.recentHeaders.get(eventId);
    if (kept !== undefined) return kept;
    const text = this.eventHeadersStatement.get(eventId);
    const headers = text === undefined ? null : (JSON.parse(text) as HeaderPairs);
    this.keepHeaders(eventId, headers);
    return headers;
  }

  private insertAttemptRows(attempt: DeliveryAttempt): void {
    this.insertAttemptStatement.run({
      eventId: attempt.eventId,
      kind: attempt.kind,
      deliveryId: attempt.deliveryId,
      attempt: attempt.attempt,
      target: attempt.target,
      method: attempt.method,
      status: attempt.status,
      error: attempt.error,
      durationMs: attempt.durationMs,
      startedAt: attempt.startedAt,
      plannedAt: attempt.plannedAt ?? null,
      responseHeaders: JSON.stringify(attempt.responseHeaders),
      // Responses are kept for reading, not archiving: the first 64 KiB, with the true size beside them.
      responseBody: attempt.responseBody.length > RESPONSE_BODY_CAP ? attempt.responseBody.subarray(0, RESPONSE_BODY_CAP) : attempt.responseBody,
      responseSize: attempt.responseSize,
      requestHeaders: attempt.request === null ? null : encodeSentHeaders(attempt.request.headers, this.eventHeaders(attempt.eventId)),
      requestBody: attempt.request?.body ?? null,
    });
    this.updateLatestStatement.run({
      eventId: attempt.eventId,
      kind: attempt.kind === "forward" ? null : attempt.kind,
      status: attempt.status,
      error: attempt.error,
      durationMs: attempt.durationMs,
      startedAt: attempt.startedAt,
    });
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_") || code === "SQLITE_LOCKED");
}

export function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}
