import type { Provider, VerifyRequest } from "./types.js";

/** How old a request's signature is, against the provider's tolerance. */
export interface SignatureAge {
  /** Seconds between the signed timestamp and `nowSec`. */
  ageSec: number;
  toleranceSec: number;
}

/**
 * The age of a request's signed timestamp when it is older than the provider's tolerance — the handler will
 * (rightly) refuse it, and a fresh signature (`--resign`) is the fix. Null when fresh, or when the scheme signs no
 * timestamp.
 */
export function staleSignature(provider: Provider | null | undefined, request: VerifyRequest, nowSec: number): SignatureAge | null {
  if (!provider || provider.toleranceSec === null || !provider.timestampOf) return null;
  const signedAt = provider.timestampOf(request);
  if (signedAt === null) return null;
  const ageSec = nowSec - signedAt;
  return ageSec > provider.toleranceSec ? { ageSec, toleranceSec: provider.toleranceSec } : null;
}
