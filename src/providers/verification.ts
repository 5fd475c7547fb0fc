import type { Verification } from "../core/types.js";
import { detectProvider, getProvider } from "./registry.js";
import type { HmacSettings } from "./generic-hmac.js";
import type { Provider, VerifyRequest, VerifyResult } from "./types.js";

/** How a command verifies: the provider forced by `--provider`, else detected; the secrets to verify with, by provider. */
export interface VerificationSettings {
  providerId?: string | undefined;
  /** The secrets that verify a request of this provider; asked on every request (a run learns secrets as it goes). */
  secretsOf(providerId: string): readonly string[];
  hmac?: Partial<HmacSettings> | undefined;
  toleranceSec?: number | undefined;
}

export interface VerificationOutcome {
  provider: Provider | null;
  verification: Verification;
}

/**
 * Verifies a request at a given time (a captured event is checked at the time it was received) and folds the
 * provider's result into the four states `events list` shows. For one request; `createVerifier` for many.
 */
export function verifyWith(
  settings: VerificationSettings,
  request: VerifyRequest,
  at: { nowSec: number; url?: string | undefined },
): VerificationOutcome {
  return createVerifier(settings)(request, at);
}

/**
 * A verifier for many requests (a running capture): the provider forced by `--provider` is built once, else each
 * request's is detected from its headers.
 */
export function createVerifier(
  settings: VerificationSettings,
): (request: VerifyRequest, at: { nowSec: number; url?: string | undefined }) => VerificationOutcome {
  const forced = settings.providerId ? (getProvider(settings.providerId, { hmac: settings.hmac }) ?? null) : undefined;
  return (request, at) => {
    const provider = forced === undefined ? (detectProvider(request.headers) ?? null) : forced;
    if (!provider) return { provider: null, verification: { status: "unverified", reason: "unknown_provider" } };
    const secrets = settings.secretsOf(provider.id);
    if (secrets.length === 0) {
      // The certificate schemes say which certificate or key id the delivery names (and that --fetch-certs gets it).
      if (provider.kind === "certificate") return { provider, verification: toVerification(provider.verify(request, [], { now: at.nowSec })) };
      return { provider, verification: { status: "unverified", reason: "no_secret" } };
    }
    const result = provider.verify(request, secrets, { now: at.nowSec, toleranceSec: settings.toleranceSec, url: at.url });
    return { provider, verification: toVerification(result) };
  };
}

/**
 * Headers whose value is the secret itself (a token scheme such as GitLab's X-Gitlab-Token): they are forwarded
 * to the handler but never written to the database, because secrets never reach it.
 */
export function secretHeadersOf(provider: Provider | null): string[] {
  return provider?.kind === "token" && provider.headers[0] !== undefined ? [provider.headers[0]] : [];
}

export function toVerification(result: VerifyResult): Verification {
  if (result.valid) return { status: "valid", reason: null };
  if (result.reason === "missing_header") return { status: "missing", reason: result.reason, hint: result.hint ?? null };
  if (result.reason === "no_secret" || result.reason === "unknown_provider") {
    return { status: "unverified", reason: result.reason, hint: result.hint ?? null };
  }
  return { status: "invalid", reason: result.reason, hint: result.hint ?? null };
}
