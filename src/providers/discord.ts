import { COMPACT_JSON } from "./json-shape.js";
import { defineAsymmetricScheme } from "./schemes/asymmetric.js";
import { eventTypeFrom, json, named } from "./event-type.js";

// https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
// Ed25519 over `X-Signature-Timestamp + body`, hex in `X-Signature-Ed25519`, checked with the application's
// public key. discord-interactions checks no timestamp age, so neither do we by default.
const DISCORD_INTERACTIONS = {
  "1": "PING",
  "2": "APPLICATION_COMMAND",
  "3": "MESSAGE_COMPONENT",
  "4": "APPLICATION_COMMAND_AUTOCOMPLETE",
  "5": "MODAL_SUBMIT",
} as const;

export const discord = defineAsymmetricScheme({
  id: "discord",
  // A PING interaction (https://discord.com/developers/docs/interactions/receiving-and-responding).
  sample: (ids) => ({ value: { id: ids.token(), application_id: "000000000000000000", type: 1, version: 1, token: ids.token() } }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "Discord Interactions",
  docs: "https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers",
  algorithm: "ed25519",
  signatureHeader: "X-Signature-Ed25519",
  timestampHeader: "X-Signature-Timestamp",
  // https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-interaction-type —
  // numeric interaction types by name; webhook events carry `event.type` (`APPLICATION_AUTHORIZED`).
  eventType: eventTypeFrom(json("event.type"), named(json("type"), DISCORD_INTERACTIONS)),
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
