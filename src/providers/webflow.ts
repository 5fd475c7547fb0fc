import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developers.webflow.com/data/docs/working-with-webhooks/authenticating-webhooks — `x-webflow-signature:
// <hex HMAC-SHA256 over "<x-webflow-timestamp>:<body>">` keyed with the OAuth app's client secret (or the
// webhook's secret); the timestamp is unix milliseconds, and a request older than 5 minutes is refused.
export const webflow = defineHmacScheme({
  id: "webflow",
  name: "Webflow",
  docs: "https://developers.webflow.com/data/docs/working-with-webhooks/authenticating-webhooks",
  headers: ["x-webflow-signature", "x-webflow-timestamp"],
  // https://developers.webflow.com/data/docs/working-with-webhooks — `triggerType` (`form_submission`).
  eventType: eventTypeFrom(json("triggerType")),
  signatureHeader: "x-webflow-signature",
  algorithm: "sha256",
  encoding: "hex",
  timestamp: { in: "header", header: "x-webflow-timestamp", unit: "ms" },
  toleranceSec: 300,
  signs: ["timestamp", { text: ":" }, "body"],
  retry: {
    // https://developers.webflow.com/data/docs/working-with-webhooks — failed deliveries are retried a few times; the
    // count and waits are ours.
    delaysSec: [600, 600, 600],
    docs: "https://developers.webflow.com/data/docs/working-with-webhooks",
  },
  // Each attempt is signed with its own x-webflow-timestamp.
  dedup: { keys: [{ json: "payload.id", example: "6321ca84df3949bfc6752327" }], attempts: "resigned" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
