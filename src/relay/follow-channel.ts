import { createHash, randomBytes } from "node:crypto";
import { WebSocket, type Dispatcher } from "undici";
import { capturedEventOf, createRouter, forwardEvent, secretHeaderNames, toNotice, type CaptureNotice, type ForwardContext, type Routing, type VerifyDecision } from "../capture/index.js";
import { describeError } from "../core/errors.js";
import { derivedEventId, newDeliveryId } from "../core/ids.js";
import {
  CONSUMER_ID_PATTERN,
  PING,
  decodeFrame,
  type EventFrameHeader,
  type FollowerMessage,
  type RelayHandshake,
  type RelayMessage,
} from "../core/relay-protocol.js";
import type { CapturedEvent, DeliveryAttempt, HeaderPairs, RawRequest } from "../core/types.js";
import type { DeliveryResult } from "../forward/index.js";
import type { EventStore } from "../store/index.js";

/** What following a channel tells whoever renders it; it never prints. */
export type FollowNotice =
  | CaptureNotice
  | { type: "relay"; state: "connected"; channel: string; backlog: number; head: number }
  | { type: "relay"; state: "caught-up"; head: number }
  | { type: "relay"; state: "disconnected"; reason: string; retryInMs: number }
  | { type: "stale"; eventId: string; provider: string; ageSec: number; toleranceSec: number; resigned: boolean };

export interface StaleCheck {
  /** How old the request's signature is when it is past its provider's tolerance, else null. */
  age(event: CapturedEvent, nowSec: number): { ageSec: number; toleranceSec: number } | null;
  /** The request's headers (as they arrived) signed afresh (`--resign-stale`), or null when it is not to be re-signed. */
  resign(event: CapturedEvent, headers: HeaderPairs, target: string, nowMs: number): HeaderPairs | null;
}

export interface FollowOptions {
  /** The channel's sender URL. */
  channelUrl: string;
  /** The relay's base URL and the channel id (parseChannelUrl). */
  base: string;
  channel: string;
  token: string;
  store: EventStore;
  target: URL | null;
  /** listen's `--route`/`--only`, applied to relayed events as to captured ones. */
  routing?: Routing;
  timeoutMs: number;
  dispatcher: Dispatcher;
  /** The same verifier `listen` gives its capture server, with the secrets of this machine. */
  verify: (request: RawRequest, context: { url: string }) => VerifyDecision | Promise<VerifyDecision>;
  stale: StaleCheck;
  onNotice: (notice: FollowNotice) => void;
  now?: () => number;
  /** A heartbeat every `heartbeatMs`; no word from the relay for `deadAfterMs` and the connection is dropped. */
  heartbeatMs?: number;
  deadAfterMs?: number;
}

export interface Follower {
  /** Stops reconnecting, lets the event in hand finish, closes the connection. */
  stop(): Promise<void>;
}

/** A reconnect waits this long, doubling per failure up to the maximum, with up to 20% of jitter. */
const BACKOFF = { initialMs: 500, maxMs: 30_000 } as const;
/** Acknowledge at least every this many events while a backlog drains (and whenever the queue empties). */
const ACK_EVERY = 64;
/** How much of the handler's answer a live sender gets back through the relay (a WebSocket message is bounded). */
const LIVE_RESPONSE_CAP = 256 * 1024;

interface RelayedEvent {
  header: EventFrameHeader;
  parts: Uint8Array[];
}

/**
 * Follows a relay channel: backlog first, then live events, each recorded in the local store exactly as `listen`
 * records a request (verified with this machine's secrets, its secret headers redacted), forwarded, and acknowledged
 * by sequence only after that. The event id is derived from the channel and the sequence, so an event the relay sends
 * again (the acknowledgement was lost with a killed process) is recognised and recorded once.
 */
export function followChannel(options: FollowOptions): Follower {
  const consumer = options.store.relayConsumer(options.channelUrl, () => `c_${randomBytes(16).toString("base64url")}`);
  if (!CONSUMER_ID_PATTERN.test(consumer)) throw new TypeError(`invalid consumer id ${consumer}`);
  const follower = new ChannelFollower(options, consumer);
  follower.connect();
  return follower;
}

interface Recorded {
  relayed: RelayedEvent;
  event: CapturedEvent;
  headers: HeaderPairs;
  /** The headers that carry a secret: stored redacted in the record of what the forward sent. */
  secretNames: readonly string[];
  /** Already recorded and attempted in an earlier run: nothing more to do. */
  done: boolean;
}

/**
 * One channel followed: the connection (heartbeat, reconnects with backoff), the frames assembled into events, and
 * the chain that records, forwards and acknowledges them one after another, across reconnections.
 */
class ChannelFollower implements Follower {
  private readonly now: () => number;
  private readonly heartbeatMs: number;
  private readonly deadAfterMs: number;
  private readonly router: ReturnType<typeof createRouter>;
  private readonly forwardContext: ForwardContext;
  /** Forward attempts made since the last acknowledgement, committed together just before it. */
  private attempts: DeliveryAttempt[] = [];
  private stopped = false;
  private socket: WebSocket | null = null;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Complete events waiting to be processed, in sequence order; parts of the one being received. */
  private queue: RelayedEvent[] = [];
  private assembling: RelayedEvent | null = null;
  /** The chain that processes events one after another, across reconnections. */
  private processing: Promise<void> = Promise.resolve();
  private draining = false;
  private lastAcked = 0;
  private lastDone = 0;
  private caughtUpAt: number | null = null;

  constructor(
    private readonly options: FollowOptions,
    private readonly consumer: string,
  ) {
    this.now = options.now ?? Date.now;
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
    this.deadAfterMs = options.deadAfterMs ?? 30_000;
    this.router = createRouter(options.routing ?? { routes: [], only: [] }, options.target);
    this.forwardContext = {
      store: {
        recordAttempt: (attempt) => {
          this.attempts.push(attempt);
          return Promise.resolve();
        },
      },
      timeoutMs: options.timeoutMs,
      dispatcher: options.dispatcher,
      onNotice: options.onNotice,
      now: this.now,
    };
  }

  connect(): void {
    if (this.stopped) return;
    const { options, now } = this;
    const url = new URL(`${options.base}/_hooktape/channels/${options.channel}/follow`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("consumer", this.consumer);
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${options.token}` }, dispatcher: options.dispatcher });
    ws.binaryType = "arraybuffer";
    this.socket = ws;
    let lastHeard = now();
    let opened = false;
    let closedReason = "";
    ws.addEventListener("open", () => {
      opened = true;
      lastHeard = now();
      this.heartbeat = setInterval(() => {
        if (now() - lastHeard > this.deadAfterMs) {
          closedReason = `no word from the relay for ${Math.round((now() - lastHeard) / 1000)} s`;
          ws.close();
          // A dead peer never completes the closing handshake: give up on it now.
          this.dropConnection(ws, closedReason);
          return;
        }
        if (ws.readyState === WebSocket.OPEN) ws.send(PING);
      }, this.heartbeatMs);
    });
    ws.addEventListener("message", (message) => {
      lastHeard = now();
      if (typeof message.data === "string") {
        this.onText(message.data);
        return;
      }
      this.onFrame(new Uint8Array(message.data as ArrayBuffer));
    });
    ws.addEventListener("close", (event) => {
      if (closedReason === "") closedReason = closeReasonOf(opened, event);
      this.dropConnection(ws, closedReason);
    });
    ws.addEventListener("error", () => {
      // the close event follows with what happened
    });
  }

  /** Stops reconnecting, lets the event in hand finish, closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.queue = [];
    await this.processing;
    const ws = this.socket;
    await this.acknowledge();
    if (ws !== null) {
      const closed = new Promise<void>((resolve) => ws.addEventListener("close", () => resolve()));
      ws.close(1000, "listen stopped");
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      this.dropConnection(ws, "stopped");
    }
  }

  private dropConnection(ws: WebSocket, reason: string): void {
    if (this.socket !== ws) return;
    this.socket = null;
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
    // What was received but not processed comes again from the relay, after what was acknowledged.
    this.queue = [];
    this.assembling = null;
    if (this.stopped) return;
    const delay = Math.min(BACKOFF.maxMs, BACKOFF.initialMs * 2 ** this.failures) * (1 + Math.random() * 0.2);
    this.failures++;
    this.options.onNotice({ type: "relay", state: "disconnected", reason, retryInMs: Math.round(delay) });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      // Whatever was in hand finishes first, so that an event is never processed twice at once.
      void this.processing.then(() => this.connect());
    }, delay);
  }

  private onText(text: string): void {
    let message: RelayMessage;
    try {
      message = JSON.parse(text) as RelayMessage;
    } catch {
      return; // the heartbeat's answer
    }
    if (message.t === "hello") {
      this.failures = 0;
      this.lastAcked = message.acked;
      this.lastDone = message.acked;
      this.caughtUpAt = message.backlog > 0 ? message.head : null;
      this.options.onNotice({ type: "relay", state: "connected", channel: this.options.channelUrl, backlog: message.backlog, head: message.head });
    } else if (message.t === "error") {
      this.options.onNotice({ type: "warning", message: `relay: ${message.message}` });
    }
  }

  private onFrame(frame: Uint8Array): void {
    let decoded: ReturnType<typeof decodeFrame>;
    try {
      decoded = decodeFrame(frame);
    } catch (error) {
      this.options.onNotice({ type: "warning", message: `relay: ignored a malformed frame (${(error as Error).message})` });
      return;
    }
    const { header, payload } = decoded;
    const assembling = header.part === 0 ? { header, parts: [] } : this.assembling;
    if (assembling === null || assembling.header.seq !== header.seq || assembling.parts.length !== header.part) return;
    assembling.parts.push(payload);
    this.assembling = assembling;
    if (assembling.parts.length < assembling.header.parts) return;
    this.queue.push(assembling);
    this.assembling = null;
    if (!this.draining) {
      this.draining = true;
      this.processing = this.processing.then(() => this.drain()).catch((error: unknown) => this.giveUpOnConnection(error));
    }
  }

  /**
   * Recording failed (the disk is full, the store locked past its timeout): nothing more is acknowledged; the
   * connection is dropped and reopened, and the relay sends again everything after the last acknowledgement.
   */
  private giveUpOnConnection(error: unknown): void {
    this.options.onNotice({ type: "warning", message: `could not record a relayed event (${describeError(error)}); it will be fetched again` });
    const ws = this.socket;
    if (ws === null) return;
    ws.close();
    this.dropConnection(ws, "a relayed event could not be recorded");
  }

  /** Processes what is queued, in order: the new events recorded together, then each forwarded and acknowledged. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        const recorded = await this.recordBatch(batch);
        for (const item of recorded) {
          // Stopping: the event in hand is finished; the rest come again on the next run (they are recorded, and
          // are forwarded then since no attempt of them is).
          if (this.stopped) break;
          await this.deliverOne(item);
          this.lastDone = item.relayed.header.seq;
          if (this.lastDone - this.lastAcked >= ACK_EVERY || this.queue.length === 0) await this.acknowledge();
        }
        if (this.stopped) break;
      }
      await this.acknowledge();
      if (this.caughtUpAt !== null && this.lastDone >= this.caughtUpAt) {
        this.options.onNotice({ type: "relay", state: "caught-up", head: this.caughtUpAt });
        this.caughtUpAt = null;
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * Commits the forward attempts made so far (in one transaction), then acknowledges everything done: an event is
   * acknowledged only once it and its attempt are in the store.
   */
  private async acknowledge(): Promise<void> {
    const done = this.lastDone;
    const pending = this.attempts;
    this.attempts = [];
    await Promise.all(pending.map((attempt) => this.options.store.recordAttempt(attempt).catch((error: unknown) => this.warnUnrecorded(attempt, error))));
    const socket = this.socket;
    if (done <= this.lastAcked || socket === null || socket.readyState !== WebSocket.OPEN) return;
    this.send({ t: "ack", seq: done });
    this.lastAcked = done;
  }

  private warnUnrecorded(attempt: DeliveryAttempt, error: unknown): void {
    this.options.onNotice({ type: "warning", message: `could not record the delivery of ${attempt.eventId}: ${describeError(error)}` });
  }

  private send(message: FollowerMessage): void {
    this.socket?.send(JSON.stringify(message));
  }

  /** Records the events of a batch that the store does not hold yet, in one group commit. */
  private async recordBatch(batch: readonly RelayedEvent[]): Promise<Recorded[]> {
    const { options } = this;
    const out: Recorded[] = [];
    const commits: Array<Promise<void>> = [];
    for (const relayed of batch) {
      const { header } = relayed;
      const receivedAt = header.receivedAt ?? this.now();
      const id = derivedEventId(receivedAt, createHash("sha256").update(`${options.channelUrl}\n${header.seq}`).digest());
      const body = Buffer.concat(relayed.parts);
      const headers = header.headers ?? [];
      const raw: RawRequest = { method: header.method ?? "POST", url: header.url ?? "/", headers, body, receivedAt };
      const calledUrl = header.calledUrl ?? `${options.channelUrl}${raw.url === "/" ? "" : raw.url}`;
      const state = options.store.recordedState(id);
      let decision = options.verify(raw, { url: calledUrl });
      if (decision instanceof Promise) decision = await decision;
      const origin = { id, via: "relay" as const, remoteAddress: header.remoteAddress ?? null, publicUrl: calledUrl };
      const event = capturedEventOf(raw, decision, origin, null, this.router.choose({ url: raw.url, eventType: decision.eventType ?? null }));
      out.push({ relayed, event, headers, secretNames: secretHeaderNames(decision), done: state?.attempted === true });
      if (state === null) commits.push(options.store.recordEvent(event).catch((error: unknown) => (isDuplicate(error) ? undefined : Promise.reject(error))));
    }
    await Promise.all(commits);
    return out;
  }

  /** Forwards one recorded event (or records the relay's handshake answer), and answers a live sender. */
  private async deliverOne(item: Recorded): Promise<void> {
    const { event, relayed } = item;
    const { options } = this;
    if (item.done) return;
    const handshake = relayed.header.handshake ?? null;
    if (handshake !== null) {
      const attempt = await this.recordHandshake(event, handshake);
      options.onNotice({
        type: "event",
        event: toNotice(event, { status: attempt.status, error: null, durationMs: 0 }),
        handshake: { provider: handshake.provider, name: handshake.name, answeredBy: "hooktape", handler: null },
      });
      return;
    }
    if (event.target === null) {
      options.onNotice({ type: "event", event: toNotice(event, null) });
      if (relayed.header.awaitsResponse) this.send({ t: "response", seq: relayed.header.seq, status: 200, headers: [], bodyBase64: "" });
      return;
    }
    let headers = item.headers;
    const age = options.stale.age(event, Math.floor(this.now() / 1000));
    if (age !== null && event.provider !== null) {
      const resigned = options.stale.resign(event, headers, event.target, this.now());
      if (resigned !== null) headers = resigned;
      options.onNotice({ type: "stale", eventId: event.id, provider: event.provider, ...age, resigned: resigned !== null });
    }
    const { result, recorded } = await forwardEvent(event, event.target, headers, item.secretNames, this.forwardContext);
    await recorded;
    if (relayed.header.awaitsResponse) this.send(liveResponse(relayed.header.seq, result));
  }

  private async recordHandshake(event: CapturedEvent, handshake: RelayHandshake): Promise<DeliveryAttempt> {
    const body = Buffer.from(handshake.bodyBase64, "base64");
    const attempt: DeliveryAttempt = {
      eventId: event.id,
      kind: "handshake",
      deliveryId: newDeliveryId(),
      attempt: 1,
      // The answer came from the relay, not from a handler of this machine.
      target: "relay",
      method: event.method,
      status: handshake.status,
      error: null,
      durationMs: 0,
      startedAt: event.receivedAt,
      responseHeaders: handshake.headers,
      responseBody: body,
      responseSize: body.length,
      // The relay answered the sender itself: nothing was sent to a handler.
      request: null,
    };
    await this.options.store.recordAttempt(attempt);
    return attempt;
  }
}

/** Why the relay's connection closed, as the disconnected line says it. */
function closeReasonOf(opened: boolean, event: { code: number; reason: string }): string {
  if (!opened) return "could not connect";
  if (event.code === 4404) return "the channel was deleted";
  if (event.code === 4409) return "another listen on this store took over the channel";
  return `connection closed (${event.code}${event.reason ? ` ${event.reason}` : ""})`;
}

/** The handler's answer for a sender waiting on the relay (`--respond live`): 502/504 when it gave none, as listen. */
function liveResponse(seq: number, result: DeliveryResult): FollowerMessage {
  if (result.status === null) return { t: "response", seq, status: result.error === "timeout" ? 504 : 502, headers: [], bodyBase64: "" };
  const body = result.responseBody.subarray(0, LIVE_RESPONSE_CAP);
  return { t: "response", seq, status: result.status, headers: result.responseHeaders, bodyBase64: body.toString("base64") };
}

function isDuplicate(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
