import { defineHmacScheme, v0Signature } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developer.frame.io/docs/automations-webhooks/webhooks-overview#security-and-verification — `X-Frameio-
// Signature: v0=<hex HMAC-SHA256 over "v0:<X-Frameio-Request-Timestamp>:<body>">`; the docs ask to refuse a
// request older than 5 minutes.
export const frameio = defineHmacScheme({
  id: "frameio",
  name: "Frame.io",
  docs: "https://developer.frame.io/docs/automations-webhooks/webhooks-overview",
  headers: ["x-frameio-signature", "x-frameio-request-timestamp"],
  // https://developer.frame.io/docs/automations-webhooks/webhooks-overview — `type` (`asset.created`).
  eventType: eventTypeFrom(json("type")),
  signatureHeader: "X-Frameio-Signature",
  algorithm: "sha256",
  ...v0Signature("X-Frameio-Request-Timestamp"),
  toleranceSec: 300,
  // Not documented as retried: treated as a single attempt.
  retry: noRetries("https://developer.frame.io/docs/automations-webhooks/webhooks-overview"),
  // resource.id (with the event type) names the event; each attempt has its own X-Frameio-Request-Timestamp.
  dedup: { keys: [{ json: "resource.id", example: "8c1e3b5d-7f9a-4b2c-8d4e-6f0a2c4e6b8d" }], attempts: "resigned" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
