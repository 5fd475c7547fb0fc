import { createHash } from "node:crypto";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import type { Dispatcher } from "undici";
import { newDeliveryId, newEventId } from "../core/ids.js";
import { findHeader, joinPublicUrl, localUrlOf, pairsFromRaw } from "../core/headers.js";
import { redactNamed } from "../core/redact.js";
import { formatBytes } from "../core/units.js";
import type { CapturedEvent, DeliveryAttempt, HeaderPairs, RawRequest, Verification, Via } from "../core/types.js";
import { attemptRecordOf } from "../forward/attempt-record.js";
import { deliver, hasDotSegment, sentRequestOf, type DeliveryResult } from "../forward/index.js";
import { TOKEN_HEADERS } from "../providers/index.js";
import type { EventStore, EventSummary } from "../store/index.js";
import { runHandshake, type HandshakeNotice } from "./handshake-step.js";
import { applyServerLimits, limitedServerOptions } from "./server-limits.js";
import { createTunnelHop } from "./tunnel-hop.js";
import { createUploadBudget, type UploadHold } from "./upload-budget.js";
import { recogniseHandshake, type HandshakeCredentials, type HandshakeMode } from "./handshakes.js";
import { createRouter, type RouteChoice, type Routing } from "./routing.js";
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
  /**
   * Bytes of large bodies held in memory at once (upload-budget.ts); past it new large uploads get 503. Default
   * UPLOADS_IN_MEMORY_BYTES, or `maxBodyBytes` when that is larger, so that one body of the largest size always fits.
   */
  uploadsInMemoryBytes?: number;
  /** Defaults 20 s and 1024: see SERVER_LIMITS (server-limits.ts). Tests lower them. */
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
   * arriving on it with `tunnelHostHeader` as their Host are "via tunnel" and their Cloudflare headers are trusted;
   * any other request is local and they are not.
   */
  tunnelOriginUrl: string;
  /** The Host cloudflared must send to `tunnelOriginUrl` (its `httpHostHeader`): a per-run secret, never printed. */
  tunnelHostHeader: string;
  /** Stops accepting, lets in-flight requests finish (bounded by `graceMs`), then resolves. */
  close(graceMs?: number): Promise<void>;
}

// Headers a hop must not pass on to the sender (RFC 9110 §7.6.1); the length is set anew.
const NOT_RETURNED = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "content-length", "trailer"]);

/** How long a whole upload may take after its headers, beyond the forwarding timeout: 25 MB at 100 kB/s is ~4 minutes. */
const UPLOAD_ALLOWANCE_MS = 5 * 60_000;

/**
 * Bodies larger than this are "large": with a declared length they are read into one preallocated buffer, and they
 * count against the uploads' memory budget (smaller ones are always read).
 */
const LARGE_BODY_BYTES = 64 * 1024;

/** The default memory budget of large uploads in progress: 12 bodies of the default --max-body at once. */
const UPLOADS_IN_MEMORY_BYTES = 64 * 1024 * 1024;

/** How often the "store is full" line may repeat while requests keep being refused. */
const STORE_FULL_NOTICE_MS = 10_000;

/**
 * Headers in which a proxy tells the handler who the client is, which URL it called and how: frameworks believe them
 * behind a proxy (Express's `trust proxy`, Rails' remote_ip, IIS/Symfony's X-Original-URL), so a client's own values
 * would choose its address or the route the handler thinks was called. None is passed on as the client sent it;
 * hooktape sets X-Forwarded-For, -Proto and -Host from what it knows. Every `X-Forwarded-*` counts.
 */
const CLIENT_CLAIMS = new Set([
  "forwarded",
  "x-real-ip",
  "true-client-ip",
  "x-client-ip",
  "x-cluster-client-ip",
  "fastly-client-ip",
  "x-original-forwarded-for",
  "x-original-url",
  "x-original-uri",
  "x-rewrite-url",
  "x-original-host",
  "x-host",
  "x-url-scheme",
  "front-end-https",
  "x-envoy-external-address",
  "x-envoy-original-path",
]);

function isClientClaim(lowerName: string): boolean {
  return lowerName.startsWith("x-forwarded-") || CLIENT_CLAIMS.has(lowerName);
}

export async function startCaptureServer(options: CaptureOptions): Promise<CaptureServer> {
  const now = options.now ?? Date.now;
  const inFlight = new Set<Promise<void>>();
  /** Sockets accepted on the tunnel's own listener: only these may be "via tunnel", and only with the credential. */
  const tunnelSockets = new WeakSet<net.Socket>();
  const tunnelHop = createTunnelHop();
  /** Said once per run: another local process, or a cloudflared that ignored its TUNNEL_HTTP_HOST_HEADER. */
  let unprovenTunnelNoticed = false;
  let storeFullNoticeAt = -Infinity;
  let uploadsFullNoticeAt = -Infinity;
  const uploads = createUploadBudget(Math.max(options.uploadsInMemoryBytes ?? UPLOADS_IN_MEMORY_BYTES, options.maxBodyBytes), LARGE_BODY_BYTES);
  const router = createRouter(options.routing ?? { routes: [], only: [] }, options.target);

  const server = http.createServer(
    {
      maxHeaderSize: 64 * 1024,
      ...limitedServerOptions({ headersTimeoutMs: options.headersTimeoutMs, requestAllowanceMs: options.timeoutMs + UPLOAD_ALLOWANCE_MS }),
    },
    (req, res) => {
    // The request's share of the uploads' memory, given back once it is answered, recorded and forwarded.
    const hold = uploads.hold();
    const work = handleRequest(req, res, hold).catch((error: unknown) => {
      options.onNotice({ type: "warning", message: `request failed: ${error instanceof Error ? error.message : String(error)}` });
      if (!res.headersSent) respond(res, 500, "hooktape: internal error\n");
      else res.destroy();
    });
    inFlight.add(work);
    void work.finally(() => {
      hold.release();
      inFlight.delete(work);
    });
  },
  );
  // Malformed HTTP and requests past their timeouts are answered by Node's parser (400, 431, 408), closed, and never
  // recorded; the server keeps serving.
  applyServerLimits(server, { maxConnections: options.maxConnections });

  /**
   * Where a request came from: "tunnel" only when it arrived on the tunnel's listener carrying this run's credential
   * (tunnel-hop.ts), with the visitor's own Host put back; anything else is a local request, whatever it claims.
   */
  function arrivalOf(req: http.IncomingMessage): { via: Via; headers: HeaderPairs } {
    const arrived = pairsFromRaw(req.rawHeaders);
    if (!tunnelSockets.has(req.socket)) return { via: "local", headers: arrived };
    const fromTunnel = tunnelHop.admit(arrived, options.publicUrl());
    if (fromTunnel !== null) return { via: "tunnel", headers: fromTunnel };
    if (!unprovenTunnelNoticed) {
      unprovenTunnelNoticed = true;
      options.onNotice({
        type: "warning",
        message: "a request on the tunnel's port did not come from hooktape's cloudflared (no per-run Host): recorded as local, its CF-* headers dropped",
      });
    }
    return { via: "local", headers: arrived };
  }

  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse, hold: UploadHold): Promise<void> {
    const receivedAt = now();
    const arrival = arrivalOf(req);
    const unmarked = takeTriggerMark(arrival.headers, options.triggerToken);
    const headers = unmarked ?? arrival.headers;
    // A request carrying the running trigger's mark was made and signed by `hooktape trigger`.
    const via: Via = unmarked !== null ? "trigger" : arrival.via;
    const url = req.url ?? "/";
    const refusal = refuseMalformed(url, headers) ?? (options.target !== null && hasDotSegment(url) ? DOT_SEGMENT_REFUSAL : null);
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
    const body = await readBody(req, options.maxBodyBytes, hold);
    if (body.kind === "aborted") return; // the sender went away mid-upload: nothing complete to record or answer
    if (body.kind === "refused") {
      refuseUpload(res);
      return;
    }

    const publicUrl = options.publicUrl();
    const raw: RawRequest = { method: req.method ?? "GET", url, headers, body: body.bytes, receivedAt };
    const calledUrl = via === "tunnel" && publicUrl ? joinPublicUrl(publicUrl, url) : localUrlOf(headers, url);
    let decision: VerifyDecision | Promise<VerifyDecision> =
      body.kind === "too_large"
        ? { provider: null, verification: { status: "unverified" as const, reason: "too_large" } }
        : options.verify(raw, { url: calledUrl });
    // Awaited only when the verifier is fetching (--fetch-certs): otherwise nothing changes in the request's path.
    if (decision instanceof Promise) decision = await decision;
    const { provider, verification, eventType = null } = decision;
    const secretNames = secretHeaderNames(decision);
    const route = body.kind === "too_large" ? { target: null, notForwarded: null } : router.choose({ url, eventType });
    const event = capturedEventOf(
      raw,
      decision,
      {
        id: newEventId(receivedAt),
        via,
        // Through the tunnel the socket is cloudflared on this machine; Cloudflare names the real sender.
        remoteAddress: (via === "tunnel" ? findHeader(headers, "cf-connecting-ip") : undefined) ?? req.socket.remoteAddress ?? null,
        publicUrl: via === "tunnel" ? publicUrl : null,
      },
      body.kind === "too_large" ? { rejected: "too_large", size: body.size } : null,
      route,
    );
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
          forward: async (target) => {
            const { result, recorded } = await forward(event, target, headers, secretNames, false);
            await recorded;
            return result;
          },
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
      await (await forward(event, event.target, headers, secretNames)).recorded;
      return;
    }
    // The sender hears the handler's answer once the event is committed; the attempt rides the next group commit.
    const { result, recorded } = await forward(event, event.target, headers, secretNames);
    answerWithHandlerResponse(res, result);
    await recorded;
  }

  function forward(
    event: CapturedEvent,
    target: string,
    arrivedHeaders: HeaderPairs,
    secretNames: readonly string[],
    announce = true,
  ): Promise<Forwarded> {
    return forwardEvent(event, target, arrivedHeaders, secretNames, { ...options, now }, announce);
  }

  function recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    return recordAttemptOf(attempt, options);
  }

  /**
   * A large upload the memory budget cannot hold now: 503 with Retry-After (senders retry), nothing recorded (nothing
   * complete arrived), and one warning line per STORE_FULL_NOTICE_MS. As for a 413, the rest of the upload is read and
   * discarded (closing under a sender still uploading makes it see a reset instead of the answer), bounded by the
   * request timeout. Small deliveries are still read and answered.
   */
  function refuseUpload(res: http.ServerResponse): void {
    respond(res, 503, "hooktape: too many large uploads in progress; retry later\n", { "retry-after": "5" });
    const at = now();
    if (at - uploadsFullNoticeAt < STORE_FULL_NOTICE_MS) return;
    uploadsFullNoticeAt = at;
    options.onNotice({
      type: "warning",
      message:
        `large uploads in progress hold ${formatBytes(uploads.inUse())} of the ${formatBytes(uploads.limitBytes)} hooktape keeps in memory: ` +
        "answering 503 to new ones (small deliveries are still answered)",
    });
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
  // The tunnel's listener: loopback only, the port cloudflared is given. Its sockets are handed to the same HTTP
  // server, marked, so that a request on one that carries the tunnel's credential is known to come through
  // Cloudflare's edge.
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
    tunnelHostHeader: tunnelHop.hostHeader,
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

/** Where a request came from, as the event records it. */
export interface EventOrigin {
  id: string;
  via: Via;
  remoteAddress: string | null;
  /** The public URL the request arrived on (the tunnel's or the relay's), else null. */
  publicUrl: string | null;
}

/**
 * The event to record for a request: its headers as stored (a header that carries the secret itself is forwarded as
 * it came but stored redacted: every token scheme's header whatever was detected, and on the 413 path where nothing
 * is, plus any the verifier names), the body's digest, and the handler's URL for its path. `rejected`: a body over
 * --max-body, recorded without it. `route`: where listen's routing sends it (or why it does not). Used for requests
 * arriving here and for those the relay hands over.
 */
export function capturedEventOf(
  raw: RawRequest,
  decision: VerifyDecision,
  origin: EventOrigin,
  rejected: { rejected: "too_large"; size: number } | null,
  route: RouteChoice,
): CapturedEvent {
  return {
    ...raw,
    headers: redactNamed(raw.headers, secretHeaderNames(decision)),
    id: origin.id,
    remoteAddress: origin.remoteAddress,
    via: origin.via,
    provider: decision.provider,
    eventType: decision.eventType ?? null,
    verification: decision.verification,
    rejected: rejected === null ? null : rejected.rejected,
    notForwarded: rejected === null ? route.notForwarded : null,
    bodySize: rejected === null ? raw.body.length : rejected.size,
    bodySha256: rejected === null ? createHash("sha256").update(raw.body).digest("hex") : "",
    publicUrl: origin.publicUrl,
    target: rejected === null ? route.target : null,
  };
}

/**
 * The headers that carry a secret itself: forwarded as they came, stored redacted (in the event and in every
 * attempt's record of what was sent) — every token scheme's header whatever was detected, plus any the verifier names.
 */
export function secretHeaderNames(decision: VerifyDecision): readonly string[] {
  const secretHeaders = decision.secretHeaders ?? [];
  return secretHeaders.length === 0 ? TOKEN_HEADERS : [...TOKEN_HEADERS, ...secretHeaders];
}

/** What forwarding an event needs: where attempts are recorded and notices go, and how to reach the handler. */
export interface ForwardContext {
  store: Pick<EventStore, "recordAttempt">;
  timeoutMs: number;
  dispatcher: Dispatcher;
  onNotice: (notice: CaptureNotice) => void;
  now: () => number;
}

/** The handler's answer to a forward, and the attempt's record: settled once it is committed (and announced). */
export interface Forwarded {
  result: DeliveryResult;
  recorded: Promise<void>;
}

/**
 * Forwards a recorded event to `target` with the headers it arrived with (plus X-Forwarded-*), records the attempt
 * and, once it is committed and when `announce`, tells the renderer. Resolves as soon as the handler has answered:
 * the answer is returned, never thrown, without waiting for the attempt's commit.
 */
export async function forwardEvent(
  event: CapturedEvent,
  target: string,
  arrivedHeaders: HeaderPairs,
  secretNames: readonly string[],
  context: ForwardContext,
  announce = true,
): Promise<Forwarded> {
  const outbound = { method: event.method, url: target, headers: withForwardingHeaders(event, arrivedHeaders), body: event.body };
  const result = await deliver(outbound, { timeoutMs: context.timeoutMs, dispatcher: context.dispatcher, now: context.now });
  const attempt = attemptRecordOf(
    {
      eventId: event.id,
      kind: "forward",
      deliveryId: newDeliveryId(),
      attempt: 1,
      target,
      method: event.method,
      request: sentRequestOf(outbound, event.body, secretNames),
    },
    result,
  );
  const recorded = recordAttemptOf(attempt, context).then(() => {
    if (announce) {
      context.onNotice({ type: "event", event: toNotice(event, { status: result.status, error: result.error, durationMs: result.durationMs }) });
    }
  });
  return { result, recorded };
}

/** Records an attempt; a failure to record is a warning, never an exception on the request's path. */
async function recordAttemptOf(attempt: DeliveryAttempt, context: Pick<ForwardContext, "store" | "onNotice">): Promise<void> {
  try {
    await context.store.recordAttempt(attempt);
  } catch (error) {
    context.onNotice({ type: "warning", message: `could not record the delivery of ${attempt.eventId}: ${describeError(error)}` });
  }
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
/** Joined onto the target's prefix, `..` (or `%2e%2e`) would be resolved by the URL parser and leave the prefix. */
const DOT_SEGMENT_REFUSAL = "a path with . or .. segments is not forwarded (it could leave the target's path)";

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
  | { kind: "refused" }
  | { kind: "aborted" };

/**
 * Reads the raw body; past `max` bytes it stops keeping them (and says so) but lets the upload drain. A large body
 * takes its memory from `hold` first — its declared length, or chunk by chunk past LARGE_BODY_BYTES when chunked —
 * and is "refused" (nothing kept) when the budget has none left.
 */
function readBody(req: http.IncomingMessage, max: number, hold: UploadHold): Promise<BodyRead> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return Promise.resolve({ kind: "too_large", bytes: Buffer.alloc(0), size: declared });
  }
  if (Number.isFinite(declared) && declared > LARGE_BODY_BYTES && !hold.take(declared)) return Promise.resolve({ kind: "refused" });
  // A large body of known length is copied into one buffer as it arrives, so that it is held once, not as chunks
  // plus their concatenation (two copies at the end). Small bodies keep the cheaper chunk list.
  const into = Number.isFinite(declared) && declared > LARGE_BODY_BYTES ? Buffer.allocUnsafe(declared) : null;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
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
      // A chunked body past the small size takes memory as it arrives.
      if (into === null && size > LARGE_BODY_BYTES && !hold.take(chunk.length)) {
        refused = true;
        chunks.length = 0;
        resolve({ kind: "refused" });
        return;
      }
      // Node's parser never delivers more than Content-Length; the check keeps a copy past the end impossible.
      if (into !== null && size <= into.length) chunk.copy(into, at);
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge || refused) return;
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
 * what hooktape knows. Dropped: the client's forwarding claims (CLIENT_CLAIMS), and the headers its Connection
 * header names (hop-by-hop, RFC 9110 §7.6.1). Through the tunnel, the address Cloudflare saw is trusted (cloudflared
 * sets X-Forwarded-For and CF-Connecting-IP) and the protocol is https; on any other connection, Cloudflare's CF-*
 * headers are a client's claim and are dropped, and the client is the socket's peer. The body stays byte-exact.
 */
function withForwardingHeaders(event: CapturedEvent, arrived: HeaderPairs): HeaderPairs {
  // The relay is Cloudflare's edge too (or a workerd of the user's): its CF-* headers are its own, like the tunnel's.
  const viaTunnel = event.via !== "local";
  const host = findHeader(arrived, "host");
  const named = connectionNamed(arrived);
  const edgeClient = viaTunnel ? (findHeader(arrived, "cf-connecting-ip") ?? findHeader(arrived, "x-forwarded-for")) : undefined;
  const forwarded = arrived.filter(([name]) => {
    const lower = name.toLowerCase();
    if (isClientClaim(lower) || named.has(lower)) return false;
    return viaTunnel || !lower.startsWith("cf-");
  });
  forwarded.push(["X-Forwarded-For", edgeClient ?? event.remoteAddress ?? ""]);
  forwarded.push(["X-Forwarded-Proto", (event.publicUrl ?? "").startsWith("http:") || !viaTunnel ? "http" : "https"]);
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

export function toNotice(event: CapturedEvent, delivery: CapturedEventNotice["delivery"]): CapturedEventNotice {
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
