import { isDeepStrictEqual } from "node:util";
import type { Dispatcher } from "undici";
import { setJsonPath } from "../core/mutate.js";
import { deliver, joinTarget, type DeliveryResult, type OutboundRequest } from "../forward/index.js";
import type { Provider } from "../providers/types.js";
import { buildRequest, messageIdOf, newMessageId, type RequestRecipe, type Tamper } from "../replay/build-request.js";
import type { CheckSubject } from "./sample-event.js";
import { wrongSecretLike } from "./wrong-secret.js";

export type CheckTestId =
  | "valid"
  | "duplicate-sequential"
  | "duplicate-concurrent"
  | "duplicate-state"
  | "tampered-signature"
  | "tampered-body"
  | "stale-timestamp"
  | "missing-signature"
  | "wrong-secret"
  | "deadline"
  | "retry";

export const CHECK_TITLES: Record<CheckTestId, string> = {
  valid: "accepts a valid delivery",
  "duplicate-sequential": "accepts the same event again",
  "duplicate-concurrent": "accepts 5 copies at once without a 5xx",
  "duplicate-state": "duplicates change state only once (probe)",
  "tampered-signature": "rejects a tampered signature",
  "tampered-body": "rejects a tampered body",
  "stale-timestamp": "rejects a stale timestamp",
  "missing-signature": "rejects a missing signature",
  "wrong-secret": "rejects a wrong secret",
  deadline: "answers within the provider's deadline",
  retry: "accepts a retry after a failed attempt",
};

export interface CheckResult {
  subject: string;
  test: CheckTestId;
  title: string;
  outcome: "pass" | "fail" | "skip";
  /** The handler's answers (null: no answer). */
  statuses: Array<number | null>;
  durationMs: number;
  /** Why it failed or was skipped, in plain words. */
  reason: string | null;
}

export interface CheckReport {
  provider: string;
  target: string;
  passed: boolean;
  durationMs: number;
  results: CheckResult[];
}

export interface CheckOptions {
  target: URL;
  provider: Provider;
  secret: string;
  subjects: readonly CheckSubject[];
  deadlineMs: number;
  /** Per request; longer than the deadline so that a slow handler is measured, not cut off. */
  timeoutMs: number;
  probeUrl: string | null;
  dispatcher: Dispatcher;
  onResult?: (result: CheckResult) => void;
  now?: () => number;
}

const DUPLICATES_AT_ONCE = 5;

function answer(result: DeliveryResult): string {
  if (result.status !== null) return String(result.status);
  return result.error === "timeout" ? "no answer (timeout)" : `no answer (${result.error ?? "failed"})`;
}

function is2xx(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

function is4xx(status: number | null): boolean {
  return status !== null && status >= 400 && status < 500;
}

/** A reason for a delivery that got no answer at all: the handler is down or too slow, not wrong about signatures. */
function unreachable(result: DeliveryResult, url: string): string | null {
  if (result.status !== null) return null;
  if (result.error === "timeout") return `gave no answer within ${Math.round(result.durationMs)} ms`;
  if (result.error === "ECONNREFUSED") return `could not connect to ${url} (connection refused) — is the handler running?`;
  return `gave no answer (${result.errorMessage ?? result.error ?? "failed"})`;
}

/** Why a forged request that should have been rejected was not, in plain words. */
const FORGERY_ADVICE: Record<string, string> = {
  "tampered-signature": "accepted a request whose signature was tampered with — is the handler verifying signatures?",
  "tampered-body": "accepted a body that was changed after signing — does it verify the signature over the raw body bytes?",
  "stale-timestamp": "accepted a request signed long ago — is it checking the timestamp tolerance? (an old request can be replayed by anyone who saw it)",
  "missing-signature": "accepted a request with no signature at all — is the handler verifying signatures?",
  "wrong-secret": "accepted a request signed with another secret — is it verifying against its own secret?",
};

/**
 * A conformance run: for each subject, a valid delivery, duplicates (sequential, then 5 at once), forgeries
 * (tampered signature and body, stale timestamp, no signature, wrong secret), the deadline, and a retry after an
 * attempt the sender gave up on. Returns data; the CLI renders it.
 */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const now = options.now ?? Date.now;
  const started = performance.now();
  const results: CheckResult[] = [];
  const report = (result: CheckResult) => {
    results.push(result);
    options.onResult?.(result);
  };
  const providerName = options.provider.name;
  for (const subject of options.subjects) {
    const url = joinTarget(options.target, subject.path);
    const recipe = (overrides: Partial<RequestRecipe> = {}): RequestRecipe => ({
      method: subject.method,
      url,
      headers: subject.headers,
      body: subject.body,
      provider: options.provider,
      secret: options.secret,
      messageId: messageIdOf(subject.headers, options.provider),
      staleMs: 0,
      tamper: null,
      headerSets: [],
      headerDrops: [],
      ...overrides,
    });
    const base = recipe();
    const send = (request: OutboundRequest) =>
      deliver(request, { timeoutMs: options.timeoutMs, dispatcher: options.dispatcher, maxResponseBytes: 64 * 1024, now });
    const result = (test: CheckTestId, outcome: CheckResult["outcome"], statuses: Array<number | null>, durationMs: number, reason: string | null) =>
      report({ subject: subject.name, test, title: CHECK_TITLES[test], outcome, statuses, durationMs, reason });
    const answered: DeliveryResult[] = [];

    // 1. A valid delivery, with the probe read before and after.
    const probeBefore = options.probeUrl ? await readProbe(options.probeUrl, options) : null;
    const valid = await send(buildRequest(base, now()));
    answered.push(valid);
    result(
      "valid",
      is2xx(valid.status) ? "pass" : "fail",
      [valid.status],
      valid.durationMs,
      is2xx(valid.status)
        ? null
        : (unreachable(valid, url) ??
            (valid.status !== null && valid.status >= 500
              ? `answered ${valid.status} to a valid delivery — the handler failed on a genuine event`
              : `rejected a valid, freshly signed delivery with ${valid.status} — is it using this secret, and verifying the raw body bytes rather than re-serialised JSON?`)),
    );
    const probeAfterFirst = options.probeUrl ? await readProbe(options.probeUrl, options) : null;

    // 2. The same event again: byte-identical, same message id, as a sender that never saw the answer would send it.
    const again = await send(buildRequest(base, now()));
    answered.push(again);
    result(
      "duplicate-sequential",
      is2xx(again.status) ? "pass" : "fail",
      [again.status],
      again.durationMs,
      is2xx(again.status)
        ? null
        : (unreachable(again, url) ??
            `answered ${again.status} to a second copy of an event it had just ${is2xx(valid.status) ? "accepted" : "received"} — senders deliver events more than once; answer 2xx and skip the work`),
    );

    // 3. Five copies at once: a handler that checks "seen?" then writes, without a lock or a unique key, races here.
    const copy = buildRequest(base, now());
    const burstStart = performance.now();
    const burst = await Promise.all(Array.from({ length: DUPLICATES_AT_ONCE }, () => send(copy)));
    answered.push(...burst);
    const burstStatuses = burst.map((r) => r.status);
    const burstOk = burst.every((r) => is2xx(r.status));
    result(
      "duplicate-concurrent",
      burstOk ? "pass" : "fail",
      burstStatuses,
      performance.now() - burstStart,
      burstOk
        ? null
        : burst.some((r) => r.status !== null && r.status >= 500)
          ? `answered ${burst.map(answer).join(", ")} to ${DUPLICATES_AT_ONCE} simultaneous copies of one event — is the deduplication racy (check-then-insert without a lock or unique key)?`
          : `answered ${burst.map(answer).join(", ")} to ${DUPLICATES_AT_ONCE} simultaneous copies of one event — every copy should get a 2xx`,
    );
    if (options.probeUrl) {
      const probeAfter = await readProbe(options.probeUrl, options);
      const failures: string[] = [];
      if ("error" in probeAfterFirst! || "error" in probeAfter || "error" in probeBefore!) {
        const broken = [probeBefore, probeAfterFirst, probeAfter].find((p) => p !== null && "error" in p) as { error: string };
        failures.push(`the probe ${options.probeUrl} could not be read: ${broken.error}`);
      } else if (!isDeepStrictEqual(probeAfterFirst!.value, probeAfter.value)) {
        failures.push(
          `the probe changed after the duplicates (${preview(probeAfterFirst!.value)} → ${preview(probeAfter.value)}) — duplicates were processed again; deduplicate by the event id`,
        );
      }
      result("duplicate-state", failures.length === 0 ? "pass" : "fail", [], 0, failures[0] ?? null);
    }

    // 4. Forgeries: each must be rejected with a 4xx. Each is checked against hooktape's own verifier first: a
    // forgery that the scheme itself cannot detect (a token scheme signs no body) is skipped, not failed.
    const toleranceSec = options.provider.toleranceSec;
    const forgeries: Array<{ test: CheckTestId; recipe: RequestRecipe | null; skip?: string }> = [
      { test: "tampered-signature", recipe: recipe({ tamper: "signature" as Tamper }) },
      { test: "tampered-body", recipe: recipe({ tamper: "body" as Tamper }) },
      toleranceSec === null
        ? { test: "stale-timestamp", recipe: null, skip: `${providerName} signs no timestamp, so a stale request cannot be told apart` }
        : { test: "stale-timestamp", recipe: recipe({ staleMs: (toleranceSec + 300) * 1000 }) },
      { test: "missing-signature", recipe: recipe({ headerDrops: signatureHeaderNames(options.provider) }) },
      { test: "wrong-secret", recipe: recipe({ secret: wrongSecretLike(options.secret, options.provider) }) },
    ];
    for (const forgery of forgeries) {
      if (forgery.recipe === null) {
        result(forgery.test, "skip", [], 0, forgery.skip ?? null);
        continue;
      }
      const request = buildRequest(forgery.recipe, now());
      const undetectable = detectableByScheme(options.provider, options.secret, request, now());
      if (undetectable !== null) {
        result(forgery.test, "skip", [], 0, undetectable);
        continue;
      }
      const response = await send(request);
      const rejected = is4xx(response.status);
      const staleMinutes = toleranceSec === null ? 0 : Math.round((toleranceSec + 300) / 60);
      result(
        forgery.test,
        rejected ? "pass" : "fail",
        [response.status],
        response.durationMs,
        rejected
          ? null
          : (unreachable(response, url) ??
              (response.status !== null && response.status >= 500
                ? `answered ${response.status} to a forged request — reject it with 400 or 401 instead of failing`
                : `${(FORGERY_ADVICE[forgery.test] ?? "accepted a forged request").replace("signed long ago", `signed ${staleMinutes} minutes ago`)} (answered ${answer(response)})`)),
      );
    }

    // 5. The deadline, over every genuine delivery above.
    const slowest = answered.reduce((max, r) => Math.max(max, r.durationMs), 0);
    const tooSlow = answered.filter((r) => r.status !== null && r.durationMs > options.deadlineMs).length;
    result(
      "deadline",
      tooSlow === 0 && answered.every((r) => r.status !== null) ? "pass" : "fail",
      [],
      slowest,
      tooSlow === 0 && answered.every((r) => r.status !== null)
        ? null
        : `took up to ${Math.round(slowest)} ms to answer; ${providerName} gives up after ${options.deadlineMs} ms and counts the delivery as failed — answer 2xx first, then do slow work in the background`,
    );

    // 6. A retry: the sender gives up on attempt 1 (its answer is never read), then retries the same event —
    // re-signed with the time of the retry, with the provider's retry headers. A new event, so that this
    // tests the retry path and not the duplicates above.
    const retryRecipe = freshEvent(base);
    const firstAttempt = await sendAndAbandon(buildRequest(retryRecipe, now()), options);
    const retryRequest = buildRequest(retryRecipe, now(), options.provider.retry.retryHeaders?.(2, "timeout") ?? []);
    const retry = await send(retryRequest);
    result(
      "retry",
      is2xx(retry.status) ? "pass" : "fail",
      [firstAttempt.status, retry.status],
      retry.durationMs,
      is2xx(retry.status)
        ? null
        : (unreachable(retry, url) ??
            `answered ${retry.status} to the retry of an event whose first attempt the sender gave up on — the sender never saw the first answer, so the retry must be accepted (2xx)`),
    );
  }
  return {
    provider: options.provider.id,
    target: options.target.href,
    passed: results.every((r) => r.outcome !== "fail"),
    durationMs: performance.now() - started,
    results,
  };
}

/** The headers that carry a provider's signature: the first of its headers and any other with "signature" in its name. */
function signatureHeaderNames(provider: Provider): string[] {
  return provider.headers.filter((name, i) => i === 0 || name.includes("signature") || name.includes("token"));
}

/**
 * Null when hooktape's own verifier rejects the forged request (so the handler should too); otherwise why the
 * test is skipped. Asymmetric schemes are not self-checked: the secret is the private key, the verifier wants
 * the public one.
 */
function detectableByScheme(provider: Provider, secret: string, request: OutboundRequest, nowMs: number): string | null {
  if (provider.kind === "ed25519" || provider.kind === "ecdsa") return null;
  try {
    const verdict = provider.verify({ method: request.method, url: request.url, headers: request.headers, body: request.body }, [secret], {
      now: Math.floor(nowMs / 1000),
      url: request.url,
    });
    return verdict.valid ? `${provider.name}'s scheme cannot detect this change (it does not sign that part of the request)` : null;
  } catch {
    return null;
  }
}

/** The same request as another event: a fresh message id, and a fresh top-level `id` in a JSON body. */
function freshEvent(base: RequestRecipe): RequestRecipe {
  let body = base.body;
  try {
    const parsed = JSON.parse(body.toString("utf8")) as unknown;
    if (parsed !== null && typeof parsed === "object" && typeof (parsed as { id?: unknown }).id === "string") {
      body = setJsonPath(body, "id", JSON.stringify(`${(parsed as { id: string }).id}_retry`));
    }
  } catch {
    // Not JSON: the message id alone makes it a new event.
  }
  return { ...base, body, messageId: newMessageId() };
}

/**
 * Attempt 1 of the retry test: sent in full, but the sender stops waiting as if it had timed out — the handler
 * may well have processed it, which is exactly the case a retry must survive. Its answer is read only to
 * report it, never to decide anything.
 */
async function sendAndAbandon(request: OutboundRequest, options: CheckOptions): Promise<DeliveryResult> {
  return deliver(request, { timeoutMs: options.timeoutMs, dispatcher: options.dispatcher, maxResponseBytes: 0 });
}

type ProbeReading = { value: unknown } | { error: string };

async function readProbe(url: string, options: CheckOptions): Promise<ProbeReading> {
  const response = await deliver({ method: "GET", url, headers: [["Accept", "application/json"]], body: Buffer.alloc(0) }, {
    timeoutMs: options.timeoutMs,
    dispatcher: options.dispatcher,
  });
  if (response.status === null) return { error: response.errorMessage ?? "no answer" };
  if (!is2xx(response.status)) return { error: `it answered ${response.status}` };
  try {
    return { value: JSON.parse(response.responseBody.toString("utf8")) as unknown };
  } catch {
    return { error: "it did not answer JSON" };
  }
}

function preview(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? text.slice(0, 77) + "..." : text;
}
