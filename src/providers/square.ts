import { COMPACT_JSON } from "./json-shape.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { eventTypeFrom, json } from "./event-type.js";
import { isoTime } from "./sample.js";

// https://developer.squareup.com/docs/webhooks/step3validate — `x-square-hmacsha256-signature`: base64
// HMAC-SHA256, keyed with the subscription's signature key, over the notification URL followed by the body.
export const square = defineHmacScheme({
  id: "square",
  // https://developer.squareup.com/reference/square/webhooks/payment.updated
  sample: (ids, nowMs) => ({
    value: {
      merchant_id: "6SSW7HV8K2ST5",
      type: "payment.updated",
      event_id: ids.uuid(),
      created_at: isoTime(nowMs),
      data: {
        type: "payment",
        id: ids.token(11).toUpperCase(),
        object: {
          payment: {
            id: ids.token(11).toUpperCase(),
            amount_money: { amount: 2000, currency: "EUR" },
            status: "COMPLETED",
            note: "Café crème × 2 — Zoë",
            receipt_url: "https://squareup.com/receipt/preview/hooktape",
            created_at: isoTime(nowMs),
            updated_at: isoTime(nowMs),
          },
        },
      },
    },
  }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "Square",
  docs: "https://developer.squareup.com/docs/webhooks/step3validate",
  headers: ["x-square-hmacsha256-signature"],
  // https://developer.squareup.com/docs/webhooks/overview — `type` (`payment.updated`).
  eventType: eventTypeFrom(json("type")),
  signatureHeader: "x-square-hmacsha256-signature",
  algorithm: "sha256",
  encoding: "base64",
  signsUrl: true,
  signs: ["url", "body"],
  retry: {
    // https://developer.squareup.com/docs/webhooks/troubleshooting — "Unsuccessful deliveries are retried
    // for up to 24 hours" with exponential backoff; the waits are ours (doubling from 1 min, capped at 4 h).
    delaysSec: [60, 120, 240, 480, 960, 1920, 3840, 7680, 14_400, 14_400, 14_400, 14_400, 14_400],
    docs: "https://developer.squareup.com/docs/webhooks/troubleshooting",
  },
  // Each event is named by event_id. A retry repeats the first attempt's bytes: the signature covers the body and no
  // time.
  dedup: { keys: [{ json: "event_id", example: "6a8f5f28-54a1-4eb0-a98a-3111513fd4fc" }], attempts: "same-bytes" },
  // https://developer.squareup.com/docs/webhooks/troubleshooting — the provider waits 10 s for the answer, then
  // counts the attempt as failed.
  deadlineMs: 10_000,
  deadlinePublished: true,
});
