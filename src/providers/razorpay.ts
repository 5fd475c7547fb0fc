import { COMPACT_JSON } from "./json-shape.js";
import { keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://razorpay.com/docs/webhooks/validate-test/ — `X-Razorpay-Signature`: hex HMAC-SHA256 of the body
// with the webhook secret (razorpay-node `validateWebhookSignature`).
export const razorpay = defineHmacScheme({
  id: "razorpay",
  // https://razorpay.com/docs/webhooks/payloads/payments/#payment-captured
  sample: (ids, nowMs) => ({
    value: {
      entity: "event",
      account_id: `acc_${ids.token(7)}`,
      event: "payment.captured",
      contains: ["payment"],
      payload: {
        payment: {
          entity: {
            id: `pay_${ids.token(7)}`,
            entity: "payment",
            amount: 50000,
            currency: "INR",
            status: "captured",
            method: "upi",
            description: "Chai ☕ order — Zoë / #7",
            email: "zoe@example.com",
            created_at: Math.floor(nowMs / 1000),
          },
        },
      },
      created_at: Math.floor(nowMs / 1000),
    },
  }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "Razorpay",
  docs: "https://razorpay.com/docs/webhooks/validate-test/",
  headers: ["x-razorpay-signature", "x-razorpay-event-id"],
  // https://razorpay.com/docs/webhooks/payloads/ — `event` (`payment.captured`).
  eventType: eventTypeFrom(json("event")),
  signatureHeader: "X-Razorpay-Signature",
  algorithm: "sha256",
  encoding: "hex",
  signs: ["body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "X-Razorpay-Event-Id", input.id)],
  retry: {
    // https://razorpay.com/docs/webhooks/ — failed deliveries are retried with exponential backoff for 24 hours;
    // the waits are ours (doubling from 1 min, capped at 4 h).
    delaysSec: backoff(60, 2, 14_400, 12),
    docs: "https://razorpay.com/docs/webhooks/",
  },
  // X-Razorpay-Event-Id names the event on every attempt. A retry repeats the first attempt's bytes: the signature
  // covers the body and no time.
  dedup: {
    keys: [{ header: "X-Razorpay-Event-Id", example: "KHxxHhW3ZADUI6" }],
    attempts: "same-bytes",
    docs: "https://razorpay.com/docs/webhooks/validate-test/",
  },
  // https://razorpay.com/docs/webhooks/ — the provider waits 5 s for the answer, then counts the attempt as failed.
  deadlineMs: 5_000,
  deadlinePublished: true,
});
