import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { both, eventTypeFrom, json } from "./event-type.js";

// https://docs.customer.io/api/webhooks/ (Reporting Webhooks, "Securely verify requests") — `X-CIO-Signature: <hex
// HMAC-SHA256 over "v0:<X-CIO-Timestamp>:<body>">` keyed with the webhook signing key, X-CIO-Timestamp in unix
// seconds. Confirmed on that page, which also publishes the 4 s timeout and the 7-day retry window; no
// Node verifier, no vector. No maximum age is published: none by default (--tolerance adds one).
export const customerio = defineHmacScheme({
  id: "customerio",
  name: "Customer.io",
  docs: "https://docs.customer.io/api/webhooks/",
  headers: ["x-cio-signature", "x-cio-timestamp"],
  // https://docs.customer.io/api/webhooks/ — `object_type` and `metric`: `email.sent`.
  eventType: eventTypeFrom(both(json("object_type"), json("metric"))),
  signatureHeader: "X-CIO-Signature",
  algorithm: "sha256",
  encoding: "hex",
  timestamp: { in: "header", header: "X-CIO-Timestamp", unit: "s" },
  toleranceSec: null,
  signs: [{ text: "v0:" }, "timestamp", { text: ":" }, "body"],
  retry: {
    // Same page: "we retry the webhook over a period of seven days with an exponential backoff" (an hour first for
    // a 4xx/5xx answer). The waits are ours: doubling from 1 min, capped at a day, 15 of them (about 6.4 days).
    delaysSec: backoff(60, 2, 86_400, 15),
    docs: "https://docs.customer.io/api/webhooks/",
  },
  // The event id stays; each attempt is signed with its own X-CIO-Timestamp.
  dedup: { keys: [{ json: "event_id", example: "01E4C4CT6YDC7Y5M7FE1GWWPQJ" }], attempts: "resigned" },
  // Same page: "We have a 4 second timeout for calls to your webhook endpoint."
  deadlineMs: 4_000,
  deadlinePublished: true,
});
