import type { Dispatcher } from "undici";
import { describeDuration } from "../core/units.js";
import { targetKeepsOwnPath, type DeliveryResult } from "../forward/index.js";
import { describeDedupKey } from "../providers/dedup.js";
import { eventTypeOf } from "../providers/event-type.js";
import type { Provider } from "../providers/types.js";
import { buildRequest, type RequestRecipe } from "../replay/build-request.js";
import { freshEvent } from "./fresh-event.js";
import { bodyForgery, forgeryUndetectedBy, signatureHeaderNames } from "./forgery.js";
import { previewState, probeValue, sameState, stateChange, timesProcessed, type ProbeReading } from "./probe.js";
import type { CheckSubject } from "./sample-event.js";
import { COPIES_AT_ONCE, DEFAULT_SETTLE_MS, HandlerUnreachable, is2xx, SubjectRun, type Deadline } from "./subject-run.js";
import { wrongSecretLike } from "./wrong-secret.js";

export type { Deadline } from "./subject-run.js";

export type CheckOutcome = "pass" | "fail" | "skip" | "inconclusive";

export interface CheckResult {
  subject: string;
  /** The subject's event type as its provider names it (null: none). */
  eventType: string | null;
  test: CheckTestId;
  title: string;
  outcome: CheckOutcome;
  /** The handler's answers (null: no answer). */
  statuses: Array<number | null>;
  durationMs: number;
  /** Why it failed, was skipped or is inconclusive, in plain words; on a pass, a note worth reading (or null). */
  reason: string | null;
}

export interface CheckReport {
  provider: string;
  target: string;
  passed: boolean;
  durationMs: number;
  results: CheckResult[];
  /** Set when nothing answered at all: the run stopped at the first delivery. */
  unreachable: string | null;
}

export interface CheckOptions {
  target: URL;
  provider: Provider;
  secret: string;
  subjects: readonly CheckSubject[];
  deadline: Deadline;
  /** Per request; longer than the deadline so that a slow handler is measured, not cut off. */
  timeoutMs: number;
  probeUrl: string | null;
  /** How long the probe must read the same before a delivery's effect counts as settled; default 300 ms. */
  settleMs?: number;
  dispatcher: Dispatcher;
  onResult?: (result: CheckResult) => void;
  now?: () => number;
}

type Verdict = Omit<CheckResult, "subject" | "eventType" | "test" | "title">;

interface CheckDefinition {
  id: string;
  title: string;
  /** Judges what the handler's --probe reports; listed only when there is a probe. */
  probe?: true;
  run(s: SubjectRun): Promise<Verdict>;
}

const pass = (statuses: Array<number | null> = [], durationMs = 0, note: string | null = null): Verdict => ({ outcome: "pass", statuses, durationMs, reason: note });
const fail = (reason: string, statuses: Array<number | null> = [], durationMs = 0): Verdict => ({ outcome: "fail", statuses, durationMs, reason });
const skip = (reason: string): Verdict => ({ outcome: "skip", statuses: [], durationMs: 0, reason });

/**
 * Every check, in the order it runs and is shown (the README's table reads the same). Each is one function over
 * the subject's run; deliveries that several checks read (the valid delivery, the burst, the retry) are sent
 * once. Every check after the first two is inconclusive until a valid delivery is accepted: a handler that
 * refuses everything "rejects" every forgery, and that proves nothing.
 */
const CHECKS = [
  { id: "valid", title: "accepts a valid delivery", run: checkValid },
  { id: "raw-bytes", title: "verifies the raw bytes, not re-serialised JSON", run: checkRawBytes },
  { id: "duplicate-sequential", title: "accepts the same event again", run: gated(checkRepeat) },
  { id: "duplicate-state", title: "a repeated event changes state once (probe)", probe: true, run: gated(checkRepeatState) },
  { id: "signature-dedup", title: "deduplicates by the event, not by its signature (probe)", probe: true, run: gated(checkSignatureDedup) },
  { id: "duplicate-concurrent", title: `accepts ${COPIES_AT_ONCE} simultaneous first deliveries of a new event`, run: gated(checkBurst) },
  { id: "concurrent-state", title: `${COPIES_AT_ONCE} simultaneous copies change state once (probe)`, probe: true, run: gated(checkBurstState) },
  { id: "tampered-signature", title: "rejects a tampered signature", run: gated(forgery("tampered-signature")) },
  { id: "tampered-body", title: "rejects a tampered body", run: gated(forgery("tampered-body")) },
  { id: "stale-timestamp", title: "rejects a stale timestamp", run: gated(forgery("stale-timestamp")) },
  { id: "missing-signature", title: "rejects a missing signature", run: gated(forgery("missing-signature")) },
  { id: "wrong-secret", title: "rejects a wrong secret", run: gated(forgery("wrong-secret")) },
  { id: "rotation", title: "accepts a delivery signed during a secret rotation", run: gated(checkRotation) },
  { id: "forged-later-item", title: "rejects a batch whose later item is forged", run: gated(checkForgedLaterItem) },
  { id: "retry", title: "accepts a retry after the sender gave up", run: gated(checkRetry) },
  { id: "retry-state", title: "a timed-out attempt and its retry change state once (probe)", probe: true, run: gated(checkRetryState) },
  { id: "deadline", title: "answers within the deadline", run: checkDeadline },
] as const satisfies readonly CheckDefinition[];

export type CheckTestId = (typeof CHECKS)[number]["id"];

export const CHECK_TITLES = Object.fromEntries(CHECKS.map((c) => [c.id, c.title])) as Record<CheckTestId, string>;

/** The checks a run makes, in order (the probe checks only with a probe). */
export function checksFor(withProbe: boolean): Array<{ id: CheckTestId; title: string }> {
  return CHECKS.filter((c: CheckDefinition) => withProbe || c.probe !== true).map(({ id, title }) => ({ id, title }));
}

/** A conformance run of a webhook handler over each subject. Returns data; the CLI renders it. */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const now = options.now ?? Date.now;
  const started = performance.now();
  const results: CheckResult[] = [];
  const finish = (unreachable: string | null): CheckReport => ({
    provider: options.provider.id,
    target: options.target.href,
    passed: unreachable === null && results.every((r) => r.outcome === "pass" || r.outcome === "skip"),
    durationMs: performance.now() - started,
    results,
    unreachable,
  });
  const wrongSecret = wrongSecretLike(options.secret, options.provider);
  for (const subject of options.subjects) {
    const run = new SubjectRun({ ...options, wrongSecret, settleMs: options.settleMs ?? DEFAULT_SETTLE_MS, now }, subject);
    const eventType = eventTypeOf(options.provider, subject);
    for (const check of CHECKS as readonly CheckDefinition[]) {
      if (check.probe && options.probeUrl === null) continue;
      let verdict: Verdict;
      try {
        verdict = await check.run(run);
      } catch (error) {
        if (error instanceof HandlerUnreachable) return finish(error.message);
        throw error;
      }
      const result: CheckResult = { subject: subject.name, eventType, test: check.id as CheckTestId, title: check.title, ...verdict };
      results.push(result);
      options.onResult?.(result);
    }
  }
  return finish(null);
}

// ---- the checks ----

async function checkValid(s: SubjectRun): Promise<Verdict> {
  const { result } = await s.valid();
  if (is2xx(result.status)) return pass([result.status], result.durationMs);
  const why =
    noAnswer(result, s.url) ??
    (result.status !== null && result.status >= 500
      ? `answered ${describe(result)} to a valid delivery — the handler failed on a genuine event`
      : isRouteMissing(result.status)
        ? `answered ${describe(result)}: nothing handles ${s.url} — ${targetKeepsOwnPath(s.options.target) ? `if the handler serves another path, give its whole URL in --to (e.g. --to ${s.options.target.origin}/webhooks)` : "is that the path the handler serves?"}`
        : `refused a valid, freshly signed delivery with ${describe(result)} — ${(await reserialises(s)) ? "it verifies re-serialised JSON, not the raw bytes (see below)" : "is it verifying with this same secret?"}`);
  return fail(why, [result.status], result.durationMs);
}

async function checkRawBytes(s: SubjectRun): Promise<Verdict> {
  const compact = compactForm(s.base.body);
  if (compact === undefined) return skip("the body is not JSON");
  if (s.options.provider.bodySignature?.drop(s.base.body) != null) {
    return skip(`${s.options.provider.name} signs fields of the body, not its bytes, so a handler that re-serialises the JSON still verifies it`);
  }
  if (compact === null) {
    return skip(`this body is byte for byte what JSON.stringify writes (${s.options.provider.name} sends compact JSON), so re-serialising it changes nothing and the bug cannot show here`);
  }
  const { result } = await s.valid();
  if (is2xx(result.status)) return pass([result.status], result.durationMs);
  if (result.status === null || result.status >= 500 || isRouteMissing(result.status)) return inconclusiveValid(result);
  const again = await s.compact(compact);
  if (is2xx(again.status)) {
    return fail(
      `it refused the body as ${s.options.provider.name} sends it (${describe(result)}) and accepted the same event re-serialised as compact JSON (${again.status}): ` +
        "it verifies JSON.stringify(req.body), not the raw bytes — compute the signature over the raw request body (e.g. express.raw({ type: 'application/json' })) before parsing it",
      [result.status, again.status],
      result.durationMs + again.durationMs,
    );
  }
  return {
    outcome: "inconclusive",
    statuses: [result.status, again.status],
    durationMs: result.durationMs + again.durationMs,
    reason: "the valid delivery was refused in both forms, as sent and as compact JSON, so the cause is elsewhere (see above)",
  };
}

async function checkRepeat(s: SubjectRun): Promise<Verdict> {
  const { result } = await s.repeat();
  if (is2xx(result.status)) return pass([result.status], result.durationMs);
  return fail(
    noAnswer(result, s.url) ??
      `answered ${describe(result)} to a second copy of an event it had just accepted — senders deliver events more than once; answer 2xx and skip the work`,
    [result.status],
    result.durationMs,
  );
}

async function checkRepeatState(s: SubjectRun): Promise<Verdict> {
  const unnamed = noEventIdentity(s);
  if (unnamed) return skip(unnamed);
  const repeat = await s.repeat();
  const unread = unreadable(s, repeat.before, repeat.after);
  if (unread) return fail(unread);
  if (sameState(repeat.before!, repeat.after!)) return pass();
  const change = `${previewState(repeat.before!)} → ${previewState(repeat.after!)}`;
  if (await keysOnSignature(s)) return fail(`the probe changed after the sender's next attempt of an event already processed (${change}): ${signatureDedupAdvice(s)}`);
  return fail(`the probe changed after a second copy of an event already processed (${change}) — duplicates are processed again; deduplicate by the event id${idHint(s)}`);
}

/**
 * The signature-keyed dedup, named: an exact copy of the first delivery is skipped, but the same event signed again
 * a second later (what the provider's next attempt is) is processed. Only where the sender signs every attempt.
 */
async function checkSignatureDedup(s: SubjectRun): Promise<Verdict> {
  const provider = s.options.provider;
  const unnamed = noEventIdentity(s);
  if (unnamed) return skip(unnamed);
  if (provider.kind === "token") return skip(`${provider.name} sends a credential, the same on every delivery, not a signature: there is no signature to key on`);
  if (provider.dedup.attempts === "same-bytes") {
    return skip(`${provider.name}'s retries and redeliveries repeat the first attempt's bytes, so a handler keyed on the signature still recognises them`);
  }
  const repeat = await s.repeat();
  if (!repeat.resigned) return skip(`a ${provider.name} delivery signed again a second later has the same bytes (the scheme signs no time), so hooktape cannot send the attempt that tells this apart`);
  const copy = await s.identicalCopy();
  const unread = unreadable(s, repeat.before, repeat.after, copy.before, copy.after);
  if (unread) return fail(unread);
  const resignedProcessed = !sameState(repeat.before!, repeat.after!);
  const copyProcessed = !sameState(copy.before!, copy.after!);
  if (resignedProcessed && !copyProcessed) return fail(signatureDedupAdvice(s));
  if (resignedProcessed) return skip('it processes every copy of an event, the same bytes too (see "a repeated event changes state once")');
  return pass([repeat.result.status, copy.result.status]);
}

async function checkBurst(s: SubjectRun): Promise<Verdict> {
  const { results, durationMs } = await s.burst();
  const statuses = results.map((r) => r.status);
  if (results.every((r) => is2xx(r.status))) return pass(statuses, durationMs);
  const answers = results.map((r) => describeShort(r)).join(", ");
  return fail(
    results.some((r) => r.status !== null && r.status >= 500)
      ? `answered ${answers} to ${COPIES_AT_ONCE} simultaneous copies of a new event — is the deduplication racy (check-then-insert without a lock or unique key)?`
      : `answered ${answers} to ${COPIES_AT_ONCE} simultaneous copies of a new event — every copy should get a 2xx`,
    statuses,
    durationMs,
  );
}

async function checkBurstState(s: SubjectRun): Promise<Verdict> {
  const unnamed = noEventIdentity(s);
  if (unnamed) return skip(unnamed);
  const burst = await s.burst();
  return judgeOneEvent(s, burst, async (times, change) => {
    if (times === 0) return `${COPIES_AT_ONCE} simultaneous first deliveries of a new event left the probe unchanged (${change}): ${neverProcessed(s)}`;
    if (burst.resigned && (await keysOnSignature(s))) {
      return `${COPIES_AT_ONCE} simultaneous first deliveries of a new event were processed ${timesText(times)} (${change}), each copy signed when it was sent: ${signatureDedupAdvice(s)}`;
    }
    return (
      `${COPIES_AT_ONCE} simultaneous first deliveries of a new event were processed ${timesText(times)} (${change}) — ` +
      "the deduplication is racy: the id is checked, then recorded only after an await; record it atomically before the work (a unique key, INSERT … ON CONFLICT DO NOTHING, SET NX)"
    );
  });
}

/**
 * Passes when the probe moved by exactly one new event's worth between `phase.before` and `phase.after` (the unit
 * is what the valid delivery changed); otherwise fails with `explain(times, change)`.
 */
async function judgeOneEvent(
  s: SubjectRun,
  phase: { before: ProbeReading | null; after: ProbeReading | null },
  explain: (times: number | null, change: string) => Promise<string>,
): Promise<Verdict> {
  const valid = await s.valid();
  const unread = unreadable(s, valid.before, valid.after, phase.before, phase.after);
  if (unread) return fail(unread);
  const unit = stateChange(probeValue(valid.before), probeValue(valid.after));
  if (unit.size === 0) return skip(probeCannotCount());
  const times = timesProcessed(stateChange(probeValue(phase.before), probeValue(phase.after)), unit);
  return times === 1 ? pass() : fail(await explain(times, `probe ${previewState(phase.before!)} → ${previewState(phase.after!)}`));
}

type ForgeryId = "tampered-signature" | "tampered-body" | "stale-timestamp" | "missing-signature" | "wrong-secret";

/** Why a forged request that should have been rejected was not, in plain words. */
const FORGERY_ADVICE: Record<ForgeryId, string> = {
  "tampered-signature": "accepted a request whose signature was tampered with — is the handler verifying signatures?",
  "tampered-body": "accepted a body that was changed after signing — does it verify the signature over the raw body bytes?",
  "stale-timestamp": "accepted a request signed {age} ago — is it checking the timestamp tolerance? (an old request can be replayed by anyone who saw it)",
  "missing-signature": "accepted a request with no signature at all — is the handler verifying signatures?",
  "wrong-secret": "accepted a request signed with another secret — is it verifying against its own secret?",
};

/** How far in the past the stale forgery is signed: past the tolerance by five minutes. */
function staleAgeMs(provider: Provider): number | null {
  return provider.toleranceSec === null ? null : (provider.toleranceSec + 300) * 1000;
}

/**
 * A forgery: a fresh event (never seen by the handler, so a dedup answer cannot pass for a rejection),
 * otherwise valid, broken in exactly one way. It must be rejected with a 4xx other than 404/405.
 */
function forgery(id: ForgeryId): (s: SubjectRun) => Promise<Verdict> {
  return async (s) => {
    const provider = s.options.provider;
    const event = freshEvent(s.base);
    let recipe: RequestRecipe;
    switch (id) {
      case "tampered-signature":
        recipe = { ...event, tamper: "signature" };
        break;
      case "tampered-body":
        recipe = { ...event, tamper: "body" };
        break;
      case "stale-timestamp": {
        const staleMs = staleAgeMs(provider);
        if (staleMs === null) return skip(`${provider.name} signs no timestamp, so a stale request cannot be told apart`);
        recipe = { ...event, staleMs };
        break;
      }
      case "missing-signature":
        recipe = { ...event, headerDrops: signatureHeaderNames(provider) };
        break;
      case "wrong-secret":
        recipe = { ...event, secret: s.options.wrongSecret };
        break;
    }
    if (id === "tampered-signature" || id === "tampered-body" || id === "missing-signature") {
      recipe = bodyForgery(provider, event, id, s.options.now()) ?? recipe;
    }
    return judgeForgery(s, recipe, FORGERY_ADVICE[id].replace("{age}", describeDuration(staleAgeMs(provider) ?? 0)));
  };
}

/**
 * Sends a forged request that must not be processed. A 4xx (other than 404/405) passes. A 2xx passes with a note when
 * `--probe` shows that nothing was processed (Adyen asks handlers to acknowledge every notification and drop the
 * bad ones); without a probe, or when the state changed, it fails with `advice`.
 */
async function judgeForgery(s: SubjectRun, recipe: RequestRecipe, advice: string): Promise<Verdict> {
  const undetected = forgeryUndetectedBy(s.options.provider, s.options.secret, recipe, s.options.now());
  if (undetected !== null) return skip(undetected);
  const before = await s.probeBefore();
  const result = await s.send(recipe, { genuine: false });
  if (result.status !== null && result.status >= 400 && result.status < 500 && !isRouteMissing(result.status)) {
    return pass([result.status], result.durationMs);
  }
  if (is2xx(result.status) && before !== null) {
    const after = await s.settle(before, "no-change");
    if (after !== null && sameState(before, after)) {
      return pass(
        [result.status],
        result.durationMs,
        `answered ${result.status} but did not process it (the probe is unchanged); senders will not retry it — a 4xx tells you sooner when a secret is wrong`,
      );
    }
    if (after !== null && !("error" in after)) {
      return fail(`${advice} (answered ${describeShort(result)} and processed it: probe ${previewState(before)} → ${previewState(after)})`, [result.status], result.durationMs);
    }
  }
  const why =
    noAnswer(result, s.url) ??
    (isRouteMissing(result.status)
      ? `answered ${describe(result)} — that reads as "no such route", not as a rejection; reject a bad signature with 400 or 401`
      : result.status !== null && result.status >= 500
        ? `answered ${describe(result)} to a forged request — reject it with 400 or 401 instead of failing`
        : `${advice} (answered ${describeShort(result)})`);
  return fail(why, [result.status], result.durationMs);
}

/** A new event signed as senders sign during a secret rotation: a signature under an old secret first, the valid one after. */
async function checkRotation(s: SubjectRun): Promise<Verdict> {
  const provider = s.options.provider;
  if (provider.rotation === undefined) return skip(`${provider.name} signs each delivery with one secret, so there is no rotation form to send`);
  const rotated = await s.rotated();
  if (rotated === null) return skip(`this ${provider.name} request carries no ${provider.headers[0] ?? "signature"} header to hold two signatures`);
  const { result } = rotated;
  if (is2xx(result.status)) return pass([result.status], result.durationMs);
  const header = provider.headers[0] ?? "the signature header";
  return fail(
    noAnswer(result, s.url) ??
      `refused (${describe(result)}) a delivery signed during a secret rotation: its ${header} holds a signature under the old secret first and one under yours after, as ${provider.name} sends while a secret is rolled (${provider.rotation.docs}) — accept the delivery when any of the signatures matches, not only the first`,
    [result.status],
    result.durationMs,
  );
}

/** A batch of two items, signed, then a signed value of the second item changed: every item must be verified. */
async function checkForgedLaterItem(s: SubjectRun): Promise<Verdict> {
  const provider = s.options.provider;
  const laterItem = provider.bodySignature?.laterItem;
  if (laterItem === undefined) return skip(`${provider.name} signs each delivery as a whole, not item by item`);
  const event = freshEvent(s.base);
  const widened = laterItem.widen(event.body);
  if (widened === null) return skip("this body is not a batch of signed items");
  const signed = buildRequest({ ...event, body: widened }, s.options.now());
  const forged = laterItem.tamper(signed.body);
  if (forged === null) return skip("this body is not a batch of signed items");
  const recipe: RequestRecipe = { ...event, url: signed.url, headers: signed.headers, body: forged, secret: null, tamper: null, headerSets: [], headerDrops: [] };
  return judgeForgery(
    s,
    recipe,
    "accepted a batch whose second item was changed after signing — is it verifying only the first item? Verify the signature of every item before processing any",
  );
}

async function checkRetry(s: SubjectRun): Promise<Verdict> {
  const { first, retry, abandoned } = await s.retry();
  const statuses = [first.status, retry.status];
  if (is2xx(retry.status)) return pass(statuses, retry.durationMs);
  const context = abandoned
    ? `the sender gave up on attempt 1 after ${deadlineSpan(s)} and retried`
    : "the sender never saw the answer to attempt 1 and retried";
  return fail(
    noAnswer(retry, s.url) ?? `answered ${describe(retry)} to the retry — ${context}, so the retry must be accepted (2xx)`,
    statuses,
    retry.durationMs,
  );
}

async function checkRetryState(s: SubjectRun): Promise<Verdict> {
  const unnamed = noEventIdentity(s);
  if (unnamed) return skip(unnamed);
  const phase = await s.retry();
  return judgeOneEvent(s, phase, async (times, change) => {
    if (times === 0) return `an event and its retry left the probe unchanged (${change}): ${neverProcessed(s)}`;
    if (phase.resigned && (await keysOnSignature(s))) {
      return `an event and its retry were processed ${timesText(times)} (${change}), the retry signed when it was sent: ${signatureDedupAdvice(s)}`;
    }
    return phase.abandoned
      ? `an event was processed ${timesText(times)} across a timed-out attempt and its retry (${change}): the sender gave up on attempt 1 after ${deadlineSpan(s)} ` +
          "and retried while it was still running — record the event id before the slow work, or answer 2xx first and do the work in the background"
      : `an event and its retry were processed ${timesText(times)} (${change}) — deduplicate by the event id${idHint(s)}`;
  });
}

async function checkDeadline(s: SubjectRun): Promise<Verdict> {
  const deadlineMs = s.options.deadline.ms;
  const late = s.genuine.filter((r) => r.error === "timeout" || (r.status !== null && r.durationMs > deadlineMs));
  const slowest = s.genuine.reduce((max, r) => Math.max(max, r.durationMs), 0);
  if (late.length === 0) return pass([], slowest);
  const answeredLate = late.filter((r) => r.status !== null);
  const slowestAnswer = answeredLate.reduce((max, r) => Math.max(max, r.durationMs), 0);
  return fail(
    `${answeredLate.length > 0 ? `took up to ${describeDuration(slowestAnswer)} to answer` : `gave no answer within ${describeDuration(deadlineMs)}`}; ${deadlineText(s)} — answer 2xx first, then do slow work in the background`,
    [],
    slowest,
  );
}

// ---- shared wording ----

/** Wraps a check so that it is inconclusive until the valid delivery has been accepted. */
function gated(check: (s: SubjectRun) => Promise<Verdict>): (s: SubjectRun) => Promise<Verdict> {
  return async (s) => {
    const { result } = await s.valid();
    return is2xx(result.status) ? check(s) : inconclusiveValid(result);
  };
}

function inconclusiveValid(valid: DeliveryResult): Verdict {
  return {
    outcome: "inconclusive",
    statuses: [],
    durationMs: 0,
    reason: `the valid delivery was not accepted (${describeShort(valid)}), so this proves nothing — fix "accepts a valid delivery" first`,
  };
}

async function reserialises(s: SubjectRun): Promise<boolean> {
  const compact = compactForm(s.base.body);
  if (!compact) return false;
  return is2xx((await s.compact(compact)).status);
}

/** The body as `JSON.stringify(JSON.parse(body))` writes it; null when that is the body itself; undefined when not JSON. */
function compactForm(body: Buffer): Buffer | null | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
  const compact = Buffer.from(JSON.stringify(parsed), "utf8");
  return compact.equals(body) ? null : compact;
}

/** 404 and 405 say "no such route": never a rejection of a forgery, and a sign that --to is wrong. */
function isRouteMissing(status: number | null): boolean {
  return status === 404 || status === 405;
}

/** A delivery that got no answer: the handler is down or too slow, which is not a verdict on signatures. */
function noAnswer(result: DeliveryResult, url: string): string | null {
  if (result.status !== null) return null;
  if (result.error === "timeout") return `gave no answer within ${describeDuration(result.durationMs)}`;
  if (result.error === "ECONNREFUSED") return `could not connect to ${url} (connection refused) — did the handler stop?`;
  return `gave no answer (${result.errorMessage ?? result.error ?? "failed"})`;
}

/** `400 "Timestamp outside the tolerance zone"`: the status and the first line of what the handler said. */
function describe(result: DeliveryResult): string {
  if (result.status === null) return describeShort(result);
  const line = result.responseBody
    .subarray(0, 512)
    .toString("utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== "");
  if (line === undefined) return String(result.status);
  // eslint-disable-next-line no-control-regex
  const clean = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
  return `${result.status} "${clean.length > 100 ? clean.slice(0, 97) + "..." : clean}"`;
}

function describeShort(result: DeliveryResult): string {
  if (result.status !== null) return String(result.status);
  return result.error === "timeout" ? "no answer in time" : `no answer: ${result.error ?? "failed"}`;
}

/** The deadline as a clause: where the figure comes from, and what happens past it. */
function deadlineText(s: SubjectRun): string {
  const { ms, origin } = s.options.deadline;
  const name = s.options.provider.name;
  if (origin === "flag") return `your --deadline is ${describeDuration(ms)}, after which a sender counts the delivery as failed`;
  if (origin === "published") return `${name} gives up after ${describeDuration(ms)} and counts the delivery as failed`;
  return `${name} publishes no deadline; hooktape assumes ${describeDuration(ms)}, after which a sender counts the delivery as failed`;
}

/** The deadline as a span: "your --deadline of 200 ms", "10 s (GitHub's deadline)". */
function deadlineSpan(s: SubjectRun): string {
  const { ms, origin } = s.options.deadline;
  const name = s.options.provider.name;
  if (origin === "flag") return `your --deadline of ${describeDuration(ms)}`;
  return `${describeDuration(ms)} (${origin === "published" ? `${name}'s deadline` : `assumed: ${name} publishes no deadline`})`;
}

function unreadable(s: SubjectRun, ...readings: Array<ProbeReading | null>): string | null {
  const broken = readings.find((r) => r === null || "error" in r);
  if (broken === undefined) return null;
  return `the probe ${s.options.probeUrl ?? ""} could not be read: ${broken === null ? "no probe" : "error" in broken ? broken.error : ""}`;
}


function timesText(times: number | null): string {
  if (times === null) return "an uncountable number of times";
  if (times === 0) return "not at all";
  return times === 2 ? "twice" : `${times} times`;
}

/** Skipped state checks for a provider whose deliveries name no event (Dropbox's and Airtable's change pings). */
function noEventIdentity(s: SubjectRun): string | null {
  const provider = s.options.provider;
  return provider.dedup.keys.length === 0
    ? `${provider.name}'s deliveries name no event (they say that something changed), so there is nothing to deduplicate on: handling one twice must change nothing`
    : null;
}

/** Where the provider names its events, for advice: `body id`, `header svix-id`; "" when it names none. */
function keysText(s: SubjectRun): string {
  return s.options.provider.dedup.keys
    .filter((key) => key.optional !== true)
    .map(describeDedupKey)
    .join(", ");
}

function idHint(s: SubjectRun): string {
  const keys = keysText(s);
  return keys === "" ? "" : ` (${keys})`;
}

function signatureDedupAdvice(s: SubjectRun): string {
  return (
    `it deduplicates on the signature header; senders re-sign every attempt — key on the event id${idHint(s)}: ` +
    `an exact copy of the first delivery was skipped, but the same event signed a second later, as ${s.options.provider.name}'s next attempt is, was processed again`
  );
}

/** True when the handler skipped an exact copy of its first delivery but processed the same event signed again. */
async function keysOnSignature(s: SubjectRun): Promise<boolean> {
  if (s.options.provider.dedup.attempts === "same-bytes" || s.options.probeUrl === null) return false;
  const repeat = await s.repeat();
  if (!repeat.resigned) return false;
  const copy = await s.identicalCopy();
  if (unreadable(s, repeat.before, repeat.after, copy.before, copy.after) !== null) return false;
  return !sameState(repeat.before!, repeat.after!) && sameState(copy.before!, copy.after!);
}

function neverProcessed(s: SubjectRun): string {
  const keys = keysText(s);
  return `the new event was never processed — did the handler take it for a duplicate?${keys === "" ? "" : ` (every new event hooktape sends carries a new ${keys})`}`;
}

function probeCannotCount(): string {
  return "the probe did not change when the handler processed a new event, so it cannot count how often an event is processed — make it report a counter or the ids processed";
}
