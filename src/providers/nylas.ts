import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developer.nylas.com/docs/v3/notifications/webhooks/#verify-webhook-signatures — `X-Nylas-Signature: <hex
// HMAC-SHA256 of the body>` keyed with the webhook secret. (`listen` answers the `GET ?challenge=` echo itself: src/capture/handshakes.ts.)
export const nylas = defineHmacScheme({
  id: "nylas",
  name: "Nylas (v3)",
  docs: "https://developer.nylas.com/docs/v3/notifications/webhooks/",
  headers: ["x-nylas-signature"],
  // https://developer.nylas.com/docs/v3/notifications/webhooks/ — `type` (`message.created`).
  eventType: eventTypeFrom(json("type")),
  signatureHeader: "X-Nylas-Signature",
  algorithm: "sha256",
  encoding: "hex",
  signs: ["body"],
  retry: {
    // Same page: failed notifications are retried with backoff; the waits are ours.
    delaysSec: backoff(20, 2, 3600, 6),
    docs: "https://developer.nylas.com/docs/v3/notifications/webhooks/",
  },
  // The notification id stays; a retry carries a higher webhook_delivery_attempt, so its bytes and signature differ.
  dedup: { keys: [{ json: "id", example: "4b6e0a1e-5c2f-4d8b-9e3a-1f7c5d9b2e6a" }], attempts: "resigned" },
  // Not published as a figure here; assumed 10 s.
  deadlineMs: 10_000,
});
