import type { HeaderPairs } from "../core/types.js";
import { createGenericHmacProvider, type HmacSettings } from "./generic-hmac.js";
import { allProviders } from "./all-providers.js";
import type { Provider } from "./types.js";

/** The whole catalogue, loaded, in detection order (provider-modules.ts lists it; all-providers.ts is generated from it). */
export const providers: readonly Provider[] = allProviders;

const byId = new Map(providers.map((p) => [p.id, p]));

/** The provider with this id; for `hmac`, the generic scheme built from the given settings. */
export function getProvider(id: string, options?: { hmac?: Partial<HmacSettings> }): Provider | undefined {
  if (id === "hmac" && options?.hmac !== undefined) return createGenericHmacProvider(options.hmac);
  return byId.get(id);
}

/** The first provider whose headers these look like; aliases (Clerk, Resend) never win over Svix. */
export function detectProvider(headers: HeaderPairs): Provider | undefined {
  return providers.find((p) => p.detect(headers));
}

/** True when `id` names a provider of the catalogue. */
export function isProviderId(id: string): boolean {
  return byId.has(id);
}

/**
 * The headers whose value IS a shared secret (a token scheme's token, GitLab's X-Gitlab-Token), lower-case. They are
 * redacted before anything is stored, whatever provider a request was detected as, and on every path (a 413 too):
 * a request misdetected or rejected still carries the secret.
 */
export const TOKEN_HEADERS: readonly string[] = providers.flatMap((p) =>
  p.kind === "token" && p.headers[0] !== undefined ? [p.headers[0].toLowerCase()] : [],
);
