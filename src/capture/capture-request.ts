import type http from "node:http";
import type net from "node:net";
import type { Dispatcher } from "undici";
import { describeError } from "../core/errors.js";
import { newEventId } from "../core/ids.js";
import { findHeader, joinPublicUrl, localUrlOf, pairsFromRaw } from "../core/headers.js";
import { formatBytes } from "../core/units.js";
import type { CapturedEvent, DeliveryAttempt, HeaderPairs, RawRequest, Via } from "../core/types.js";
import { hasDotSegment } from "../forward/index.js";
import type { EventStore } from "../store/index.js";
import { answerWithHandlerResponse, respond, respondWith } from "./answers.js";
import { capturedEventOf, secretHeaderNames, toNotice, type CaptureNotice, type VerifyDecision } from "./captured-event.js";
import { forwardEvent, recordAttemptOf, type ForwardContext, type Forwarded } from "./forward-event.js";
import { runHandshake } from "./handshake-step.js";
import { recogniseHandshake, type Handshake, type HandshakeCredentials, type HandshakeMode } from "./handshakes.js";
import { readBody, type BodyRead } from "./read-body.js";
import { createRouter, type Router, type Routing } from "./routing.js";
import type { TunnelHop } from "./tunnel-hop.js";
import type { UploadBudget, UploadHold } from "./upload-budget.js";
import { NOT_FORWARDED_HEADER, takeTriggerMark, TRIGGERED_EVENT_HEADER } from "./trigger-mark.js";

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

/** Where a request came from and the headers it is recorded and forwarded with. */
interface Arrival {
  via: Via;
  headers: HeaderPairs;
  /** It carried the running trigger's mark (now taken off its headers). */
  triggered: boolean;
}

/** How often the "store is full" line may repeat while requests keep being refused. */
const STORE_FULL_NOTICE_MS = 10_000;

/** Joined onto the target's prefix, `..` (or `%2e%2e`) would be resolved by the URL parser and leave the prefix. */
const DOT_SEGMENT_REFUSAL = "a path with . or .. segments is not forwarded (it could leave the target's path)";

/**
 * The capture path of one server: what it knows across requests (who came through the tunnel, the uploads' memory,
 * the routes, when it last warned) and the steps each request goes through. Made once per server.
 */
export class RequestCapture {
  private readonly now: () => number;
  private readonly router: Router;
  private readonly forwardContext: ForwardContext;
  /** `--handshakes` when it is on, else null. */
  private readonly handshakes: { mode: Exclude<HandshakeMode, "off">; credentials: HandshakeCredentials } | null;
  /** Said once per run: another local process, or a cloudflared that ignored its TUNNEL_HTTP_HOST_HEADER. */
  private unprovenTunnelNoticed = false;
  private storeFullNoticeAt = -Infinity;
  private uploadsFullNoticeAt = -Infinity;

  constructor(
    private readonly options: CaptureOptions,
    /** Sockets accepted on the tunnel's own listener: only these may be "via tunnel", and only with the credential. */
    private readonly tunnelSockets: WeakSet<net.Socket>,
    private readonly tunnelHop: TunnelHop,
    private readonly uploads: UploadBudget,
  ) {
    this.now = options.now ?? Date.now;
    this.router = createRouter(options.routing ?? { routes: [], only: [] }, options.target);
    const handshakes = options.handshakes;
    this.handshakes = handshakes === undefined || handshakes.mode === "off" ? null : { mode: handshakes.mode, credentials: handshakes.credentials };
    this.forwardContext = { store: options.store, timeoutMs: options.timeoutMs, dispatcher: options.dispatcher, onNotice: options.onNotice, now: this.now };
  }

  /**
   * One request, step by step: admit (refuse what must not be recorded), read the body, verify, record (committed
   * before the sender hears anything), answer a provider's handshake, forward, and answer with the handler's answer.
   */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, hold: UploadHold): Promise<void> {
    const { options } = this;
    const receivedAt = this.now();
    const arrival = this.arrivalOf(req);
    const url = req.url ?? "/";
    if (this.refusedOnArrival(req, res, url, arrival.headers)) return;

    const body = await readBody(req, options.maxBodyBytes, hold);
    if (body.kind === "aborted") return; // the sender went away mid-upload: nothing complete to record or answer
    if (body.kind === "refused") {
      this.refuseUpload(res);
      return;
    }

    const publicUrl = options.publicUrl();
    const { via, headers } = arrival;
    const raw: RawRequest = { method: req.method ?? "GET", url, headers, body: body.bytes, receivedAt };
    const calledUrl = via === "tunnel" && publicUrl ? joinPublicUrl(publicUrl, url) : localUrlOf(headers, url);
    let decision = this.verify(raw, calledUrl, body);
    // Awaited only when the verifier is fetching (--fetch-certs): otherwise nothing changes in the request's path.
    if (decision instanceof Promise) decision = await decision;
    const event = this.eventOf(req, raw, arrival, publicUrl, decision, body);
    if (arrival.triggered) {
      res.setHeader(TRIGGERED_EVENT_HEADER, event.id);
      if (event.notForwarded !== null) res.setHeader(NOT_FORWARDED_HEADER, event.notForwarded);
    }

    if (body.kind === "complete" && this.storeIsFull(body.size)) {
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
      this.answerTooLarge(res, event);
      return;
    }

    const secretNames = secretHeaderNames(decision);
    const handshakes = this.handshakes;
    if (handshakes !== null) {
      const handshake = recogniseHandshake({ request: raw, provider: decision.provider, verification: decision.verification, calledUrl }, handshakes.credentials);
      if (handshake !== null && (await this.answerHandshake(handshake, handshakes.mode, event, res, headers, secretNames))) return;
    }
    if (!event.target) {
      respond(res, 200, "");
      options.onNotice({ type: "event", event: toNotice(event, null) });
      return;
    }
    if (options.ack !== null) {
      respond(res, options.ack, "");
      await (await this.forward(event, event.target, headers, secretNames)).recorded;
      return;
    }
    // The sender hears the handler's answer once the event is committed; the attempt rides the next group commit.
    const { result, recorded } = await this.forward(event, event.target, headers, secretNames);
    answerWithHandlerResponse(res, result);
    await recorded;
  }

  /**
   * Where a request came from: "tunnel" only when it arrived on the tunnel's listener carrying this run's credential
   * (tunnel-hop.ts), with the visitor's own Host put back; anything else is a local request, whatever it claims. A
   * request carrying the running trigger's mark was made and signed by `hooktape trigger`.
   */
  private arrivalOf(req: http.IncomingMessage): Arrival {
    const arrived = pairsFromRaw(req.rawHeaders);
    let via: Via = "local";
    let headers = arrived;
    if (this.tunnelSockets.has(req.socket)) {
      const fromTunnel = this.tunnelHop.admit(arrived, this.options.publicUrl());
      if (fromTunnel !== null) {
        via = "tunnel";
        headers = fromTunnel;
      } else this.noticeUnprovenTunnel();
    }
    const unmarked = takeTriggerMark(headers, this.options.triggerToken);
    if (unmarked !== null) return { via: "trigger", headers: unmarked, triggered: true };
    return { via, headers, triggered: false };
  }

  private noticeUnprovenTunnel(): void {
    if (this.unprovenTunnelNoticed) return;
    this.unprovenTunnelNoticed = true;
    this.options.onNotice({
      type: "warning",
      message: "a request on the tunnel's port did not come from hooktape's cloudflared (no per-run Host): recorded as local, its CF-* headers dropped",
    });
  }

  /** Answers, and reads no body of, a request refused before anything is recorded: malformed, or the store full. */
  private refusedOnArrival(req: http.IncomingMessage, res: http.ServerResponse, url: string, headers: HeaderPairs): boolean {
    const refusal = refuseMalformed(url, headers) ?? (this.options.target !== null && hasDotSegment(url) ? DOT_SEGMENT_REFUSAL : null);
    if (refusal !== null) {
      req.resume();
      respond(res, 400, `hooktape: ${refusal}\n`, { connection: "close" });
      return true;
    }
    if (this.storeIsFull(Number(req.headers["content-length"]) || 0)) {
      req.resume();
      respond(res, 507, "hooktape: the capture store is full; try again later\n", { "retry-after": "60" });
      return true;
    }
    return false;
  }

  /** Provider and verification: a body over --max-body is not verified (it is not kept). */
  private verify(raw: RawRequest, calledUrl: string, body: BodyRead): VerifyDecision | Promise<VerifyDecision> {
    if (body.kind === "too_large") return { provider: null, verification: { status: "unverified" as const, reason: "too_large" } };
    return this.options.verify(raw, { url: calledUrl });
  }

  private eventOf(req: http.IncomingMessage, raw: RawRequest, arrival: Arrival, publicUrl: string | null, decision: VerifyDecision, body: BodyRead): CapturedEvent {
    const { via, headers } = arrival;
    const tooLarge = body.kind === "too_large";
    const route = tooLarge ? { target: null, notForwarded: null } : this.router.choose({ url: raw.url, eventType: decision.eventType ?? null });
    return capturedEventOf(
      raw,
      decision,
      {
        id: newEventId(raw.receivedAt),
        via,
        // Through the tunnel the socket is cloudflared on this machine; Cloudflare names the real sender.
        remoteAddress: (via === "tunnel" ? findHeader(headers, "cf-connecting-ip") : undefined) ?? req.socket.remoteAddress ?? null,
        publicUrl: via === "tunnel" ? publicUrl : null,
      },
      tooLarge ? { rejected: "too_large", size: body.size } : null,
      route,
    );
  }

  /**
   * A body over --max-body, recorded without it. No `Connection: close`: closing while the sender still uploads makes
   * it see a reset (EPIPE) instead of this answer. The rest of the upload is read and discarded, bounded by the
   * server's request timeout.
   */
  private answerTooLarge(res: http.ServerResponse, event: CapturedEvent): void {
    respond(res, 413, `hooktape: body larger than ${this.options.maxBodyBytes} bytes (--max-body)\n`);
    this.options.onNotice({ type: "event", event: toNotice(event, null) });
  }

  /** Answers a recognised handshake as `--handshakes` says; true when the request is dealt with (handshake-step.ts). */
  private answerHandshake(
    handshake: Handshake,
    mode: Exclude<HandshakeMode, "off">,
    event: CapturedEvent,
    res: http.ServerResponse,
    headers: HeaderPairs,
    secretNames: readonly string[],
  ): Promise<boolean> {
    const { options } = this;
    return runHandshake(handshake, {
      mode,
      event,
      ack: options.ack,
      now: this.now,
      forward: async (target) => {
        const { result, recorded } = await this.forward(event, target, headers, secretNames, false);
        await recorded;
        return result;
      },
      reply: (answer) => respondWith(res, answer.status, answer.headers, answer.body),
      replyWithHandler: (result) => answerWithHandlerResponse(res, result),
      record: (attempt: DeliveryAttempt) => recordAttemptOf(attempt, options),
      announce: (delivery, about) => options.onNotice({ type: "event", event: toNotice(event, delivery), handshake: about }),
      warn: (message) => options.onNotice({ type: "warning", message }),
    });
  }

  private forward(event: CapturedEvent, target: string, arrivedHeaders: HeaderPairs, secretNames: readonly string[], announce = true): Promise<Forwarded> {
    return forwardEvent(event, target, arrivedHeaders, secretNames, this.forwardContext, announce);
  }

  /**
   * A large upload the memory budget cannot hold now: 503 with Retry-After (senders retry), nothing recorded (nothing
   * complete arrived), and one warning line per STORE_FULL_NOTICE_MS. As for a 413, the rest of the upload is read and
   * discarded (closing under a sender still uploading makes it see a reset instead of the answer), bounded by the
   * request timeout. Small deliveries are still read and answered.
   */
  private refuseUpload(res: http.ServerResponse): void {
    respond(res, 503, "hooktape: too many large uploads in progress; retry later\n", { "retry-after": "5" });
    const at = this.now();
    if (at - this.uploadsFullNoticeAt < STORE_FULL_NOTICE_MS) return;
    this.uploadsFullNoticeAt = at;
    this.options.onNotice({
      type: "warning",
      message:
        `large uploads in progress hold ${formatBytes(this.uploads.inUse())} of the ${formatBytes(this.uploads.limitBytes)} hooktape keeps in memory: ` +
        "answering 503 to new ones (small deliveries are still answered)",
    });
  }

  /**
   * `--max-store`: true when recording `incoming` more bytes would take the store past its cap. Logged once per
   * STORE_FULL_NOTICE_MS, so that a flood of refused requests does not become a flood of lines.
   */
  private storeIsFull(incoming: number): boolean {
    const cap = this.options.maxStoreBytes;
    if (cap === undefined) return false;
    const size = this.options.store.sizeBytes();
    if (size + incoming <= cap) return false;
    const at = this.now();
    if (at - this.storeFullNoticeAt >= STORE_FULL_NOTICE_MS) {
      this.storeFullNoticeAt = at;
      this.options.onNotice({
        type: "warning",
        message:
          `the store is full (${formatBytes(size)} of --max-store ${formatBytes(cap)}): answering 507 and recording nothing; ` +
          "free space with `hooktape events prune --older-than <duration>` or raise --max-store",
      });
    }
    return true;
  }
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
