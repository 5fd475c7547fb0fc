import { createStandardWebhooksProvider } from "./schemes/standard-webhooks.js";
import { eventTypeFrom, json } from "./event-type.js";
import { backoff } from "./retry.js";

// https://developer.brex.com/docs/webhooks/ — webhook-* headers; the key is the base64-decoded secret that Brex's
// API returns (GET /v1/webhooks/secrets, no `whsec_` prefix, which the key parsing makes optional). Partly confirmed:
// trigger.dev's Brex example verifies exactly so (Webhook-Id, -Timestamp, -Signature `v1,<base64>`); Brex's
// own page was not readable here and Brex publishes no verifier or vector.
export const brex = createStandardWebhooksProvider({
  id: "brex",
  name: "Brex",
  docs: "https://developer.brex.com/docs/webhooks/",
  headerPrefix: "webhook",
  // https://developer.brex.com/docs/webhooks/ — `event_type` (`EXPENSE_PAYMENT_UPDATED`).
  eventType: eventTypeFrom(json("event_type")),
  aliasOf: "standard-webhooks",
  retry: {
    // Same page: failed deliveries are retried with backoff; the waits are ours.
    delaysSec: backoff(60, 2, 14_400, 8),
    docs: "https://developer.brex.com/docs/webhooks/",
  },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
