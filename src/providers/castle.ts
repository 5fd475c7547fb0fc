import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://docs.castle.io/docs/webhooks — `X-Castle-Signature: <base64 HMAC-SHA256 of the raw body>` keyed with the
// API secret. Confirmed in Castle's official SDKs: castle-rb `Castle::Webhooks::Verify` computes
// `Base64.encode64(OpenSSL::HMAC.digest(sha256, api_secret, body)).strip`, castle-python `WebhooksVerify` the same;
// no published vector.
export const castle = defineHmacScheme({
  id: "castle",
  name: "Castle",
  docs: "https://docs.castle.io/docs/webhooks",
  headers: ["x-castle-signature"],
  // https://docs.castle.io/docs/webhooks — `type` (`$incident.confirmed`).
  eventType: eventTypeFrom(json("type")),
  signatureHeader: "X-Castle-Signature",
  algorithm: "sha256",
  encoding: "base64",
  signs: ["body"],
  // Not documented as retried: treated as a single attempt.
  retry: noRetries("https://docs.castle.io/docs/webhooks"),
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ json: "data.id", example: "5c2b1a0f9e8d7c6b5a4f3e2d" }], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
