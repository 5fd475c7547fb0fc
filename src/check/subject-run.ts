import type { Dispatcher } from "undici";
import type { HeaderPairs } from "../core/types.js";
import { deliver, sendUrlFor, type DeliveryResult } from "../forward/index.js";
import type { Provider } from "../providers/types.js";
import { buildRequest, messageIdOf, type RequestRecipe } from "../replay/build-request.js";
import { freshEvent } from "./fresh-event.js";
import { probeValue, readProbe, sameState, stateChange, timesProcessed, type ProbeReading } from "./probe.js";
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
  deadline: Deadline;
  /** Per request; longer than the deadline so that a slow handler is measured, not cut off. */
  timeoutMs: number;
  probeUrl: string | null;
  dispatcher: Dispatcher;
  now: () => number;
}

export const COPIES_AT_ONCE = 5;

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

export interface RetryPhase {
  first: DeliveryResult;
  retry: DeliveryResult;
  /** The sender gave up on attempt 1 at the deadline and closed the connection. */
  abandoned: boolean;
  before: ProbeReading | null;
  after: ProbeReading | null;
}

/**
 * One subject's run: the deliveries the checks judge, each sent once however many checks read it. Every phase
 * that starts a new event starts a fresh one (fresh ids, fresh body), so no check leans on what the handler
 * has already seen.
 */
export class SubjectRun {
  readonly url: string;
  /** The subject as a signed request recipe: the event of the valid delivery and its duplicates. */
  readonly base: RequestRecipe;
  /** Every genuine delivery's result (not the forgeries'), for the deadline check. */
  readonly genuine: DeliveryResult[] = [];
  private readonly phases = new Map<string, Promise<unknown>>();

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

  /** Sends a recipe signed now; `genuine` deliveries count towards the deadline. */
  async send(recipe: RequestRecipe, options: { genuine: boolean; timeoutMs?: number; extraHeaders?: HeaderPairs }): Promise<DeliveryResult> {
    const request = buildRequest(recipe, this.options.now(), options.extraHeaders);
    const result = await deliver(request, {
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs,
      dispatcher: this.options.dispatcher,
      maxResponseBytes: 64 * 1024,
      now: this.options.now,
    });
    if (options.genuine) this.genuine.push(result);
    return result;
  }

  probe(): Promise<ProbeReading | null> {
    return this.options.probeUrl === null ? Promise.resolve(null) : readProbe(this.options.probeUrl, this.options.timeoutMs, this.options.dispatcher);
  }

  /** The first delivery of the subject, with the probe read before and after: one new event's worth of change. */
  valid(): Promise<ValidPhase> {
    return this.once("valid", async () => {
      const before = await this.probe();
      const result = await this.send(this.base, { genuine: true });
      if (result.status === null && result.error !== null && NOT_LISTENING.has(result.error)) throw new HandlerUnreachable(this.url, result.error);
      return { result, before, after: await this.probe() };
    });
  }

  accepted(): Promise<boolean> {
    return this.valid().then((phase) => is2xx(phase.result.status));
  }

  /** A new event whose body is the subject's re-serialised as compact JSON (what `JSON.stringify(req.body)` gives). */
  compact(compactBody: Buffer): Promise<DeliveryResult> {
    return this.once("compact", () => this.send({ ...freshEvent(this.base), body: compactBody }, { genuine: true }));
  }

  /** The subject's event again, as a sender that never saw the first answer sends it. */
  repeat(): Promise<{ result: DeliveryResult; after: ProbeReading | null }> {
    return this.once("repeat", async () => {
      const result = await this.send(this.base, { genuine: true });
      return { result, after: await this.probe() };
    });
  }

  /** A new event delivered COPIES_AT_ONCE times at once as its very first deliveries: where a check-then-insert dedup races. */
  burst(): Promise<{ results: DeliveryResult[]; durationMs: number; before: ProbeReading | null; after: ProbeReading | null }> {
    return this.once("burst", async () => {
      const event = freshEvent(this.base);
      const before = await this.probe();
      const started = performance.now();
      const results = await Promise.all(Array.from({ length: COPIES_AT_ONCE }, () => this.send(event, { genuine: true })));
      const durationMs = performance.now() - started;
      return { results, durationMs, before, after: await this.probe() };
    });
  }

  /**
   * A new event whose first attempt the sender gives up on at the deadline (closing the connection), then
   * retries at once — re-signed, with the provider's retry headers — while attempt 1 may still be running.
   * A fast handler answers attempt 1 in time; the retry is then what a sender sends when the answer was lost.
   */
  retry(): Promise<RetryPhase> {
    return this.once("retry", async () => {
      const event = freshEvent(this.base);
      const before = await this.probe();
      const first = await this.send(event, { genuine: true, timeoutMs: this.options.deadline.ms });
      const abandoned = first.error === "timeout";
      const retryHeaders = this.options.provider.retry.retryHeaders?.(2, abandoned ? "timeout" : "http_error") ?? [];
      const retry = await this.send(event, { genuine: true, extraHeaders: retryHeaders });
      const after = abandoned ? await this.settledProbe(before) : await this.probe();
      return { first, retry, abandoned, before, after };
    });
  }

  /**
   * The probe once the abandoned attempt has finished on the handler: it keeps working after the sender hung up,
   * and may finish after the retry was answered. Read until at least one new event's worth of change shows and
   * two readings agree, bounded by the request timeout.
   */
  private async settledProbe(before: ProbeReading | null): Promise<ProbeReading | null> {
    const valid = await this.valid();
    let last = await this.probe();
    if (last === null || before === null || valid.before === null || valid.after === null || !("value" in before)) return last;
    const unit = stateChange(probeValue(valid.before), probeValue(valid.after));
    if (unit.size === 0) return last;
    const until = performance.now() + this.options.timeoutMs;
    while (performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const next = await this.probe();
      const times = next !== null && "value" in next ? timesProcessed(stateChange(before.value, next.value), unit) : null;
      if (next !== null && last !== null && sameState(last, next) && times !== null && times >= 1) return next;
      last = next;
    }
    return last;
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
