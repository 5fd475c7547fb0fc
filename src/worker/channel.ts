import { DurableObject } from "cloudflare:workers";
import {
  BODY_PART_BYTES,
  CONSUMER_ID_PATTERN,
  PING,
  PONG,
  encodeFrame,
  type ChannelSettings,
  type ChannelStatus,
  type EventFrameHeader,
  type FollowerMessage,
  type RelayHandshake,
  type RelayMessage,
} from "../core/relay-protocol.js";
import type { HeaderPairs } from "../core/types.js";
import { bearerOf, tokenMatches } from "./crypto.js";
import { answerHandshake } from "./relay-handshakes.js";

/** What a follower's socket remembers across hibernation (serializeAttachment: at most 2 KB). */
interface FollowerState {
  consumer: string;
  /** The highest sequence sent on this socket. */
  sent: number;
  /** The highest sequence this consumer acknowledged. */
  acked: number;
}

/** Where an ingest request came from, as the worker saw it. */
export interface IngestOrigin {
  /** The event's path and query, below the channel URL. */
  url: string;
  /** The URL the sender called. */
  calledUrl: string;
  receivedAt: number;
  remoteAddress: string | null;
}

/** Events sent to a follower beyond what it acknowledged: enough to keep a drain busy, bounded in memory. */
const WINDOW_EVENTS = 1024;
const WINDOW_BYTES = 16 * 1024 * 1024;
/** Rows read per query while sending a backlog. */
const SEND_BATCH = 256;
/** `--respond live`: how long the sender waits for the handler's answer before getting 202. */
const LIVE_WAIT_MS = 8_000;
/** A follower's consumers per channel: each is a cursor the relay keeps. */
const MAX_CONSUMERS = 100;
/** One event's body at most, whatever the channel's cap: the Durable Object holds one part in memory at a time, but a sender's body over Cloudflare's free-plan limit never arrives anyway. */
const MAX_EVENT_BYTES = 100 * 1024 * 1024;

const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
  `CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    called_url TEXT NOT NULL,
    headers TEXT NOT NULL,
    body_size INTEGER NOT NULL,
    stored_bytes INTEGER NOT NULL,
    remote_address TEXT,
    handshake TEXT
  )`,
  "CREATE INDEX IF NOT EXISTS events_received ON events (received_at)",
  "CREATE INDEX IF NOT EXISTS events_body ON events (body_id)",
  // A body in parts of BODY_PART_BYTES: a SQLite-backed Durable Object keeps at most 2 MB in one value or row.
  "CREATE TABLE IF NOT EXISTS body_parts (body_id INTEGER NOT NULL, part INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (body_id, part)) WITHOUT ROWID",
  "CREATE TABLE IF NOT EXISTS consumers (id TEXT PRIMARY KEY, acked INTEGER NOT NULL, created_at INTEGER NOT NULL, seen_at INTEGER NOT NULL)",
];

/**
 * One channel: its events in its own SQLite storage, in sequence, and the cursor of every consumer that follows it.
 * Senders' requests are stored before they are answered (the Durable Object's output gate holds the answer until
 * the write is durable); followers read over hibernatable WebSockets from where they left off. It reads no binding:
 * the worker (index.ts) routes and checks the admin token.
 */
export class RelayChannel extends DurableObject<unknown> {
  private readonly sql: SqlStorage;
  /** `--respond live`: senders waiting for a follower's answer, by sequence. */
  private readonly waiting = new Map<number, (answer: Response) => void>();

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // The followers' heartbeat is answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    if (this.exists()) {
      // Parts of a body whose upload never completed (the object was evicted mid-upload).
      this.sql.exec("DELETE FROM body_parts WHERE NOT EXISTS (SELECT 1 FROM events WHERE events.body_id = body_parts.body_id)");
    }
  }

  /** Makes the channel; the worker calls it once with the hash of the token it handed out. */
  create(channel: string, settings: ChannelSettings, tokenSha256: string, now: number): void {
    for (const statement of SCHEMA) this.sql.exec(statement);
    if (this.meta("created") !== null) throw new Error("channel exists");
    this.setMeta("channel", channel);
    this.setMeta("created", String(now));
    this.setMeta("token_sha256", tokenSha256);
    this.setMeta("settings", JSON.stringify(settings));
    this.setMeta("head", "0");
    this.setMeta("bytes", "0");
  }

  /** Deletes everything the channel holds; its followers are disconnected. */
  async destroy(): Promise<boolean> {
    const existed = this.exists();
    for (const socket of this.ctx.getWebSockets()) socket.close(4404, "channel deleted");
    for (const resolve of this.waiting.values()) resolve(new Response(null, { status: 404 }));
    this.waiting.clear();
    await this.ctx.storage.deleteAll();
    return existed;
  }

  async status(token: string | null, admin: boolean): Promise<ChannelStatus | "unknown" | "unauthorized"> {
    if (!this.exists()) return "unknown";
    if (!admin && !(await tokenMatches(token, this.meta("token_sha256")))) return "unauthorized";
    const settings = this.settings();
    this.applyRetention(Date.now(), settings);
    const head = Number(this.meta("head"));
    const oldest = this.sql.exec<{ at: number | null }>("SELECT min(received_at) AS at FROM events").one().at;
    const connected = new Set(this.ctx.getWebSockets().map((socket) => (socket.deserializeAttachment() as FollowerState).consumer));
    const consumers = this.sql
      .exec<{ id: string; acked: number; seen_at: number; backlog: number }>(
        "SELECT id, acked, seen_at, (SELECT count(*) FROM events WHERE events.seq > consumers.acked) AS backlog FROM consumers ORDER BY created_at",
      )
      .toArray()
      .map((row) => ({ consumer: row.id, acked: row.acked, backlog: row.backlog, connected: connected.has(row.id), seenAt: row.seen_at }));
    return {
      channel: this.meta("channel") ?? "",
      createdAt: Number(this.meta("created")),
      head,
      events: this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM events").one().n,
      bytes: Number(this.meta("bytes")),
      maxBytes: settings.maxBytes,
      retentionDays: settings.retentionDays,
      respond: settings.respond,
      oldestReceivedAt: oldest,
      handshakeSecrets: Object.keys(settings.handshakeSecrets),
      consumers,
    };
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (!this.exists()) {
      if (request.body !== null) await request.body.cancel();
      return notFound();
    }
    if (url.pathname === "/follow") return this.follow(request, url);
    if (url.pathname === "/ingest") {
      const origin: IngestOrigin = {
        url: url.searchParams.get("url") ?? "/",
        calledUrl: url.searchParams.get("called") ?? "",
        receivedAt: Number(url.searchParams.get("at")),
        remoteAddress: url.searchParams.get("ip"),
      };
      return this.ingest(request, origin);
    }
    return notFound();
  }

  private async ingest(request: Request, origin: IngestOrigin): Promise<Response> {
    const settings = this.settings();
    this.applyRetention(origin.receivedAt, settings);
    const headers: HeaderPairs = [...request.headers];
    const headersBytes = JSON.stringify(headers).length + origin.url.length;
    const declared = Number(request.headers.get("content-length") ?? Number.NaN);
    const maxEvent = Math.min(MAX_EVENT_BYTES, settings.maxBytes);
    if (Number.isFinite(declared)) {
      const refusal = this.refusal(declared + headersBytes, maxEvent, settings);
      if (refusal !== null) {
        if (request.body !== null) await request.body.cancel();
        return refusal;
      }
    }
    const bodyId = randomBodyId();
    const read = await this.storeBody(request.body, bodyId, (size) => this.refusal(size + headersBytes, maxEvent, settings));
    if (read.kind === "refused") {
      this.sql.exec("DELETE FROM body_parts WHERE body_id = ?", bodyId);
      return read.response;
    }
    const body = read.small;
    const handshake =
      body !== null ? await answerHandshake({ method: request.method, url: origin.url, headers, body }, { calledUrl: origin.calledUrl, settings }) : null;
    // From here to the insert nothing awaits: the sequence number is taken and used in one atomic step, so that
    // sequences appear in the order their events become readable.
    const seq = Number(this.meta("head")) + 1;
    const storedBytes = read.size + headersBytes;
    if (body !== null && body.length > 0) this.sql.exec("INSERT INTO body_parts (body_id, part, data) VALUES (?, ?, ?)", bodyId, 0, body);
    this.sql.exec(
      `INSERT INTO events (seq, body_id, received_at, method, url, called_url, headers, body_size, stored_bytes, remote_address, handshake)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      seq,
      bodyId,
      origin.receivedAt,
      request.method,
      origin.url,
      origin.calledUrl,
      JSON.stringify(headers),
      read.size,
      storedBytes,
      origin.remoteAddress,
      handshake === null ? null : JSON.stringify(handshake),
    );
    this.setMeta("head", String(seq));
    this.setMeta("bytes", String(Number(this.meta("bytes")) + storedBytes));

    if (handshake !== null) {
      this.pumpAll();
      return new Response(base64Bytes(handshake.bodyBase64), { status: handshake.status, headers: handshake.headers });
    }
    // `--respond live`: the handler's own answer while a follower is connected; else 202, stored for later.
    if (settings.respond === "live" && this.ctx.getWebSockets().length === 0) return new Response(null, { status: 202 });
    if (settings.respond === "live") {
      const answer = new Promise<Response>((resolve) => {
        this.waiting.set(seq, resolve);
        setTimeout(() => resolve(new Response(null, { status: 202 })), LIVE_WAIT_MS);
      });
      this.pumpAll();
      const response = await answer;
      this.waiting.delete(seq);
      return response;
    }
    this.pumpAll();
    return new Response(null, { status: 200 });
  }

  /** 413 when one body is over the per-event limit, 507 when the channel is full; null when it fits. */
  private refusal(size: number, maxEvent: number, settings: ChannelSettings): Response | null {
    if (size > maxEvent) {
      console.warn(`hooktape-relay: channel ${this.shortName()}: refused a body of ${size} bytes (413; at most ${maxEvent})`);
      return new Response("body too large\n", { status: 413 });
    }
    const stored = Number(this.meta("bytes"));
    if (stored + size > settings.maxBytes) {
      console.warn(`hooktape-relay: channel ${this.shortName()} is full (${stored} of ${settings.maxBytes} bytes): answered 507`);
      return new Response("channel full\n", { status: 507, headers: { "retry-after": "3600" } });
    }
    return null;
  }

  /**
   * Reads the body part by part and stores each part as it fills, so that a large body is never held whole in the
   * object's memory. `small`: the whole body when it fits in one part, not yet stored (the caller stores it with the
   * event's row), else null.
   */
  private async storeBody(
    stream: ReadableStream<Uint8Array> | null,
    bodyId: number,
    refuse: (size: number) => Response | null,
  ): Promise<{ kind: "stored"; size: number; small: Uint8Array | null } | { kind: "refused"; response: Response }> {
    if (stream === null) return { kind: "stored", size: 0, small: new Uint8Array(0) };
    const reader = stream.getReader();
    let part = 0;
    let size = 0;
    let filled = 0;
    let buffer = new Uint8Array(BODY_PART_BYTES);
    const flush = () => {
      this.sql.exec("INSERT INTO body_parts (body_id, part, data) VALUES (?, ?, ?)", bodyId, part, buffer.subarray(0, filled));
      part++;
      filled = 0;
      buffer = new Uint8Array(BODY_PART_BYTES);
    };
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      const refusal = refuse(size);
      if (refusal !== null) {
        await reader.cancel();
        return { kind: "refused", response: refusal };
      }
      let offset = 0;
      while (offset < value.length) {
        const take = Math.min(BODY_PART_BYTES - filled, value.length - offset);
        buffer.set(value.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === BODY_PART_BYTES) flush();
      }
    }
    // A body that fits in one part is written with its event row, in the same implicit transaction: one durable
    // write per request instead of two (each waited for before the sender's answer).
    if (part === 0) return { kind: "stored", size, small: buffer.slice(0, filled) };
    if (filled > 0) flush();
    return { kind: "stored", size, small: null };
  }

  /**
   * Deletes events past the channel's retention: on every request that reads or writes the channel, so that nothing
   * expired is ever sent or counted. Two range reads of the received-time index when there is nothing to delete.
   */
  private applyRetention(now: number, settings: ChannelSettings): void {
    const cutoff = now - settings.retentionDays * 86_400_000;
    const old = this.sql.exec<{ n: number; bytes: number | null }>("SELECT count(*) AS n, sum(stored_bytes) AS bytes FROM events WHERE received_at < ?", cutoff).one();
    if (old.n === 0) return;
    this.sql.exec("DELETE FROM body_parts WHERE body_id IN (SELECT body_id FROM events WHERE received_at < ?)", cutoff);
    this.sql.exec("DELETE FROM events WHERE received_at < ?", cutoff);
    this.setMeta("bytes", String(Math.max(0, Number(this.meta("bytes")) - (old.bytes ?? 0))));
    console.log(`hooktape-relay: channel ${this.shortName()}: retention (${settings.retentionDays} days) deleted ${old.n} events`);
  }

  private async follow(request: Request, url: URL): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("expected a WebSocket upgrade\n", { status: 426 });
    if (!(await tokenMatches(bearerOf(request), this.meta("token_sha256")))) return unauthorized();
    const consumer = url.searchParams.get("consumer") ?? "";
    if (!CONSUMER_ID_PATTERN.test(consumer)) return new Response("consumer: 8 to 64 of A-Z a-z 0-9 _ -\n", { status: 400 });
    const now = Date.now();
    this.applyRetention(now, this.settings());
    let row = this.sql.exec<{ acked: number }>("SELECT acked FROM consumers WHERE id = ?", consumer).toArray()[0];
    if (row === undefined) {
      const count = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM consumers").one().n;
      if (count >= MAX_CONSUMERS) return new Response(`at most ${MAX_CONSUMERS} consumers per channel\n`, { status: 429 });
      this.sql.exec("INSERT INTO consumers (id, acked, created_at, seen_at) VALUES (?, 0, ?, ?)", consumer, now, now);
      row = { acked: 0 };
    } else this.sql.exec("UPDATE consumers SET seen_at = ? WHERE id = ?", now, consumer);
    // One connection per consumer: a newer one (the same store, restarted) replaces the older.
    for (const older of this.ctx.getWebSockets(consumer)) older.close(4409, "replaced by a newer connection of the same consumer");

    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server, [consumer]);
    const state: FollowerState = { consumer, sent: row.acked, acked: row.acked };
    server.serializeAttachment(state);
    const head = Number(this.meta("head"));
    const backlog = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM events WHERE seq > ?", row.acked).one().n;
    const hello: RelayMessage = { t: "hello", channel: this.meta("channel") ?? "", consumer, acked: row.acked, head, backlog, respond: this.settings().respond };
    server.send(JSON.stringify(hello));
    this.pump(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message !== "string" || !this.exists()) return;
    let parsed: FollowerMessage;
    try {
      parsed = JSON.parse(message) as FollowerMessage;
    } catch {
      return;
    }
    const state = socket.deserializeAttachment() as FollowerState;
    if (parsed.t === "ack" && Number.isSafeInteger(parsed.seq) && parsed.seq > state.acked) {
      state.acked = Math.min(parsed.seq, state.sent);
      socket.serializeAttachment(state);
      this.sql.exec("UPDATE consumers SET acked = max(acked, ?), seen_at = ? WHERE id = ?", state.acked, Date.now(), state.consumer);
      this.pump(socket);
    } else if (parsed.t === "response") {
      const resolve = this.waiting.get(parsed.seq);
      if (resolve === undefined) return;
      this.waiting.delete(parsed.seq);
      resolve(new Response(base64Bytes(parsed.bodyBase64), { status: parsed.status, headers: withoutHopHeaders(parsed.headers) }));
    }
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    // The runtime does not complete the closing handshake by itself (a 1005/1006 code cannot be sent back).
    try {
      socket.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
    } catch {
      // already closed
    }
  }

  /** Sends every connected follower what it may have next. */
  private pumpAll(): void {
    for (const socket of this.ctx.getWebSockets()) this.pump(socket);
  }

  /** Sends a follower the events after what it was sent, within its window past what it acknowledged. */
  private pump(socket: WebSocket): void {
    const state = socket.deserializeAttachment() as FollowerState | null;
    if (state === null) return;
    const head = Number(this.meta("head"));
    const start = state.sent;
    let inFlightBytes =
      state.sent > state.acked
        ? (this.sql.exec<{ b: number | null }>("SELECT sum(body_size) AS b FROM events WHERE seq > ? AND seq <= ?", state.acked, state.sent).one().b ?? 0)
        : 0;
    while (state.sent < head && state.sent - state.acked < WINDOW_EVENTS && inFlightBytes < WINDOW_BYTES) {
      const limit = Math.min(SEND_BATCH, state.acked + WINDOW_EVENTS - state.sent);
      const rows = this.sql
        .exec<{
          seq: number;
          body_id: number;
          received_at: number;
          method: string;
          url: string;
          called_url: string;
          headers: string;
          body_size: number;
          remote_address: string | null;
          handshake: string | null;
        }>(
          "SELECT seq, body_id, received_at, method, url, called_url, headers, body_size, remote_address, handshake FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
          state.sent,
          limit,
        )
        .toArray();
      if (rows.length === 0) {
        state.sent = head;
        break;
      }
      for (const row of rows) {
        const parts = this.sql.exec<{ data: ArrayBuffer }>("SELECT data FROM body_parts WHERE body_id = ? ORDER BY part", row.body_id).toArray();
        const count = Math.max(1, parts.length);
        const first: EventFrameHeader = {
          t: "event",
          seq: row.seq,
          part: 0,
          parts: count,
          receivedAt: row.received_at,
          method: row.method,
          url: row.url,
          calledUrl: row.called_url,
          headers: JSON.parse(row.headers) as HeaderPairs,
          bodySize: row.body_size,
          remoteAddress: row.remote_address,
          handshake: row.handshake === null ? null : (JSON.parse(row.handshake) as RelayHandshake),
          awaitsResponse: this.waiting.has(row.seq),
        };
        try {
          socket.send(encodeFrame(first, parts.length > 0 ? new Uint8Array(parts[0]!.data) : new Uint8Array(0)));
          for (let part = 1; part < parts.length; part++) {
            socket.send(encodeFrame({ t: "event", seq: row.seq, part, parts: count }, new Uint8Array(parts[part]!.data)));
          }
        } catch {
          return; // the socket closed meanwhile; the consumer resumes from what it acknowledged
        }
        state.sent = row.seq;
        inFlightBytes += row.body_size;
        if (inFlightBytes >= WINDOW_BYTES) break;
      }
    }
    if (state.sent !== start) socket.serializeAttachment(state);
  }

  private exists(): boolean {
    try {
      return this.meta("created") !== null;
    } catch {
      return false; // no table: never created, or deleted
    }
  }

  private settings(): ChannelSettings {
    return JSON.parse(this.meta("settings") ?? "{}") as ChannelSettings;
  }

  private meta(key: string): string | null {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value ?? null;
  }

  private setMeta(key: string, value: string): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
  }

  /** The channel's first characters, for log lines: enough to tell channels apart, not enough to post to one. */
  private shortName(): string {
    return `${(this.meta("channel") ?? "").slice(0, 6)}…`;
  }
}

/** A random integer below 2^53 naming one body's parts until its event row exists. */
function randomBodyId(): number {
  const [high, low] = crypto.getRandomValues(new Uint32Array(2));
  return (high! & 0x1fffff) * 0x100000000 + low!;
}

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A handler's answer as the sender may get it: without the headers of the hop it came over (RFC 9110 §7.6.1). */
function withoutHopHeaders(headers: HeaderPairs): HeaderPairs {
  const hop = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "content-length", "trailer"]);
  return headers.filter(([name]) => !hop.has(name.toLowerCase()));
}

export function notFound(): Response {
  return new Response("not found\n", { status: 404 });
}

export function unauthorized(): Response {
  return new Response("unauthorized\n", { status: 401, headers: { "www-authenticate": 'Bearer realm="hooktape-relay"' } });
}
