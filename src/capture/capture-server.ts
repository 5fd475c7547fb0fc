import { createHash } from "node:crypto";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import type { Dispatcher } from "undici";
import { newDeliveryId, newEventId } from "../core/ids.js";
import { findHeader, joinPublicUrl, localUrlOf, pairsFromRaw } from "../core/headers.js";
import { redactNamed } from "../core/redact.js";
import { formatBytes } from "../core/units.js";
import type { CapturedEvent, DeliveryAttempt, HeaderPairs, RawRequest, Verification, Via } from "../core/types.js";
import { deliver, type DeliveryResult } from "../forward/index.js";
import { TOKEN_HEADERS } from "../providers/index.js";
import type { EventStore, EventSummary } from "../store/index.js";
import { runHandshake, type HandshakeNotice } from "./handshake-step.js";
import { recogniseHandshake, type HandshakeCredentials, type HandshakeMode } from "./handshakes.js";
import { createRouter, type Routing } from "./routing.js";
import { NOT_FORWARDED_HEADER, takeTriggerMark, TRIGGERED_EVENT_HEADER } from "./trigger-mark.js";

/** What the capture engine tells whoever renders it; it never prints. */
export type CaptureNotice =
  | { type: "event"; event: CapturedEventNotice; handshake?: HandshakeNotice }
  | { type: "warning"; message: string };

/** An event as `events list` shows it, with the forwarding attempt that just ended (if any). */
export type CapturedEventNotice = EventSummary;

export interface CaptureOptions {
  store: EventStore;
  host: string;
  /** 0: a free port. */
  port: number;
  /** Where to forward; null: capture only, answer 200. */
  target: URL | null;
  /** Answer the sender at once with this status and forward in the background. */
  ack: number | null;
  timeoutMs: number;
  maxBodyBytes: number;
  /** The store's cap in bytes (`--max-store`): past it, requests are answered 507 and not recorded. */
  maxStoreBytes?: number;
  /** Defaults 20 s and 1024: see SERVER_LIMITS. Tests lower them. */
  headersTimeoutMs?: number;
  maxConnections?: number;
  /** Decides provider and verification for a request that just arrived (a promise while `--fetch-certs` fetches). */
  verify: (request: RawRequest, context: { url: string }) => VerifyDecision | Promise<VerifyDecision>;
  /** The public URL while a tunnel is up, else null. */
  publicUrl: () => string | null;
  dispatcher: Dispatcher;
  onNotice: (notice: CaptureNotice) => void;
  now?: () => number;
  /** Providers' URL-verification handshakes (handshakes.ts); absent or "off": forwarded like any other request. */
  handshakes?: { mode: HandshakeMode; credentials: HandshakeCredentials };
  /** `--route` and `--only` (routing.ts); absent: everything goes to `target`. */
  routing?: Routing;
  /** This run's token: a request that carries it was sent by `hooktape trigger` (trigger-mark.ts). */
  triggerToken?: string;
}

export interface VerifyDecision {
  provider: string | null;
  /** The event type the provider's rule reads from the request (null: none). */
  eventType?: string | null;
  verification: Verification;
  secretHeaders?: readonly string[];
}

export interface CaptureServer {
  /** http://host:port */
  url: string;
  port: number;
  /**
   * http://127.0.0.1:<port> of a second listener that only the tunnel's cloudflared is told about. Requests
   * arriving on it are "via tunnel" and their Cloudflare headers are trusted; on the main listener they are not.
   */
  tunnelOriginUrl: string;
  /** Stops accepting, lets in-flight requests finish (bounded by `graceMs`), then resolves. */
  close(graceMs?: number): Promise<void>;
}

// Headers a hop must not pass on to the sender (RFC 9110 §7.6.1); the length is set anew.
const NOT_RETURNED = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "content-length", "trailer"]);

/**
 * What a stranger with the public URL may hold open. Node 20 turns the headers timeout off along with
 * `requestTimeout: 0`, so both are set: headers within 20 s (slowloris), the whole upload within 5 minutes
 * (25 MB at 100 kB/s is ~4 minutes); idle keep-alive connections close after 5 s, and a connection serves at most
 * 1000 requests. Past `maxConnections` new connections are dropped at once rather than queued.
 */
const SERVER_LIMITS = {
  headersTimeoutMs: 20_000,
  uploadAllowanceMs: 5 * 60_000,
  keepAliveTimeoutMs: 5_000,
  maxRequestsPerSocket: 1_000,
  maxConnections: 1_024,
  /** How often Node looks for connections past their timeouts (its default is 30 s, longer than the timeouts). */
  checkIntervalMs: 1_000,
} as const;

/** Bodies larger than this with a declared length are read into one preallocated buffer. */
const LARGE_BODY_BYTES = 64 * 1024;

/** How often the "store is full" line may repeat while requests keep being refused. */
const STORE_FULL_NOTICE_MS = 10_000;

// Headers a client must not be able to set for the handler: hooktape sets them from what it knows.
const FORWARDED_BY_HOOKTAPE = /^x-forwarded-(for|proto|host)$/i;

export async function startCaptureServer(options: CaptureOptions): Promise<CaptureServer> {
  const now = options.now ?? Date.now;
  const inFlight = new Set<Promise<void>>();
  const headersTimeout = options.headersTimeoutMs ?? SERVER_LIMITS.headersTimeoutMs;
  /** Sockets accepted on the tunnel's own listener: only these are "via tunnel". */
  const tunnelSockets = new WeakSet<net.Socket>();
  let storeFullNoticeAt = -Infinity;
  const router = createRouter(options.routing ?? { routes: [], only: [] }, options.target);

  const server = http.createServer(
    {
      maxHeaderSize: 64 * 1024,
      headersTimeout,
      requestTimeout: headersTimeout + options.timeoutMs + SERVER_LIMITS.uploadAllowanceMs,
      keepAliveTimeout: SERVER_LIMITS.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(SERVER_LIMITS.checkIntervalMs, headersTimeout),
    },
    (req, res) => {
    const work = handleRequest(req, res).catch((error: unknown) => {
      options.onNotice({ type: "warning", message: `request failed: ${error instanceof Error ? error.message : String(error)}` });
      if (!res.headersSent) respond(res, 500, "hooktape: internal error\n");
      else res.destroy();
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  },
  );
  server.maxRequestsPerSocket = SERVER_LIMITS.maxRequestsPerSocket;
  server.maxConnections = options.maxConnections ?? SERVER_LIMITS.maxConnections;

  // Malformed HTTP is answered by Node's parser (400, 431 ...) and never recorded; the server keeps serving.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === "ECONNRESET") {
      socket.destroy();
      return;
    }
    const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const receivedAt = now();
    const arrived = pairsFromRaw(req.rawHeaders);
    const unmarked = takeTriggerMark(arrived, options.triggerToken);
    const headers = unmarked ?? arrived;
    const url = req.url ?? "/";
    const refusal = refuseMalformed(url, headers);
    if (refusal !== null) {
      req.resume();
      respond(res, 400, `hooktape: ${refusal}\n`, { connection: "close" });
      return;
    }
    if (storeIsFull(Number(req.headers["content-length"]) || 0)) {
      req.resume();
      respond(res, 507, "hooktape: the capture store is full; try again later\n", { "retry-after": "60" });
      return;
    }
    const body = await readBody(req, options.maxBodyBytes);
    if (body.kind === "aborted") return; // the sender went away mid-upload: nothing complete to record or answer

    const publicUrl = options.publicUrl();
    const via: Via = unmarked !== null ? "trigger" : tunnelSockets.has(req.socket) ? "tunnel" : "local";
    const raw: RawRequest = { method: req.method ?? "GET", url, headers, body: body.bytes, receivedAt };
    const calledUrl = via === "tunnel" && publicUrl ? joinPublicUrl(publicUrl, url) : localUrlOf(headers, url);
    let decision: VerifyDecision | Promise<VerifyDecision> =
      body.kind === "too_large"
        ? { provider: null, verification: { status: "unverified" as const, reason: "too_large" } }
        : options.verify(raw, { url: calledUrl });
    // Awaited only when the verifier is fetching (--fetch-certs): otherwise nothing changes in the request's path.
    if (decision instanceof Promise) decision = await decision;
    const { provider, verification, secretHeaders = [], eventType = null } = decision;
    const route = body.kind === "too_large" ? { target: null, notForwarded: null } : router.choose({ url, eventType });
    const event: CapturedEvent = {
      ...raw,
      // A header that carries the secret itself is forwarded as it came but stored redacted: every token scheme's
      // header whatever was detected (and on the 413 path, where nothing is), plus any the verifier names.
      headers: redactNamed(headers, secretHeaders.length === 0 ? TOKEN_HEADERS : [...TOKEN_HEADERS, ...secretHeaders]),
      id: newEventId(receivedAt),
      // Through the tunnel the socket is cloudflared on this machine; Cloudflare names the real sender.
      remoteAddress: (via === "tunnel" ? findHeader(headers, "cf-connecting-ip") : undefined) ?? req.socket.remoteAddress ?? null,
      via,
      provider,
      eventType,
      verification,
      rejected: body.kind === "too_large" ? "too_large" : null,
      notForwarded: route.notForwarded,
      bodySize: body.size,
      bodySha256: body.kind === "too_large" ? "" : createHash("sha256").update(body.bytes).digest("hex"),
      publicUrl: via === "tunnel" ? publicUrl : null,
      target: route.target,
    };
    if (unmarked !== null) {
      res.setHeader(TRIGGERED_EVENT_HEADER, event.id);
      if (event.notForwarded !== null) res.setHeader(NOT_FORWARDED_HEADER, event.notForwarded);
    }

    if (body.kind === "complete" && storeIsFull(body.size)) {
      respond(res, 507, "hooktape: the capture store is full; try again later\n", { "retry-after": "60" });
      return;
    }
    // The event is committed before the sender hears anything: a killed process loses no acknowledged event.
    try {
      await options.store.recordEvent(event);
    } catch (error) {
      options.onNotice({ type: "warning", message: `could not record ${event.method} ${url}: ${describeError(error)}` });
      respond(res, 503, "hooktape: could not record the request; retry later\n", { "retry-after": "5" });
      return;
    }

    if (event.rejected) {
      // No `Connection: close`: closing while the sender still uploads makes it see a reset (EPIPE) instead of this
      // answer. The rest of the upload is read and discarded, bounded by the server's request timeout.
      respond(res, 413, `hooktape: body larger than ${options.maxBodyBytes} bytes (--max-body)\n`);
      options.onNotice({ type: "event", event: toNotice(event, null) });
      return;
    }
    const handshakes = options.handshakes;
    if (handshakes !== undefined && handshakes.mode !== "off") {
      const handshake = recogniseHandshake({ request: raw, provider, verification, calledUrl }, handshakes.credentials);
      const handled =
        handshake !== null &&
        (await runHandshake(handshake, {
          mode: handshakes.mode,
          event,
          ack: options.ack,
          now,
          forward: (target) => forward(event, target, headers, false),
          reply: (answer) => respondWith(res, answer.status, answer.headers, answer.body),
          replyWithHandler: (result) => answerWithHandlerResponse(res, result),
          record: (attempt) => recordAttempt(attempt),
          announce: (delivery, about) => options.onNotice({ type: "event", event: toNotice(event, delivery), handshake: about }),
          warn: (message) => options.onNotice({ type: "warning", message }),
        }));
      if (handled) return;
    }
    if (!event.target) {
      respond(res, 200, "");
      options.onNotice({ type: "event", event: toNotice(event, null) });
      return;
    }
    if (options.ack !== null) {
      respond(res, options.ack, "");
      await forward(event, event.target, headers);
      return;
    }
    const result = await forward(event, event.target, headers);
    answerWithHandlerResponse(res, result);
  }

  async function forward(event: CapturedEvent, target: string, arrivedHeaders: HeaderPairs, announce = true): Promise<DeliveryResult> {
    const result = await deliver(
      { method: event.method, url: target, headers: withForwardingHeaders(event, arrivedHeaders), body: event.body },
      { timeoutMs: options.timeoutMs, dispatcher: options.dispatcher, now },
    );
    const attempt: DeliveryAttempt = {
      eventId: event.id,
      kind: "forward",
      deliveryId: newDeliveryId(),
      attempt: 1,
      target,
      method: event.method,
      status: result.status,
      error: result.error,
      durationMs: result.durationMs,
      startedAt: result.startedAt,
      responseHeaders: result.responseHeaders,
      responseBody: result.responseBody,
      responseSize: result.responseSize,
    };
    await recordAttempt(attempt);
    if (!announce) return result;
    options.onNotice({
      type: "event",
      event: toNotice(event, { status: result.status, error: result.error, durationMs: result.durationMs }),
    });
    return result;
  }

  async function recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    try {
      await options.store.recordAttempt(attempt);
    } catch (error) {
      options.onNotice({ type: "warning", message: `could not record the delivery of ${attempt.eventId}: ${describeError(error)}` });
    }
  }

  /**
   * `--max-store`: true when recording `incoming` more bytes would take the store past its cap. Logged once per
   * STORE_FULL_NOTICE_MS, so that a flood of refused requests does not become a flood of lines.
   */
  function storeIsFull(incoming: number): boolean {
    const cap = options.maxStoreBytes;
    if (cap === undefined) return false;
    const size = options.store.sizeBytes();
    if (size + incoming <= cap) return false;
    const at = now();
    if (at - storeFullNoticeAt >= STORE_FULL_NOTICE_MS) {
      storeFullNoticeAt = at;
      options.onNotice({
        type: "warning",
        message:
          `the store is full (${formatBytes(size)} of --max-store ${formatBytes(cap)}): answering 507 and recording nothing; ` +
          "free space with `hooktape events prune --older-than <duration>` or raise --max-store",
      });
    }
    return true;
  }

  await listenOn(server, options.port, options.host);
  // The tunnel's listener: loopback only, a port only cloudflared is given. Its sockets are handed to the same
  // HTTP server, marked, so that the handler knows they came through Cloudflare's edge.
  const tunnelListener = net.createServer((socket) => {
    tunnelSockets.add(socket);
    server.emit("connection", socket);
  });
  tunnelListener.maxConnections = server.maxConnections;
  await listenOn(tunnelListener, 0, "127.0.0.1");
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    tunnelOriginUrl: `http://127.0.0.1:${(tunnelListener.address() as AddressInfo).port}`,
    async close(graceMs = 10_000) {
      tunnelListener.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const settled = Promise.allSettled([...inFlight]);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([settled, timedOut]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
    },
  };
}

function listenOn(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/**
 * Why a request is refused before anything is recorded, or null. Only origin-form targets (`/path?query`): an
 * absolute-form (`POST http://evil.example/x`) or `*` target would otherwise be glued onto the handler's URL. A
 * second Host header makes the request's authority ambiguous (RFC 9112 §3.2: answer 400).
 */
function refuseMalformed(url: string, headers: HeaderPairs): string | null {
  if (!url.startsWith("/")) return "only origin-form request targets (/path) are accepted";
  let hosts = 0;
  for (const [name] of headers) if (name.length === 4 && name.toLowerCase() === "host") hosts++;
  if (hosts > 1) return "more than one Host header";
  return null;
}

type BodyRead =
  | { kind: "complete"; bytes: Buffer; size: number }
  | { kind: "too_large"; bytes: Buffer; size: number }
  | { kind: "aborted" };

/** Reads the raw body; past `max` bytes it stops keeping them (and says so) but lets the upload drain. */
function readBody(req: http.IncomingMessage, max: number): Promise<BodyRead> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return Promise.resolve({ kind: "too_large", bytes: Buffer.alloc(0), size: declared });
  }
  // A large body of known length is copied into one buffer as it arrives, so that it is held once, not as chunks
  // plus their concatenation (two copies at the end). Small bodies keep the cheaper chunk list.
  const into = Number.isFinite(declared) && declared > LARGE_BODY_BYTES ? Buffer.allocUnsafe(declared) : null;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      const at = size;
      size += chunk.length;
      if (size > max) {
        if (!tooLarge) {
          tooLarge = true;
          chunks.length = 0;
          // Enough has been seen: answer now rather than wait for an upload that may never end.
          resolve({ kind: "too_large", bytes: Buffer.alloc(0), size });
        }
        return;
      }
      // Node's parser never delivers more than Content-Length; the check keeps a copy past the end impossible.
      if (into !== null && size <= into.length) chunk.copy(into, at);
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) return;
      if (into !== null && chunks.length === 0) resolve({ kind: "complete", bytes: into.subarray(0, size), size });
      else if (into === null) resolve({ kind: "complete", bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size), size });
      else resolve({ kind: "complete", bytes: Buffer.concat([into.subarray(0, size - chunks.reduce((n, c) => n + c.length, 0)), ...chunks], size), size });
    });
    req.on("aborted", () => resolve({ kind: "aborted" }));
    req.on("error", () => resolve({ kind: "aborted" }));
  });
}

/**
 * The headers the handler gets: the original ones, minus those a client must not decide, plus X-Forwarded-* from
 * what hooktape knows. Dropped: any X-Forwarded-For/-Proto/-Host the client sent, and the headers its Connection
 * header names (hop-by-hop, RFC 9110 §7.6.1). Through the tunnel, the address Cloudflare saw is trusted (cloudflared
 * sets X-Forwarded-For and CF-Connecting-IP) and the protocol is https; on any other connection, Cloudflare's CF-*
 * headers are a client's claim and are dropped, and the client is the socket's peer. The body stays byte-exact.
 */
function withForwardingHeaders(event: CapturedEvent, arrived: HeaderPairs): HeaderPairs {
  const viaTunnel = event.via === "tunnel";
  const host = findHeader(arrived, "host");
  const named = connectionNamed(arrived);
  const edgeClient = viaTunnel ? (findHeader(arrived, "cf-connecting-ip") ?? findHeader(arrived, "x-forwarded-for")) : undefined;
  const forwarded = arrived.filter(([name]) => {
    const lower = name.toLowerCase();
    if (FORWARDED_BY_HOOKTAPE.test(lower) || named.has(lower)) return false;
    return viaTunnel || !lower.startsWith("cf-");
  });
  forwarded.push(["X-Forwarded-For", edgeClient ?? event.remoteAddress ?? ""]);
  forwarded.push(["X-Forwarded-Proto", viaTunnel ? "https" : "http"]);
  if (host) forwarded.push(["X-Forwarded-Host", host]);
  return forwarded;
}

/** The header names listed in Connection (`Connection: close, X-Secret-Hop`), lower-case. */
function connectionNamed(headers: HeaderPairs): Set<string> {
  const names = new Set<string>();
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== "connection") continue;
    for (const token of value.split(",")) {
      const trimmed = token.trim().toLowerCase();
      if (trimmed !== "") names.add(trimmed);
    }
  }
  return names;
}

function answerWithHandlerResponse(res: http.ServerResponse, result: DeliveryResult): void {
  if (result.status === null) {
    const status = result.error === "timeout" ? 504 : 502;
    respond(res, status, `hooktape: the handler ${result.error === "timeout" ? "did not answer in time" : `is unreachable (${result.error})`}\n`);
    return;
  }
  const flat: string[] = [];
  for (const [name, value] of result.responseHeaders) {
    if (!NOT_RETURNED.has(name.toLowerCase())) flat.push(name, value);
  }
  flat.push("content-length", String(result.responseBody.length));
  res.writeHead(result.status, flat);
  res.end(result.responseBody);
}

function respondWith(res: http.ServerResponse, status: number, headers: HeaderPairs, body: Buffer): void {
  if (res.headersSent) return;
  res.writeHead(status, [...headers.flat(), "content-length", String(body.length)]);
  res.end(body);
}

function respond(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function toNotice(event: CapturedEvent, delivery: CapturedEventNotice["delivery"]): CapturedEventNotice {
  return {
    id: event.id,
    receivedAt: event.receivedAt,
    method: event.method,
    url: event.url,
    provider: event.provider,
    eventType: event.eventType,
    verification: event.verification,
    bodySize: event.bodySize,
    bodySha256: event.bodySha256,
    via: event.via,
    rejected: event.rejected,
    target: event.target,
    notForwarded: event.notForwarded,
    delivery,
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
