import { statSync } from "node:fs";
import type { Statement, Transaction } from "better-sqlite3";
import { HooktapeError } from "../core/errors.js";
import { compilePathGlob, type EventFilter, type PathMatcher } from "../core/event-filter.js";
import type {
  CapturedEvent,
  DeliveryAttempt,
  DeliveryKind,
  HeaderPairs,
  Rejection,
  ReplayableEvent,
  Verification,
  VerificationStatus,
  Via,
} from "../core/types.js";
import { startCheckpointer, type Checkpointer } from "./checkpointer.js";
import { openDatabase, type SqliteDatabase } from "./open-database.js";

/** What `events list` shows of an event: everything but the headers and the body. */
export interface EventSummary {
  id: string;
  receivedAt: number;
  method: string;
  url: string;
  provider: string | null;
  verification: Verification;
  bodySize: number;
  bodySha256: string;
  via: Via;
  rejected: Rejection | null;
  target: string | null;
  delivery: { status: number | null; error: string | null; durationMs: number } | null;
}

interface EventRow {
  seq: number;
  id: string;
  received_at: number;
  method: string;
  url: string;
  headers: string;
  body: Buffer | null;
  body_size: number;
  body_sha256: string;
  remote_address: string | null;
  via: string;
  public_url: string | null;
  provider: string | null;
  verification_status: string;
  verification_reason: string | null;
  verification_hint: string | null;
  rejected: string | null;
  target: string | null;
  last_status: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  last_attempt_at: number | null;
}

type ReplayableRow = Pick<EventRow, "id" | "received_at" | "method" | "url" | "headers" | "body" | "provider" | "target" | "rejected">;

interface DeliveryRow {
  event_id: string;
  kind: string;
  delivery_id: string;
  attempt: number;
  target: string;
  method: string;
  status: number | null;
  error: string | null;
  duration_ms: number;
  started_at: number;
  planned_at: number | null;
  response_headers: string;
  response_body: Buffer;
  response_size: number;
}

/** What `events prune` did: rows deleted, and the file's size (database + WAL) before and after. */
export interface PruneResult {
  deleted: number;
  bytesBefore: number;
  bytesAfter: number;
  compacted: boolean;
}

/** Where a page of the list ends: the next page starts after this row. */
export interface PageCursor {
  receivedAt: number;
  seq: number;
}

export interface EventPage {
  /** Each summary with how many replay attempts its event has had. */
  events: Array<EventSummary & { replays: number }>;
  next: PageCursor | null;
}

/** The newest event row and delivery row seen: whatever has a larger row id is new or changed. */
export interface ChangeCursor {
  events: number;
  deliveries: number;
}

/** How many times an event was replayed (the inspector marks replayed events). */
const REPLAYS_COLUMN = "(SELECT count(*) FROM deliveries WHERE deliveries.event_id = events.id AND deliveries.kind = 'replay') AS replays";

/** How much of a handler's response body is kept per attempt. */
export const RESPONSE_BODY_CAP = 64 * 1024;

type WriteRequest = { kind: "event"; event: CapturedEvent } | { kind: "attempt"; attempt: DeliveryAttempt };
type QueuedWrite = WriteRequest & { settle: (error: unknown) => void; deadline: number };

/** How long one commit attempt may wait for another connection's lock, synchronously, in capture mode. */
const CAPTURE_BUSY_TIMEOUT_MS = 10;

/** A whole event: its row and its body. */
const FULL_COLUMNS = "events.*, event_bodies.body";
const FULL_SOURCE = "events LEFT JOIN event_bodies ON event_bodies.event_seq = events.seq";

/** What a replay reads of an event (ReplayableEvent): the request, its target and provider, and its body. */
const REPLAYABLE_COLUMNS = "id, received_at, method, url, headers, provider, target, rejected, event_bodies.body";

const SUMMARY_COLUMNS = `id, received_at, method, url, body_size, body_sha256, via, provider, verification_status,
  verification_reason, rejected, target, last_status, last_error, last_duration_ms, last_attempt_at`;

/** Events and their delivery attempts in one SQLite file. Prepared statements only. */
export class EventStore {
  readonly file: string;
  private readonly db: SqliteDatabase;
  private readonly insertEventStatement: Statement;
  private readonly insertBodyStatement: Statement<[number | bigint, Buffer]>;
  private readonly insertAttemptStatement: Statement;
  private readonly updateLatestStatement: Statement;
  private readonly getEventStatement: Statement<[string], EventRow>;
  private readonly findByPrefixStatement: Statement<[string, string], { id: string }>;
  private readonly attemptsStatement: Statement<[string], DeliveryRow>;
  private readonly pruneStatement: Statement<[number]>;
  private readonly pageCountStatement: Statement<[], number>;
  private readonly writeEvent: (event: CapturedEvent) => void;
  private readonly writeAttempts: (attempts: readonly DeliveryAttempt[]) => void;
  private readonly writeQueued: Transaction<(writes: readonly QueuedWrite[]) => void>;
  /** Writes waiting for the group commit at the end of this event-loop turn. */
  private queue: QueuedWrite[] = [];
  private readonly pageSize: number;
  private readonly checkpointer: Checkpointer | null = null;
  /** Capture mode: how long a queued write may wait for a locked database before it fails (null: SQLite's own wait). */
  private readonly commitTimeoutMs: number | null;
  private retryTimer: NodeJS.Timeout | null = null;
  private busyBackoffMs = 0;
  private closing = false;

  /**
   * `backgroundCheckpoints`: for a long-running capture, checkpoint the WAL on a worker thread instead of on
   * this one; SQLite's own automatic checkpoint stays as a backstop at 64 MiB of WAL.
   */
  constructor(file: string, options: StoreOptions = {}) {
    this.file = file;
    this.db = openDatabase(file, options);
    this.commitTimeoutMs = options.commitTimeoutMs ?? null;
    // A capture must never stall on another connection's lock (a `prune`, a sqlite3 shell): SQLite's busy wait is
    // synchronous and would freeze forwarding, signals and the tunnel. Commits wait a few ms at most, then are
    // retried from the event loop until their deadline.
    if (this.commitTimeoutMs !== null && !options.readonly) this.db.pragma(`busy_timeout = ${CAPTURE_BUSY_TIMEOUT_MS}`);
    if (options.backgroundCheckpoints && !options.readonly) {
      this.db.pragma("wal_autocheckpoint = 16384");
      this.checkpointer = startCheckpointer(file);
    }
    // The glob is compiled once per query, not once per row: SQLite hands the same pattern for every row.
    let compiled: { pattern: string; matcher: PathMatcher } | null = null;
    this.db.function("path_matches", { deterministic: true }, (pattern: unknown, value: unknown) => {
      const text = String(pattern);
      if (compiled === null || compiled.pattern !== text) compiled = { pattern: text, matcher: compilePathGlob(text) };
      return compiled.matcher.test(String(value)) ? 1 : 0;
    });
    this.insertEventStatement = this.db.prepare(`
      INSERT INTO events (id, received_at, method, url, path, headers, body_size, body_sha256, remote_address,
        via, public_url, provider, verification_status, verification_reason, verification_hint, rejected, target)
      VALUES (@id, @receivedAt, @method, @url, @path, @headers, @bodySize, @bodySha256, @remoteAddress,
        @via, @publicUrl, @provider, @verificationStatus, @verificationReason, @verificationHint, @rejected, @target)`);
    this.insertBodyStatement = this.db.prepare(`INSERT INTO event_bodies (event_seq, body) VALUES (?, ?)`);
    this.insertAttemptStatement = this.db.prepare(`
      INSERT INTO deliveries (event_id, kind, delivery_id, attempt, target, method, status, error, duration_ms,
        started_at, planned_at, response_headers, response_body, response_size)
      VALUES (@eventId, @kind, @deliveryId, @attempt, @target, @method, @status, @error, @durationMs,
        @startedAt, @plannedAt, @responseHeaders, @responseBody, @responseSize)`);
    this.updateLatestStatement = this.db.prepare(`
      UPDATE events SET last_status = @status, last_error = @error, last_duration_ms = @durationMs,
        last_attempt_at = @startedAt
      WHERE id = @eventId AND (last_attempt_at IS NULL OR last_attempt_at <= @startedAt)`);
    this.getEventStatement = this.db.prepare(`SELECT ${FULL_COLUMNS} FROM ${FULL_SOURCE} WHERE id = ?`);
    this.findByPrefixStatement = this.db.prepare(`SELECT id FROM events WHERE id >= ? AND id < ? ORDER BY id LIMIT 2`);
    this.attemptsStatement = this.db.prepare(`SELECT * FROM deliveries WHERE event_id = ? ORDER BY seq`);
    this.pruneStatement = this.db.prepare(`DELETE FROM events WHERE received_at < ?`);
    this.pageCountStatement = this.db.prepare<[], number>(`PRAGMA page_count`).pluck();
    this.pageSize = Number(this.db.pragma("page_size", { simple: true }));
    // Transaction wrappers are built once: better-sqlite3 makes a new function per db.transaction() call.
    this.writeEvent = this.db.transaction((event: CapturedEvent) => this.insertEventRows(event));
    this.writeAttempts = this.db.transaction((attempts: readonly DeliveryAttempt[]) => {
      for (const attempt of attempts) this.insertAttemptRows(attempt);
    });
    this.writeQueued = this.db.transaction((writes: readonly QueuedWrite[]) => {
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

  /** Records several attempts in one transaction (replays record in batches). */
  insertAttempts(attempts: readonly DeliveryAttempt[]): void {
    this.writeAttempts(attempts);
  }

  /**
   * Group commit: queues the event and resolves once it is committed. Everything queued during one event-loop
   * turn is written in one transaction, so that 32 concurrent deliveries cost one commit instead of 32; the
   * capture server answers a sender only after its event's promise resolves.
   */
  recordEvent(event: CapturedEvent): Promise<void> {
    return this.enqueue({ kind: "event", event });
  }

  /** Group-committed like recordEvent. */
  recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    return this.enqueue({ kind: "attempt", attempt });
  }

  private enqueue(write: WriteRequest): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.queue.length === 0 && this.retryTimer === null) setImmediate(() => this.flush());
      const deadline = this.commitTimeoutMs === null ? Infinity : Date.now() + this.commitTimeoutMs;
      this.queue.push({ ...write, deadline, settle: (error: unknown) => (error ? reject(error) : resolve()) });
    });
  }

  private flush(): void {
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
      verificationStatus: event.verification.status,
      verificationReason: event.verification.reason,
      verificationHint: event.verification.hint ?? null,
      rejected: event.rejected,
      target: event.target,
    });
    if (!event.rejected) this.insertBodyStatement.run(lastInsertRowid, event.body);
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
    });
    this.updateLatestStatement.run({
      eventId: attempt.eventId,
      status: attempt.status,
      error: attempt.error,
      durationMs: attempt.durationMs,
      startedAt: attempt.startedAt,
    });
  }

  /** The database's size in bytes as this connection sees it (committed WAL frames included): `--max-store`. */
  sizeBytes(): number {
    return (this.pageCountStatement.get() ?? 0) * this.pageSize;
  }

  /** An event by its full id or a unique prefix of it; exit 2 when unknown or ambiguous. */
  getEvent(idOrPrefix: string): CapturedEvent {
    const id = this.resolveId(idOrPrefix);
    const row = this.getEventStatement.get(id);
    if (!row) throw new HooktapeError("not_found", `No event ${idOrPrefix} in ${this.file}; see \`hooktape events list\``);
    return toEvent(row);
  }

  resolveId(idOrPrefix: string): string {
    const prefix = idOrPrefix.trim().toUpperCase().replace(/…$/, "");
    if (!/^[0-9A-HJKMNP-TV-Z]{4,26}$/.test(prefix)) {
      throw new HooktapeError("not_found", `"${idOrPrefix}" is not an event id; ids look like 01JD3XK2... (see \`hooktape events list\`)`);
    }
    const matches = this.findByPrefixStatement.all(prefix, prefix + "~");
    if (matches.length === 0) {
      throw new HooktapeError("not_found", `No event ${idOrPrefix} in ${this.file}; see \`hooktape events list\``);
    }
    if (matches.length > 1 && matches[0]?.id !== prefix) {
      throw new HooktapeError("bad_input", `The id prefix ${idOrPrefix} matches several events; give more characters`);
    }
    return matches[0]?.id ?? prefix;
  }

  /** Newest first, filtered; `limit: 0` means all. */
  listEvents(filter: EventFilter): EventSummary[] {
    return this.selectEvents(SUMMARY_COLUMNS, filter).map(toSummary);
  }

  /** Like listEvents, but whole events (headers and bodies), in one query: an export selects thousands at once. */
  listCapturedEvents(filter: EventFilter): CapturedEvent[] {
    return this.selectEvents(FULL_COLUMNS, filter, FULL_SOURCE).map(toEvent);
  }

  /**
   * The events a filter selects, as a replay needs them (ReplayableEvent: not the verification nor where they came
   * from), newest first as listEvents orders them: one statement, its rows taken as SQLite produces them and each
   * made into one object, with nine columns read instead of twenty-three. Rejected events come too (no body).
   */
  *replayableEvents(filter: EventFilter): Generator<ReplayableEvent, void, undefined> {
    const query = replayableQuery(filter);
    const statement = this.db.prepare<[Record<string, string | number>], ReplayableRow>(query.sql);
    for (const row of statement.iterate(query.params)) {
      yield {
        id: row.id,
        receivedAt: row.received_at,
        method: row.method,
        url: row.url,
        headers: JSON.parse(row.headers) as HeaderPairs,
        body: row.body ?? Buffer.alloc(0),
        provider: row.provider,
        target: row.target,
        rejected: row.rejected as Rejection | null,
      };
    }
  }

  /** How many events match, whatever the limit: `events list` says "20 of 626" when it shows fewer. */
  countEvents(filter: EventFilter): number {
    const { where, params } = whereOf(filter);
    const row = this.db.prepare<[Record<string, string | number>], { n: number }>(`SELECT count(*) AS n FROM events${where}`).get(params);
    return row?.n ?? 0;
  }

  private selectEvents(columns: string, filter: EventFilter, source = "events"): EventRow[] {
    const query = listQuery(filter, columns, source);
    return this.db.prepare<[Record<string, string | number>], EventRow>(query.sql).all(query.params);
  }

  /**
   * One page of the list, newest first, for the inspector: the `events list` filters, `q` (text in the path,
   * the headers or the body; case-insensitive for ASCII), and `after`, the cursor a previous page returned.
   * Pages by position in (received_at, seq), so a page costs the same however deep it is.
   */
  listEventsPage(filter: EventFilter, options: { q?: string | undefined; after?: PageCursor | undefined } = {}): EventPage {
    const { where, params } = whereOf(filter);
    const terms: string[] = [];
    let source = "events";
    if (options.q !== undefined && options.q !== "") {
      // event_bodies has no column named like the filters' (event_seq, body): whereOf's terms stay unambiguous.
      source = FULL_SOURCE;
      params.q = `%${options.q.replace(/[\\%_]/g, (char) => "\\" + char)}%`;
      terms.push("(url LIKE @q ESCAPE '\\' OR headers LIKE @q ESCAPE '\\' OR CAST(body AS TEXT) LIKE @q ESCAPE '\\')");
    }
    if (options.after) {
      terms.push("(received_at < @afterReceived OR (received_at = @afterReceived AND seq < @afterSeq))");
      params.afterReceived = options.after.receivedAt;
      params.afterSeq = options.after.seq;
    }
    const limit = filter.limit > 0 ? Math.floor(filter.limit) : 50;
    const sql =
      `SELECT seq, ${SUMMARY_COLUMNS}, ${REPLAYS_COLUMN} FROM ${source}${where}` +
      (terms.length > 0 ? `${where === "" ? " WHERE " : " AND "}${terms.join(" AND ")}` : "") +
      ` ORDER BY received_at DESC, seq DESC LIMIT ${limit + 1}`;
    const rows = this.db.prepare<[Record<string, string | number>], EventRow & { replays: number }>(sql).all(params);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page.at(-1);
    return {
      events: page.map((row) => ({ ...toSummary(row), replays: row.replays })),
      next: more && last ? { receivedAt: last.received_at, seq: last.seq } : null,
    };
  }

  /** Where the store is now: the newest event row and the newest delivery row (the inspector's stream cursor). */
  changeCursor(): ChangeCursor {
    const row = this.db
      .prepare<[], { events: number | null; deliveries: number | null }>(
        "SELECT (SELECT max(seq) FROM events) AS events, (SELECT max(seq) FROM deliveries) AS deliveries",
      )
      .get();
    return { events: row?.events ?? 0, deliveries: row?.deliveries ?? 0 };
  }

  /**
   * Events added or given a new delivery attempt after `since`, oldest change first, at most `limit` row ids of
   * each table, and the cursor to ask from next time. Both are row ids, so another process's commits are seen.
   */
  changesSince(since: ChangeCursor, limit = 1000): { events: Array<EventSummary & { replays: number }>; cursor: ChangeCursor } {
    return this.db.transaction(() => {
      const now = this.changeCursor();
      const eventsSeq = Math.min(now.events, since.events + limit);
      const deliveriesSeq = Math.min(now.deliveries, since.deliveries + limit);
      const rows = this.db
        .prepare<[Record<string, number>], EventRow & { replays: number }>(
          `SELECT seq, ${SUMMARY_COLUMNS}, ${REPLAYS_COLUMN} FROM events
           WHERE (seq > @fromEvents AND seq <= @toEvents)
              OR id IN (SELECT event_id FROM deliveries WHERE seq > @fromDeliveries AND seq <= @toDeliveries)
           ORDER BY seq`,
        )
        .all({ fromEvents: since.events, toEvents: eventsSeq, fromDeliveries: since.deliveries, toDeliveries: deliveriesSeq });
      return {
        events: rows.map((row) => ({ ...toSummary(row), replays: row.replays })),
        cursor: { events: Math.max(since.events, eventsSeq), deliveries: Math.max(since.deliveries, deliveriesSeq) },
      };
    })();
  }

  /** SQLite's `data_version`: changes when another connection (this process or another) commits. One cheap pragma. */
  dataVersion(): number {
    return this.db.pragma("data_version", { simple: true }) as number;
  }

  listAttempts(eventId: string): DeliveryAttempt[] {
    return this.attemptsStatement.all(eventId).map(toAttempt);
  }

  /**
   * Deletes events received before `before` (unix ms) with their bodies and deliveries, and makes the deletion
   * real: secure_delete has zeroed the freed pages, the WAL (which still holds copies of the old pages) is
   * checkpointed and truncated, and VACUUM rebuilds the file without its free pages, so that it shrinks.
   * `compacted` is false when another process kept the store busy; the rows are deleted and zeroed all the same.
   */
  pruneBefore(before: number): PruneResult {
    const bytesBefore = this.fileBytes();
    const deleted = this.pruneStatement.run(before).changes;
    let compacted = false;
    try {
      this.db.pragma("wal_checkpoint(TRUNCATE)");
      this.db.exec("VACUUM");
      this.db.pragma("wal_checkpoint(TRUNCATE)");
      compacted = true;
    } catch {
      // SQLITE_BUSY: a capture is writing. Its own checkpoints fold the zeroed pages in later.
    }
    return { deleted, bytesBefore, bytesAfter: this.fileBytes(), compacted };
  }

  /** The database file and its WAL, in bytes, as they are on disk. */
  private fileBytes(): number {
    let total = 0;
    for (const file of [this.file, `${this.file}-wal`]) {
      try {
        total += statSync(file).size;
      } catch {
        // No WAL file: nothing to add.
      }
    }
    return total;
  }

  /**
   * Shutting down: writes waiting for a locked database fail now rather than at their deadline, so that their
   * senders get a 503 at once and the server can finish. New writes are still committed when the lock allows.
   */
  giveUpWaiting(): void {
    this.closing = true;
    if (this.retryTimer === null) return;
    clearTimeout(this.retryTimer);
    this.flush();
  }

  close(): void {
    if (!this.db.open) return;
    this.giveUpWaiting();
    this.flush();
    this.checkpointer?.stop();
    try {
      // Fold the WAL back into the main file so that a copied .db file is complete on its own.
      this.db.pragma("wal_checkpoint(PASSIVE)");
    } catch {
      // Another process holds the database: it checkpoints later; nothing is lost.
    }
    this.db.close();
  }
}

export interface StoreOptions {
  readonly?: boolean;
  /** For a long-running capture: checkpoint the WAL on a worker thread. */
  backgroundCheckpoints?: boolean;
  /** Capture mode: queued writes wait for a locked database this long, without blocking the event loop. */
  commitTimeoutMs?: number;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_") || code === "SQLITE_LOCKED");
}

/**
 * The `events list` query for a filter: newest first, each filter a WHERE term that an index serves (see
 * schema.ts; a test checks the plans), so that `--limit 1` on 100,000 events reads one row, not the table.
 */
export function listQuery(filter: EventFilter, columns = SUMMARY_COLUMNS, source = "events"): { sql: string; params: Record<string, string | number> } {
  const { where, params } = whereOf(filter);
  const sql =
    `SELECT ${columns} FROM ${source}${where}` +
    ` ORDER BY received_at DESC, seq DESC` +
    (filter.limit > 0 ? ` LIMIT ${Math.floor(filter.limit)}` : "");
  return { sql, params };
}

/** The replay's read (EventStore.replayableEvents): the list query's order and indexes, each body found by its key. */
export function replayableQuery(filter: EventFilter): { sql: string; params: Record<string, string | number> } {
  return listQuery(filter, REPLAYABLE_COLUMNS, FULL_SOURCE);
}

/** The WHERE clause of a filter, each term written as an index serves it. */
function whereOf(filter: EventFilter): { where: string; params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (filter.provider !== undefined) {
    where.push("provider = @provider");
    params.provider = filter.provider;
  }
  if (filter.verification !== undefined) {
    where.push("verification_status = @verification");
    params.verification = filter.verification;
  }
  if (filter.since !== undefined) {
    where.push("received_at >= @since");
    params.since = filter.since;
  }
  if (filter.pathGlob !== undefined) {
    where.push("path_matches(@pathGlob, path)");
    params.pathGlob = filter.pathGlob;
  }
  // Written as the index events_status_class is (last_status / 100), so that SQLite uses it.
  const status = filter.status;
  if (status?.kind === "code") {
    where.push("last_status / 100 = @statusClass AND last_status = @status");
    params.statusClass = Math.floor(status.code / 100);
    params.status = status.code;
  } else if (status?.kind === "class") {
    where.push("last_status / 100 = @statusClass");
    params.statusClass = status.hundreds;
  } else if (status?.kind === "failed") {
    where.push("last_status / 100 IS NULL AND last_attempt_at IS NOT NULL");
  }
  return { where: where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "", params };
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

function toSummary(row: EventRow): EventSummary {
  return {
    id: row.id,
    receivedAt: row.received_at,
    method: row.method,
    url: row.url,
    provider: row.provider,
    verification: { status: row.verification_status as VerificationStatus, reason: row.verification_reason },
    bodySize: row.body_size,
    bodySha256: row.body_sha256,
    via: row.via as Via,
    rejected: row.rejected as Rejection | null,
    target: row.target,
    delivery:
      row.last_attempt_at === null
        ? null
        : { status: row.last_status, error: row.last_error, durationMs: row.last_duration_ms ?? 0 },
  };
}

function toEvent(row: EventRow): CapturedEvent {
  return {
    id: row.id,
    receivedAt: row.received_at,
    method: row.method,
    url: row.url,
    headers: JSON.parse(row.headers) as HeaderPairs,
    body: row.body ?? Buffer.alloc(0),
    remoteAddress: row.remote_address,
    via: row.via as Via,
    publicUrl: row.public_url,
    provider: row.provider,
    verification: {
      status: row.verification_status as VerificationStatus,
      reason: row.verification_reason,
      hint: row.verification_hint,
    },
    rejected: row.rejected as Rejection | null,
    bodySize: row.body_size,
    bodySha256: row.body_sha256,
    target: row.target,
  };
}

function toAttempt(row: DeliveryRow): DeliveryAttempt {
  return {
    eventId: row.event_id,
    kind: row.kind as DeliveryKind,
    deliveryId: row.delivery_id,
    attempt: row.attempt,
    target: row.target,
    method: row.method,
    status: row.status,
    error: row.error,
    durationMs: row.duration_ms,
    startedAt: row.started_at,
    plannedAt: row.planned_at,
    responseHeaders: JSON.parse(row.response_headers) as HeaderPairs,
    responseBody: row.response_body,
    responseSize: row.response_size,
  };
}

/** The WHERE clause (with its leading space, or empty) and parameters of an event filter; the limit is not in it. */
