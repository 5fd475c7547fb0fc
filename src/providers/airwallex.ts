import { findHeader } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://www.airwallex.com/docs/developer-tools/webhooks/listen-for-webhook-events — `x-signature: <hex HMAC-SHA256
// over x-timestamp followed by the body>` keyed with the webhook's secret. Confirmed in Airwallex's own code
// example for that page (`valueToDigest = x-timestamp + payload; HmacUtils(HMAC_SHA_256, secret).hmacHex(...)`); the
// unit of x-timestamp (milliseconds) is from third-party guides (Hookdeck), not that page. Told apart from other
// X-Signature senders by the x-timestamp beside it. No maximum age is published: none by default.
export const airwallex = defineHmacScheme({
  id: "airwallex",
  name: "Airwallex",
  docs: "https://www.airwallex.com/docs/developer-tools/webhooks/listen-for-webhook-events",
  headers: ["x-signature", "x-timestamp"],
  // https://www.airwallex.com/docs/developer-tools__listen-for-webhook-events — `name` (`payment_intent.succeeded`).
  eventType: eventTypeFrom(json("name")),
  detect: (headers) => findHeader(headers, "x-signature") !== undefined && findHeader(headers, "x-timestamp") !== undefined,
  signatureHeader: "x-signature",
  algorithm: "sha256",
  encoding: "hex",
  timestamp: { in: "header", header: "x-timestamp", unit: "ms" },
  toleranceSec: null,
  signs: ["timestamp", "body"],
  retry: {
    // Same page: failed deliveries are retried with backoff over up to 3 days; the waits are ours.
    delaysSec: backoff(60, 2, 21_600, 12),
    docs: "https://www.airwallex.com/docs/developer-tools/webhooks/listen-for-webhook-events",
  },
  // The event id stays; each attempt is signed with its own x-timestamp.
  dedup: { keys: [{ json: "id", example: "evt_hkdmr6rwkg3ck4o4nfa_5tvuid" }], attempts: "resigned" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
