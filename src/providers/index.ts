export * from "./types.js";
export { providers, getProvider, detectProvider, isProviderId, TOKEN_HEADERS } from "./registry.js";
export { createGenericHmacProvider, DEFAULT_HMAC_SETTINGS, type HmacSettings } from "./generic-hmac.js";
export { secretExample, secretFormOf, type SecretForm } from "./secrets.js";
export { staleSignature, type SignatureAge } from "./signature-age.js";
export { generateKeyPair, parsePrivateKey, parsePublicKey, type KeyAlgorithm } from "./keys.js";
export {
  defineHmacScheme,
  parsePairs,
  type HmacSchemeSpec,
  type HmacAlgorithm,
  type SignatureEncoding,
  type SignedMessage,
  type SignedPart,
  type TimestampUnit,
} from "./schemes/hmac-scheme.js";
