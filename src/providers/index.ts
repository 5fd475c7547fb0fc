export * from "./types.js";
export { providers, getProvider, detectProvider, isProviderId } from "./registry.js";
export { createGenericHmacProvider, DEFAULT_HMAC_SETTINGS, type HmacSettings } from "./generic-hmac.js";
export { resolveSecrets, secretEnvName } from "./secrets.js";
export { defineHmacScheme, type HmacSchemeSpec, type HmacAlgorithm, type SignatureEncoding } from "./hmac-scheme.js";
