import type { HeaderPairs } from "../core/types.js";
import { createGenericHmacProvider, type HmacSettings } from "./generic-hmac.js";
import { github } from "./github.js";
import { stripe } from "./stripe.js";
import type { Provider } from "./types.js";

const genericHmac = createGenericHmacProvider();

/**
 * The catalogue, in detection order: specific schemes before the ones whose headers others share
 * (GitHub before Meta, which both send X-Hub-Signature-256), and the generic `hmac` last.
 */
export const providers: readonly Provider[] = [stripe, github, genericHmac];

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
