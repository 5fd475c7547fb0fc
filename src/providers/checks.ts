import { describeDuration } from "../core/units.js";
import type { VerifyReason, VerifyResult } from "./types.js";

/** A failed verification of `provider`; the hint, when there is one, says what to do about it. */
export function invalid(provider: string, reason: VerifyReason, hint?: string): VerifyResult {
  return hint === undefined ? { valid: false, provider, reason } : { valid: false, provider, reason, hint };
}

/** `invalid` for one provider: its verifier's failures, with its id. */
export function failureFor(provider: string): (reason: VerifyReason, hint?: string) => VerifyResult {
  return (reason, hint) => invalid(provider, reason, hint);
}

/**
 * Whether `timestamp` (unix seconds) is acceptable at `now` within `toleranceSec`. Most senders'
 * SDKs only reject old timestamps (stripe-node, @slack/bolt); Standard Webhooks rejects both
 * directions; Box rejects any future timestamp (`futureToleranceSec` 0). Returns the failure reason or null.
 */
export function checkTimestamp(
  timestamp: number,
  now: number,
  toleranceSec: number | null,
  rejectsFuture: boolean,
  futureToleranceSec: number | null = toleranceSec,
): VerifyReason | null {
  if (toleranceSec === null) return null;
  if (now - timestamp > toleranceSec) return "timestamp_too_old";
  if (rejectsFuture && timestamp - now > (futureToleranceSec ?? toleranceSec)) return "timestamp_too_new";
  return null;
}

/** Throws the TypeError the Provider contract asks for when a caller passes an empty secret. */
export function assertSecrets(secrets: readonly string[]): void {
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.length === 0) {
      throw new TypeError("hooktape: a webhook secret must be a non-empty string");
    }
  }
}

/** The hint for a signature that matches none of the secrets, in the manner of stripe-node `Webhooks.ts`. */
export function mismatchHint(secrets: readonly string[]): string {
  if (secrets.some((s) => s.trim() !== s)) {
    return "the secret has leading/trailing whitespace — copy it again without spaces or newlines";
  }
  return "the body differs from what was signed — was it re-serialised? (verify the raw bytes) — or the secret is not this endpoint's";
}

export function timestampHint(reason: VerifyReason, timestamp: number, now: number): string | undefined {
  const apart = describeDuration((now - timestamp) * 1000);
  if (reason === "timestamp_too_old") return `signed ${apart} ago — a replay, or check the clock (or pass --now / --tolerance)`;
  if (reason === "timestamp_too_new") return `signed ${apart} in the future — check the clock`;
  return undefined;
}

export const DIGITS_RE = /^\d+$/;
export const HEX_RE = /^[0-9a-fA-F]+$/;
