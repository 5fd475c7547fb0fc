import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://www.aftership.com/docs/tracking/webhook/webhook-signature — `aftership-hmac-sha256: <base64 HMAC-SHA256
// of the body>` keyed with the webhook secret.
export const aftership = defineHmacScheme({
  id: "aftership",
  name: "AfterShip",
  docs: "https://www.aftership.com/docs/tracking/webhook/webhook-signature",
  headers: ["aftership-hmac-sha256"],
  // https://www.aftership.com/docs/tracking/webhook/webhook-overview — `event` (`tracking_update`).
  eventType: eventTypeFrom(json("event")),
  signatureHeader: "aftership-hmac-sha256",
  algorithm: "sha256",
  encoding: "base64",
  signs: ["body"],
  retry: {
    // https://www.aftership.com/docs/tracking/webhook/overview — failed deliveries are retried (up to 14 times);
    // the waits are ours.
    delaysSec: backoff(120, 2, 28_800, 14),
    docs: "https://www.aftership.com/docs/tracking/webhook/overview",
  },
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ json: "event_id", example: "5cf5c4f6-2c8a-4e2f-9f5d-2b9a1c7e3d4f" }], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
