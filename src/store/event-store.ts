import { statSync } from "node:fs";
import type { Statement } from "better-sqlite3";
import { HooktapeError } from "../core/errors.js";
import { compilePathGlob, globPrefix, type EventFilter, type PathMatcher } from "../core/event-filter.js";
import type {
  CapturedEvent,
  DeliveryAttempt,
  DeliveryKind,
  HeaderPairs,
  NotForwarded,
  RecordedAttempt,
  Rejection,
  ReplayableEvent,
  Verification,
  VerificationStatus,
  Via,
} from "../core/types.js";
import { startCheckpointer, type Checkpointer } from "./checkpointer.js";
import { CAPTURE_BUSY_TIMEOUT_MS, EventWriter } from "./event-writer.js";
import { openDatabase, type SqliteDatabase } from "./open-database.js";
import { decodeSentHeaders } from "./sent-headers.js";

/** What `events list` shows of an event: everything but the headers and the body. */
export interface EventSummary {
  id: string;
  receivedAt: number;
  method: string;
  url: string;
  provider: string | null;
  eventType: string | null;
  verification: Verification;
  bodySize: number;
  bodySha256: string;
  via: Via;
  rejected: Rejection | null;
  target: string | null;
  notForwarded: NotForwarded | null;
  /** The latest attempt; `kind` absent: a forward (the capture's own notice, or a row from before kinds were kept). */
  delivery: { status: number | null; error: string | null; durationMs: number; kind?: DeliveryKind } | null;
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
  event_type: string | null;
  verification_status: string;
  verification_reason: string | null;
  verification_hint: string | null;
  rejected: string | null;
  target: string | null;
  not_forwarded: string | null;
  last_status: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  last_attempt_at: number | null;
  last_kind?: string | null;
}

type ReplayableRow = Pick<
  EventRow,
  "id" | "received_at" | "method" | "url" | "headers" | "body" | "provider" | "event_type" | "target" | "rejected" | "not_forwarded"
>;

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
  request_headers: string | null;
  request_body: Buffer | null;
}

/** A `hooktape listen` that is running, or was until it stopped without saying so (killed). */
export interface ListenRun {
  seq: number;
  pid: number;
  startedAt: number;
  /** Where it captures: `trigger` sends here. */
  captureUrl: string;
  /** Marks a request `trigger` sends through it, so that listen records it as triggered (a stranger cannot). */
  triggerToken: string;
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

/** SQLite's automatic checkpoint point (1,000 pages of 4 KiB), as a background checkpoint thread's starting point. */
const BACKGROUND_CHECKPOINTS_AFTER_BYTES = 4 * 1024 * 1024;

/** How many times an event was replayed (the inspector marks replayed events). */
const REPLAYS_COLUMN = "(SELECT count(*) FROM deliveries WHERE deliveries.event_id = events.id AND deliveries.kind = 'replay') AS replays";

export { RESPONSE_BODY_CAP } from "./event-writer.js";

/** A whole event: its row and its body. */
const FULL_COLUMNS = "events.*, event_bodies.body";
const FULL_SOURCE = "events LEFT JOIN event_bodies ON event_bodies.event_seq = events.seq";

/** What a replay reads of an event (ReplayableEvent): the request, its target and provider, and its body. */
const REPLAYABLE_COLUMNS = "id, received_at, method, url, headers, provider, event_type, target, rejected, not_forwarded, event_bodies.body";

const SUMMARY_COLUMNS = `id, received_at, method, url, body_size, body_sha256, via, provider, event_type, verification_status,
  verification_reason, rejected, target, not_forwarded, last_status, last_error, last_duration_ms, last_attempt_at, last_kind`;

/** Events and their delivery attempts in one SQLite file. Prepared statements only. */
export class EventStore {
  readonly file: string;
  private readonly db: SqliteDatabase;
  private readonly getEventStatement: Statement<[string], EventRow>;
  private readonly findByPrefixStatement: Statement<[string, string], { id: string }>;
  private readonly attemptsStatement: Statement<[string], DeliveryRow>;
  private readonly eventHeadersStatement: Statement<[string], string>;
  private readonly pruneStatement: Statement<[number]>;
  private readonly pageCountStatement: Statement<[], number>;
  /** This connection's writes, at once or by group commit. */
  private readonly writer: EventWriter;
  private readonly pageSize: number;
  /** sizeBytes() as read during this event-loop turn. */
  private sizeThisTurn: number | null = null;
  /** Checkpoints on a worker thread, once this connection has written enough to need them (see noteWritten). */
  private readonly backgroundCheckpoints: boolean;
  private checkpointer: Checkpointer | null = null;
  /** Roughly how many bytes this connection has written to the WAL, until the checkpoint thread starts. */
  private writtenBytes = 0;
  private recordedStateStatement: Statement<[string], { attempted: number }> | null = null;

  /**
   * `backgroundCheckpoints`: for a long-running capture, checkpoint the WAL on a worker thread instead of on
   * this one, from the first ~4 MiB written on; SQLite's own automatic checkpoint stays as a backstop at 64 MiB of WAL.
   */
  constructor(file: string, options: StoreOptions = {}) {
    this.file = file;
    this.db = openDatabase(file, options);
    const commitTimeoutMs = options.commitTimeoutMs ?? null;
    // A capture must never stall on another connection's lock (a `prune`, a sqlite3 shell): SQLite's busy wait is
    // synchronous and would freeze forwarding, signals and the tunnel. Commits wait a few ms at most, then are
    // retried from the event loop until their deadline.
    if (commitTimeoutMs !== null && !options.readonly) this.db.pragma(`busy_timeout = ${CAPTURE_BUSY_TIMEOUT_MS}`);
    this.backgroundCheckpoints = options.backgroundCheckpoints === true && !options.readonly;
    if (this.backgroundCheckpoints) this.db.pragma("wal_autocheckpoint = 16384");
    this.writer = new EventWriter(this.db, file, commitTimeoutMs);
    // The glob is compiled once per query, not once per row: SQLite hands the same pattern for every row.
    let compiled: { pattern: string; matcher: PathMatcher } | null = null;
    this.db.function("path_matches", { deterministic: true }, (pattern: unknown, value: unknown) => {
      const text = String(pattern);
      if (compiled === null || compiled.pattern !== text) compiled = { pattern: text, matcher: compilePathGlob(text) };
      return compiled.matcher.test(String(value)) ? 1 : 0;
    });
    this.getEventStatement = this.db.prepare(`SELECT ${FULL_COLUMNS} FROM ${FULL_SOURCE} WHERE id = ?`);
    this.findByPrefixStatement = this.db.prepare(`SELECT id FROM events WHERE id >= ? AND id < ? ORDER BY id LIMIT 2`);
    this.attemptsStatement = this.db.prepare(`SELECT * FROM deliveries WHERE event_id = ? ORDER BY seq`);
    this.eventHeadersStatement = this.db.prepare<[string], string>(`SELECT headers FROM events WHERE id = ?`).pluck();
    this.pruneStatement = this.db.prepare(`DELETE FROM events WHERE received_at < ?`);
    this.pageCountStatement = this.db.prepare<[], number>(`PRAGMA page_count`).pluck();
    this.pageSize = Number(this.db.pragma("page_size", { simple: true }));
  }

  /** Commits the event now; returns once it is in the file. */
  insertEvent(event: CapturedEvent): void {
    this.writer.insertEvent(event);
  }

  /** Records several attempts in one transaction (replays record in batches). */
  insertAttempts(attempts: readonly DeliveryAttempt[]): void {
    this.writer.insertAttempts(attempts);
  }

  /**
   * Group commit: queues the event and resolves once it is committed. Everything queued during one event-loop
   * turn is written in one transaction, so that 32 concurrent deliveries cost one commit instead of 32; the
   * capture server answers a sender only after its event's promise resolves.
   */
  recordEvent(event: CapturedEvent): Promise<void> {
    this.noteWritten(event.body.length);
    return this.writer.enqueue({ kind: "event", event });
  }

  /** Group-committed like recordEvent. */
  recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    this.noteWritten(attempt.responseBody.length);
    return this.writer.enqueue({ kind: "attempt", attempt });
  }

  /** Whether WAL checkpoints run on a worker thread now. */
  get checkpointsInBackground(): boolean {
    return this.checkpointer !== null;
  }

  /**
   * Background checkpoints start once the WAL holds about as much as SQLite's own automatic checkpoint would have let
   * it (1,000 pages): a capture that records a few events never pays for a second thread (a V8 isolate and a
   * connection, ~130 ms of CPU), and one under load has it within its first thousand events. Each write counts its
   * body and a kibibyte for its row, headers and index entries.
   */
  private noteWritten(bodyBytes: number): void {
    if (!this.backgroundCheckpoints || this.checkpointer !== null) return;
    this.writtenBytes += bodyBytes + 1024;
    if (this.writtenBytes >= BACKGROUND_CHECKPOINTS_AFTER_BYTES) this.checkpointer = startCheckpointer(this.file);
  }

  /**
   * The database's size in bytes as this connection sees it (committed WAL frames included): `--max-store`. Read once
   * per event-loop turn: the capture server asks twice per request, and this store commits only between turns (the
   * group commit), so a second read in the same turn would return the same figure. Measured: the reads were 5–6% of
   * the capture thread's time at 1,000 req/s (bench/capture.bench.mjs --profile).
   */
  sizeBytes(): number {
    if (this.sizeThisTurn === null) {
      this.sizeThisTurn = (this.pageCountStatement.get() ?? 0) * this.pageSize;
      setImmediate(() => {
        this.sizeThisTurn = null;
      });
    }
    return this.sizeThisTurn;
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
    for (const row of statement.iterate(query.params)) yield toReplayable(row);
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

  /** Records a running listen; stopRun marks its end. */
  startRun(run: Omit<ListenRun, "seq">): number {
    const result = this.db
      .prepare(`INSERT INTO listen_runs (pid, started_at, capture_url, trigger_token) VALUES (@pid, @startedAt, @captureUrl, @triggerToken)`)
      .run(run);
    return Number(result.lastInsertRowid);
  }

  stopRun(seq: number, at: number): void {
    this.db.prepare(`UPDATE listen_runs SET stopped_at = ? WHERE seq = ?`).run(at, seq);
  }

  /** Listens that have not said they stopped, newest first (one that was killed stays here: check its pid). */
  openRuns(): ListenRun[] {
    return this.db
      .prepare<[], { seq: number; pid: number; started_at: number; capture_url: string; trigger_token: string }>(
        `SELECT seq, pid, started_at, capture_url, trigger_token FROM listen_runs WHERE stopped_at IS NULL ORDER BY seq DESC LIMIT 20`,
      )
      .all()
      .map((row) => ({ seq: row.seq, pid: row.pid, startedAt: row.started_at, captureUrl: row.capture_url, triggerToken: row.trigger_token }));
  }

  /** SQLite's `data_version`: changes when another connection (this process or another) commits. One cheap pragma. */
  dataVersion(): number {
    return this.db.pragma("data_version", { simple: true }) as number;
  }

  /** How many attempts of `kind` each of these events has had (events without any are left out). */
  countAttempts(eventIds: readonly string[], kind: DeliveryKind): Map<string, number> {
    // One statement for them all, the ids as a JSON array, each looked up by deliveries_event: asking once per event
    // cost a 5,000-event replay 47–84 ms, this 21–25 ms.
    const rows = this.db
      .prepare<[string, string], { id: string; n: number }>(
        `SELECT event_id AS id, count(*) AS n FROM deliveries WHERE kind = ? AND event_id IN (SELECT value FROM json_each(?)) GROUP BY event_id`,
      )
      .all(kind, JSON.stringify([...new Set(eventIds)]));
    return new Map(rows.map((row) => [row.id, row.n]));
  }

  /**
   * An event's attempts, oldest first, each numbered among its event's attempts of the same kind (the third replay
   * of an event is `replay #3`, whichever run sent it), with the request it sent.
   */
  listAttempts(eventId: string): RecordedAttempt[] {
    const rows = this.attemptsStatement.all(eventId);
    if (rows.length === 0) return [];
    const eventHeaders = rows.some((row) => row.request_headers !== null)
      ? (JSON.parse(this.eventHeadersStatement.get(eventId) ?? "[]") as HeaderPairs)
      : [];
    const counts = new Map<string, number>();
    return rows.map((row) => {
      const number = (counts.get(row.kind) ?? 0) + 1;
      counts.set(row.kind, number);
      return { ...toAttempt(row, eventHeaders), number };
    });
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
    this.writer.giveUpWaiting();
  }

  /**
   * The consumer id this store follows a relay channel as, made by `make` and kept on first use: the relay keeps one
   * cursor per consumer, so each store is its own consumer.
   */
  relayConsumer(channel: string, make: () => string): string {
    const row = this.db.prepare<[string], { consumer: string }>("SELECT consumer FROM relay_consumers WHERE channel = ?").get(channel);
    if (row) return row.consumer;
    const consumer = make();
    this.db.prepare("INSERT INTO relay_consumers (channel, consumer, created_at) VALUES (?, ?, ?) ON CONFLICT (channel) DO NOTHING").run(channel, consumer, Date.now());
    return this.db.prepare<[string], { consumer: string }>("SELECT consumer FROM relay_consumers WHERE channel = ?").get(channel)?.consumer ?? consumer;
  }

  /** Whether an event with this id is recorded, and whether a delivery attempt of it is: null when it is not there. */
  recordedState(id: string): { attempted: boolean } | null {
    this.recordedStateStatement ??= this.db.prepare<[string], { attempted: number }>("SELECT last_attempt_at IS NOT NULL AS attempted FROM events WHERE id = ?");
    const row = this.recordedStateStatement.get(id);
    return row ? { attempted: row.attempted === 1 } : null;
  }

  close(): void {
    if (!this.db.open) return;
    // What is still queued is committed (or, waiting for another connection's lock, fails) before the file closes.
    this.writer.giveUpWaiting();
    this.writer.flush();
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
  /** For a long-running capture: checkpoint the WAL on a worker thread once the capture has written a few MiB. */
  backgroundCheckpoints?: boolean;
  /** Capture mode: queued writes wait for a locked database this long, without blocking the event loop. */
  commitTimeoutMs?: number;
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
  if (filter.typeGlob !== undefined) {
    // The literal head of the glob as a range, so that events_event_type serves it; GLOB checks the rest.
    const { prefix, exact } = globPrefix(filter.typeGlob);
    if (exact) {
      where.push("event_type = @type");
      params.type = prefix;
    } else {
      // ASCII only: there JavaScript's order of strings is SQLite's (bytes of UTF-8), and the range is exact.
      if (prefix !== "" && /^[\x20-\x7e]+$/.test(prefix)) {
        where.push("event_type >= @typeFrom AND event_type < @typeTo");
        params.typeFrom = prefix;
        params.typeTo = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
      }
      where.push("event_type GLOB @typeGlob");
      params.typeGlob = sqliteGlobOf(filter.typeGlob);
    }
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

/**
 * What every view of an event reads the same way: the request line, who sent it, and whether and where it went on.
 * The views add their own fields with Object.assign: a spread (`{ ...toBasics(row), ... }`) took twice the CPU of
 * mapping each field when listing 100,000 events.
 */
type EventBasics = Pick<EventSummary, "id" | "receivedAt" | "method" | "url" | "provider" | "eventType" | "rejected" | "target" | "notForwarded">;

function toBasics(row: Pick<EventRow, "id" | "received_at" | "method" | "url" | "provider" | "event_type" | "rejected" | "target" | "not_forwarded">): EventBasics {
  return {
    id: row.id,
    receivedAt: row.received_at,
    method: row.method,
    url: row.url,
    provider: row.provider,
    eventType: row.event_type,
    rejected: row.rejected as Rejection | null,
    target: row.target,
    notForwarded: row.not_forwarded as NotForwarded | null,
  };
}

function toSummary(row: EventRow): EventSummary {
  return Object.assign(toBasics(row), {
    verification: { status: row.verification_status as VerificationStatus, reason: row.verification_reason },
    bodySize: row.body_size,
    bodySha256: row.body_sha256,
    via: row.via as Via,
    delivery:
      row.last_attempt_at === null
        ? null
        : { status: row.last_status, error: row.last_error, durationMs: row.last_duration_ms ?? 0, kind: (row.last_kind ?? "forward") as DeliveryKind },
  });
}

/** An event as a replay reads it: the request, its provider and type, its target, and whether it was rejected. */
function toReplayable(row: ReplayableRow): ReplayableEvent {
  return Object.assign(toBasics(row), {
    headers: JSON.parse(row.headers) as HeaderPairs,
    body: row.body ?? Buffer.alloc(0),
  });
}

/** The whole event: what a replay reads, and where it came from, its verification and its body's size and digest. */
function toEvent(row: EventRow): CapturedEvent {
  return {
    ...toReplayable(row),
    remoteAddress: row.remote_address,
    via: row.via as Via,
    publicUrl: row.public_url,
    verification: {
      status: row.verification_status as VerificationStatus,
      reason: row.verification_reason,
      hint: row.verification_hint,
    },
    bodySize: row.body_size,
    bodySha256: row.body_sha256,
  };
}

function toAttempt(row: DeliveryRow, eventHeaders: HeaderPairs): DeliveryAttempt {
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
    request: row.request_headers === null ? null : { headers: decodeSentHeaders(row.request_headers, eventHeaders), body: row.request_body },
  };
}

/** The WHERE clause (with its leading space, or empty) and parameters of an event filter; the limit is not in it. */

/** A `--type` glob (`*` any run, `?` one character) as SQLite's GLOB reads it: its `[` taken literally. */
function sqliteGlobOf(glob: string): string {
  return glob.replace(/\[/g, "[[]");
}
