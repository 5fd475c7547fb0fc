import { defineAsymmetricScheme } from "./asymmetric.js";

// https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
// Ed25519 over `X-Signature-Timestamp + body`, hex in `X-Signature-Ed25519`, checked with the application's
// public key. discord-interactions checks no timestamp age, so neither do we by default.
export const discord = defineAsymmetricScheme({
  id: "discord",
  name: "Discord Interactions",
  docs: "https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers",
  algorithm: "ed25519",
  signatureHeader: "X-Signature-Ed25519",
  timestampHeader: "X-Signature-Timestamp",
  encoding: "hex",
  toleranceSec: null,
  // Interactions are not retried: an unanswered interaction fails for the user
  // (https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction).
  retry: { delaysSec: [], docs: "https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction" },
  // An interaction is named by its id; each request is signed when it is sent (X-Signature-Timestamp).
  dedup: { keys: [{ json: "id", example: "1234567890123456789" }], attempts: "resigned" },
  // https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction — the
  // provider waits 3 s for the answer, then counts the attempt as failed.
  deadlineMs: 3_000,
  deadlinePublished: true,
});
