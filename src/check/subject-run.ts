import type { Dispatcher } from "undici";
import { mergeHeaders } from "../core/headers.js";
import type { HeaderPairs } from "../core/types.js";
import { deliver, sendUrlFor, type DeliveryResult, type OutboundRequest } from "../forward/index.js";
import type { Provider } from "../providers/types.js";
import { buildRequest, messageIdOf, type RequestRecipe } from "../replay/build-request.js";
import { freshEvent } from "./fresh-event.js";
import { readProbe, sameState, type ProbeReading } from "./probe.js";
import type { CheckSubject } from "./sample-event.js";

/** How long the sender waits for an answer, and where that figure comes from (for the wording of failures). */
export interface Deadline {
  ms: number;
  /** `flag`: the user's --deadline; `published`: the provider documents it; `assumed`: hooktape's guess. */
  origin: "flag" | "published" | "assumed";
}

export interface SubjectRunOptions {
  target: URL;
  provider: Provider;
  secret: string;
  /**
   * A secret of the same form as `secret` but not it (the wrong-secret forgery, the old secret of a rotation), made
   * before the first request: making an RSA key blocks for a while, and a kept-alive connection that the handler
   * closes meanwhile would fail the next request ("other side closed").
   */
  wrongSecret: string;
  deadline: Deadline;
  /** Per request; longer than the deadline so that a slow handler is measured, not cut off. */
  timeoutMs: number;
  probeUrl: string | null;
  /**
   * How long the probe must read the same before a delivery's effect counts as settled (`--settle`); 0 reads it
   * once, at once.
   */
  settleMs: number;
  dispatcher: Dispatcher;
  now: () => number;
}

export const COPIES_AT_ONCE = 5;

/** The probe's settle default: two equal readings this far apart. */
export const DEFAULT_SETTLE_MS = 300;

/** Connection failures that mean nothing is listening at all: the run stops with one line. */
const NOT_LISTENING = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

export class HandlerUnreachable extends Error {
  constructor(readonly url: string, readonly code: string) {
    super(
      code === "ECONNREFUSED"
        ? `nothing is listening on ${url} (connection refused) — is the handler running?`
        : `cannot reach ${url} (${code}) — is the handler running, and is --to right?`,
    );
  }
}

export interface ValidPhase {
  result: DeliveryResult;
  before: ProbeReading | null;
  after: ProbeReading | null;
}

export interface RepeatPhase {
  result: DeliveryResult;
  before: ProbeReading | null;
  /** The repeat's request differs from the first delivery's (signed again, at a later second). */
  resigned: boolean;
  after: ProbeReading | null;
}

export interface RetryPhase {
  first: DeliveryResult;
  retry: DeliveryResult;
  /** The sender gave up on attempt 1 at the deadline and closed the connection. */
  abandoned: boolean;
  /** The retry's request differs from attempt 1's (signed again, at a later second). */
  resigned: boolean;
  before: ProbeReading | null;
  after: ProbeReading | null;
}

export interface BurstPhase {
  results: DeliveryResult[];
  durationMs: number;
  /** The copies' requests differ from one another (each signed when it was sent). */
  resigned: boolean;
  before: ProbeReading | null;
  after: ProbeReading | null;
}

/** What `send` options say about a request. */
interface SendOptions {
  /** An attempt of a genuine event (counted towards the deadline, signed as the sender signs its attempts). */
  genuine: boolean;
  timeoutMs?: number;
  extraHeaders?: HeaderPairs;
}

/** Every attempt of one event sent so far: when the latest was signed, and the first as it went out. */
interface EventAttempts {
  lastSignedMs: number;
  first: OutboundRequest;
  /** The latest attempt's request differs from the first's (before retry headers). */
  lastDiffers: boolean;
}

function sameHeaders(a: HeaderPairs, b: HeaderPairs): boolean {
  return a.length === b.length && a.every(([name, value], i) => name === b[i]?.[0] && value === b[i]?.[1]);
}

/**
 * One subject's run: the deliveries the checks judge, each sent once however many checks read it. Every phase
 * that starts a new event starts a fresh one (fresh ids, fresh body), so no check leans on what the handler
 * has already seen. Attempts of one event look as the provider's do (its `dedup.attempts`): a sender that signs
 * every attempt when it sends it gets each later attempt signed at least a second after the one before (other
 * signature bytes, as a real retry has); a sender whose retries repeat the first attempt's bytes gets those bytes.
 */
export class SubjectRun {
  readonly url: string;
  /** The subject as a signed request recipe: the event of the valid delivery and its duplicates. */
  readonly base: RequestRecipe;
  /** Every genuine delivery's result (not the forgeries'), for the deadline check. */
  readonly genuine: DeliveryResult[] = [];
  private readonly phases = new Map<string, Promise<unknown>>();
  private readonly attempts = new Map<string, EventAttempts>();
  /** The probe as last settled; stale once something was delivered after it (`dirtySince`). */
  private state: ProbeReading | null = null;
  private dirtySince: number | null = null;
  private stateRead = false;
  /** The longest a new event took to show in the probe after its answer: how long the handler's work may lag. */
  private lagMs = 0;

  constructor(
    readonly options: SubjectRunOptions,
    readonly subject: CheckSubject,
  ) {
    this.url = sendUrlFor(options.target, subject.path);
    this.base = {
      method: subject.method,
      url: this.url,
      headers: subject.headers,
      body: subject.body,
      provider: options.provider,
      secret: options.secret,
      messageId: messageIdOf(subject.headers, options.provider),
      staleMs: 0,
      tamper: null,
      headerSets: [],
      headerDrops: [],
    };
  }

  /**
   * Sends a recipe. A forgery is signed now. A genuine attempt of an event already sent is what the provider's next
   * attempt is: signed again a second or more after the previous one, or the first attempt's bytes again.
   */
  async send(recipe: RequestRecipe, options: SendOptions): Promise<DeliveryResult> {
    const request = options.genuine ? this.attemptOf(recipe, options.extraHeaders ?? []) : buildRequest(recipe, this.options.now(), options.extraHeaders);
    return this.deliver(request, options);
  }

  /** The very bytes of an event's first attempt again, as a proxy or a client-side retry repeats them. */
  sendFirstAgain(recipe: RequestRecipe): Promise<DeliveryResult> {
    const first = this.attempts.get(recipe.messageId)?.first ?? buildRequest(recipe, this.options.now());
    return this.deliver(first, { genuine: true });
  }

  /**
   * A new event signed as the provider signs during a secret rotation: a signature under an old secret first, the
   * valid one after, in its signature header. Null when the provider has no such form or the request no such header.
   */
  rotated(): Promise<{ result: DeliveryResult } | null> {
    return this.once("rotated", async () => {
      const provider = this.options.provider;
      const rotation = provider.rotation;
      if (rotation === undefined) return null;
      const recipe = freshEvent(this.base);
      const nowMs = this.options.now();
      const current = buildRequest(recipe, nowMs);
      const previous = buildRequest({ ...recipe, secret: this.options.wrongSecret }, nowMs);
      const name = provider.headers[0] as string;
      const value = (request: OutboundRequest) => request.headers.find(([header]) => header.toLowerCase() === name)?.[1];
      const [old, valid] = [value(previous), value(current)];
      if (old === undefined || valid === undefined) return null;
      const headers = current.headers.map(([header, v]): [string, string] => [header, header.toLowerCase() === name ? rotation.combine(old, valid) : v]);
      const before = await this.probeBefore();
      const result = await this.deliver({ ...current, headers }, { genuine: true });
      // An accepted new event is processed: wait for it, so that the next phase counts only its own.
      if (is2xx(result.status)) await this.settle(before, "new-event");
      return { result };
    });
  }

  private attemptOf(recipe: RequestRecipe, extraHeaders: HeaderPairs): OutboundRequest {
    const seen = this.attempts.get(recipe.messageId);
    const nowMs = this.options.now();
    const withExtra = (request: OutboundRequest) => (extraHeaders.length === 0 ? request : { ...request, headers: mergeHeaders(request.headers, extraHeaders) });
    // A sender whose scheme refuses timestamps ahead of the handler's clock (Box refuses any) signs as a sender whose
    // clock is a few seconds behind, so that attempts a second apart each are never ahead of the handler's clock.
    const clockMs = this.options.provider.rejectsFuture ? nowMs - COPIES_AT_ONCE * 1000 : nowMs;
    if (seen === undefined) {
      const signedMs = clockMs;
      const first = buildRequest(recipe, signedMs);
      this.attempts.set(recipe.messageId, { lastSignedMs: signedMs, first, lastDiffers: false });
      return withExtra(first);
    }
    if (this.options.provider.dedup.attempts === "same-bytes") return withExtra(seen.first);
    const signedMs = Math.max(clockMs, (Math.floor(seen.lastSignedMs / 1000) + 1) * 1000);
    const again = buildRequest(recipe, signedMs);
    seen.lastSignedMs = signedMs;
    seen.lastDiffers = !again.body.equals(seen.first.body) || !sameHeaders(again.headers, seen.first.headers);
    return withExtra(again);
  }

  private async deliver(request: OutboundRequest, options: SendOptions): Promise<DeliveryResult> {
    const result = await deliver(request, {
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs,
      dispatcher: this.options.dispatcher,
      maxResponseBytes: 64 * 1024,
      now: this.options.now,
    });
    if (options.genuine) this.genuine.push(result);
    // Whatever the handler took in may change what the probe shows; a forgery it refused is taken to change nothing.
    if (options.genuine || (result.status !== null && result.status < 400)) this.dirtySince ??= performance.now();
    return result;
  }

  probe(): Promise<ProbeReading | null> {
    return this.options.probeUrl === null ? Promise.resolve(null) : readProbe(this.options.probeUrl, this.options.timeoutMs, this.options.dispatcher);
  }

  /** The probe before a phase: the last settled reading, or a new one settled after what was delivered since. */
  async probeBefore(): Promise<ProbeReading | null> {
    if (this.options.probeUrl === null) return null;
    if (!this.stateRead || this.dirtySince !== null) await this.settle(this.state, "no-change");
    return this.state;
  }

  /**
   * The probe once a delivery's effect has settled: read until two readings at least `settleMs` apart agree with
   * nothing in between, bounded by the deadline. After a new event (`new-event`) it first waits for the probe to
   * move at all, and learns from how long that took how long the handler's work lags behind its answer; after a
   * duplicate (`no-change`) it waits at least twice that lag, so that work done late is still seen.
   */
  async settle(before: ProbeReading | null, expect: "new-event" | "no-change"): Promise<ProbeReading | null> {
    if (this.options.probeUrl === null) return null;
    const answeredAt = this.dirtySince ?? performance.now();
    this.dirtySince = null;
    this.stateRead = true;
    const settleMs = this.options.settleMs;
    if (settleMs === 0) return (this.state = await this.probe());
    const quietMs = expect === "no-change" ? Math.max(settleMs, 2 * this.lagMs) : settleMs;
    const until = answeredAt + Math.max(this.options.deadline.ms, 2 * quietMs);
    const stepMs = Math.max(20, Math.min(100, quietMs / 3));
    let reading = await this.probe();
    let seenAt = performance.now();
    let movedAt = before !== null && reading !== null && !sameState(before, reading) ? seenAt : null;
    while (performance.now() < until) {
      const waitingForWork = expect === "new-event" && movedAt === null;
      if (!waitingForWork && performance.now() - seenAt >= quietMs) break;
      await new Promise((resolve) => setTimeout(resolve, stepMs));
      const next = await this.probe();
      if (next !== null && reading !== null && sameState(next, reading)) continue;
      reading = next;
      seenAt = performance.now();
      if (movedAt === null && before !== null && reading !== null && !sameState(before, reading)) movedAt = seenAt;
    }
    if (expect === "new-event" && movedAt !== null) this.lagMs = Math.max(this.lagMs, movedAt - answeredAt);
    this.state = reading;
    return reading;
  }

  /** The first delivery of the subject, with the probe read before and after: one new event's worth of change. */
  valid(): Promise<ValidPhase> {
    return this.once("valid", async () => {
      const before = await this.probeBefore();
      const result = await this.send(this.base, { genuine: true });
      if (result.status === null && result.error !== null && NOT_LISTENING.has(result.error)) throw new HandlerUnreachable(this.url, result.error);
      return { result, before, after: await this.settle(before, "new-event") };
    });
  }

  accepted(): Promise<boolean> {
    return this.valid().then((phase) => is2xx(phase.result.status));
  }

  /** A new event whose body is the subject's re-serialised as compact JSON (what `JSON.stringify(req.body)` gives). */
  compact(compactBody: Buffer): Promise<DeliveryResult> {
    return this.once("compact", () => this.send({ ...freshEvent(this.base), body: compactBody }, { genuine: true }));
  }

  /** The subject's event again, as the sender's next attempt of it (signed again where the sender signs each attempt). */
  repeat(): Promise<RepeatPhase> {
    return this.once("repeat", async () => {
      await this.valid();
      const before = await this.probeBefore();
      const result = await this.send(this.base, { genuine: true });
      return { result, before, resigned: this.lastAttemptDiffers(this.base), after: await this.settle(before, "no-change") };
    });
  }

  /** After the repeat: the very bytes of the first delivery once more. The probe before and after. */
  identicalCopy(): Promise<{ result: DeliveryResult; before: ProbeReading | null; after: ProbeReading | null }> {
    return this.once("identical", async () => {
      await this.repeat();
      const before = await this.probeBefore();
      const result = await this.sendFirstAgain(this.base);
      return { result, before, after: await this.settle(before, "no-change") };
    });
  }

  /** A new event delivered COPIES_AT_ONCE times at once as its very first deliveries: where a check-then-insert dedup races. */
  burst(): Promise<BurstPhase> {
    return this.once("burst", async () => {
      const event = freshEvent(this.base);
      const before = await this.probeBefore();
      const started = performance.now();
      const results = await Promise.all(Array.from({ length: COPIES_AT_ONCE }, () => this.send(event, { genuine: true })));
      const durationMs = performance.now() - started;
      return { results, durationMs, resigned: this.lastAttemptDiffers(event), before, after: await this.settle(before, "new-event") };
    });
  }

  /**
   * A new event whose first attempt the sender gives up on at the deadline (closing the connection), then
   * retries at once — as its next attempt, with the provider's retry headers — while attempt 1 may still be running.
   * A fast handler answers attempt 1 in time; the retry is then what a sender sends when the answer was lost.
   */
  retry(): Promise<RetryPhase> {
    return this.once("retry", async () => {
      const event = freshEvent(this.base);
      const before = await this.probeBefore();
      const first = await this.send(event, { genuine: true, timeoutMs: this.options.deadline.ms });
      const abandoned = first.error === "timeout";
      const retryHeaders = this.options.provider.retry.retryHeaders?.(2, abandoned ? "timeout" : "http_error") ?? [];
      const retry = await this.send(event, { genuine: true, extraHeaders: retryHeaders });
      const resigned = this.lastAttemptDiffers(event);
      return { first, retry, abandoned, resigned, before, after: await this.settle(before, "new-event") };
    });
  }

  /** Whether the event's latest attempt went out with other bytes than its first (signed again, at a later second). */
  private lastAttemptDiffers(recipe: RequestRecipe): boolean {
    return this.attempts.get(recipe.messageId)?.lastDiffers ?? false;
  }

  private once<T>(name: string, start: () => Promise<T>): Promise<T> {
    let phase = this.phases.get(name) as Promise<T> | undefined;
    if (phase === undefined) {
      phase = start();
      this.phases.set(name, phase);
    }
    return phase;
  }
}

export function is2xx(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}
