import { badInput } from "../core/errors.js";
import { parseDuration } from "../core/units.js";
import { isKnownProviderId } from "../providers/provider-modules.js";
import type { Provider, RetryCause } from "../providers/types.js";
import type { HeaderPairs } from "../core/types.js";

/** `--retry <schedule>`: a provider's real schedule, or `exp:<first>,<factor>,<attempts>`. */
export type RetrySpec =
  | { kind: "provider"; providerId: string }
  | { kind: "exp"; firstMs: number; factor: number; attempts: number };

/** What a delivery does after a failed attempt: the waits before each retry, and the headers a retry carries. */
export interface RetryPlan {
  /** Waits before attempt 2, 3, ... in ms, before `--speed` divides them. Empty: no retries. */
  delaysMs: number[];
  /** The documentation the schedule follows (for the summary and --help). */
  source: string;
  retryHeaders?: ((attempt: number, cause: RetryCause) => HeaderPairs) | undefined;
}

const EXAMPLE = "e.g. --retry stripe or --retry exp:1s,2,5 (first wait, factor, attempts in all)";

export function parseRetrySpec(text: string): RetrySpec {
  const value = text.trim().toLowerCase();
  if (value.startsWith("exp:")) {
    const parts = value.slice(4).split(",");
    if (parts.length !== 3) throw badInput(`Invalid --retry "${text}": expected exp:<first>,<factor>,<attempts>; ${EXAMPLE}`);
    const firstMs = parseDuration(parts[0] ?? "", "--retry first wait");
    const factor = Number(parts[1]);
    const attempts = Number(parts[2]);
    if (!Number.isFinite(factor) || factor < 1) throw badInput(`Invalid --retry "${text}": the factor must be a number >= 1; ${EXAMPLE}`);
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100) {
      throw badInput(`Invalid --retry "${text}": attempts (the first one included) must be a whole number from 1 to 100; ${EXAMPLE}`);
    }
    return { kind: "exp", firstMs, factor, attempts };
  }
  if (!isKnownProviderId(value)) throw badInput(`Invalid --retry "${text}": not a provider id nor exp:...; ${EXAMPLE} (see \`hooktape providers\`)`);
  return { kind: "provider", providerId: value };
}

/**
 * The retry plan of a spec. A provider's schedule and retry headers come from its own table (each cites its
 * docs: Stripe's three days of back-off, Svix's 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, Slack's three retries
 * with X-Slack-Retry-Num, GitHub's none). With `exp:`, the event's provider still adds its retry headers.
 * `retryProvider` is the provider `--retry <provider>` names, loaded by the caller (planning loads nothing).
 */
export function retryPlanOf(spec: RetrySpec, eventProvider: Provider | null, retryProvider?: Provider): RetryPlan {
  if (spec.kind === "provider") {
    const provider = retryProvider;
    if (provider?.id !== spec.providerId) throw badInput(`Unknown --retry provider "${spec.providerId}"`);
    return {
      delaysMs: provider.retry.delaysSec.map((sec) => sec * 1000),
      source: provider.retry.docs,
      retryHeaders: provider.retry.retryHeaders,
    };
  }
  const delaysMs: number[] = [];
  for (let k = 0; k < spec.attempts - 1; k++) delaysMs.push(Math.round(spec.firstMs * spec.factor ** k));
  return { delaysMs, source: `exp:${spec.firstMs}ms,${spec.factor},${spec.attempts}`, retryHeaders: eventProvider?.retry.retryHeaders };
}
