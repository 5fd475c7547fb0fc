import type { Provider } from "../providers/types.js";
import { buildRequest, type RequestRecipe } from "../replay/build-request.js";

/** The headers that carry a provider's signature: the first of its headers and any other with "signature" or "token" in its name. */
export function signatureHeaderNames(provider: Provider): string[] {
  return provider.headers.filter((name, i) => i === 0 || name.includes("signature") || name.includes("token"));
}

export type BodyForgeryKind = "tampered-signature" | "tampered-body" | "missing-signature";

/**
 * A forgery made inside the signed body, for schemes that carry their signature there (Adyen): the request is signed
 * now, then the signature in the body is changed or removed, or a value it covers is changed — a tamper of a field
 * it does not cover would be accepted by a correct handler, and that would be a false fail. Null when the provider
 * or this body carries no signature in the body (the header forgeries apply). The recipe is not signed again.
 */
export function bodyForgery(provider: Provider, recipe: RequestRecipe, kind: BodyForgeryKind, nowMs: number): RequestRecipe | null {
  const forgeries = provider.bodySignature;
  if (forgeries === undefined) return null;
  const signed = buildRequest({ ...recipe, tamper: null }, nowMs);
  const body =
    kind === "tampered-signature" ? forgeries.tamper(signed.body) : kind === "missing-signature" ? forgeries.drop(signed.body) : forgeries.tamperSigned(signed.body);
  if (body === null) return null;
  return { ...recipe, url: signed.url, headers: signed.headers, body, secret: null, tamper: null, headerSets: [], headerDrops: [] };
}

/**
 * Why a forgery cannot be held against the handler, or null when it can: hooktape's own verifier must reject the
 * forged request first (a token scheme signs no body, so a tampered body is not a forgery there). Asymmetric
 * schemes are not self-checked: the secret is the private key, the verifier wants the public one.
 */
export function forgeryUndetectedBy(provider: Provider, secret: string, recipe: RequestRecipe, nowMs: number): string | null {
  if (provider.kind === "ed25519" || provider.kind === "ecdsa") return null;
  const request = buildRequest(recipe, nowMs);
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
