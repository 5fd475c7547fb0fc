import { keepOrDefault } from "./headers.js";
import { defineHmacScheme, pairedSignature } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";
import { isoTime } from "./sample.js";

// https://developer.paddle.com/webhooks/signature-verification — `Paddle-Signature: ts=<unix s>;h1=<hex
// HMAC-SHA256 of "<ts>:<body>">` (several h1 during a secret rotation); @paddle/paddle-node-sdk allows 5 s.
export const paddle = defineHmacScheme({
  id: "paddle",
  // https://developer.paddle.com/webhooks/transactions/transaction-completed
  sample: (ids, nowMs) => ({
    value: {
      event_id: `evt_${ids.token(13)}`,
      event_type: "transaction.completed",
      occurred_at: isoTime(nowMs),
      notification_id: `ntf_${ids.token(13)}`,
      data: {
        id: `txn_${ids.token(13)}`,
        status: "completed",
        customer_id: `ctm_${ids.token(13)}`,
        currency_code: "EUR",
        origin: "web",
        details: { totals: { subtotal: "2000", tax: "380", total: "2380" } },
        items: [{ price: { id: `pri_${ids.token(13)}`, description: "Abonnement mensuel — Zoë" }, quantity: 1 }],
        checkout: { url: "https://example.com/checkout?_ptxn=hooktape" },
        created_at: isoTime(nowMs),
        updated_at: isoTime(nowMs),
      },
    },
  }),
  // Signed vectors of Paddle's PHP SDK verify only over ASCII-escaped bodies.
  jsonShape: { indent: 0, asciiOnly: true },
  name: "Paddle Billing",
  docs: "https://developer.paddle.com/webhooks/signature-verification",
  headers: ["paddle-signature"],
  // https://developer.paddle.com/webhooks/overview — `event_type` (`transaction.completed`).
  eventType: eventTypeFrom(json("event_type")),
  signatureHeader: "Paddle-Signature",
  algorithm: "sha256",
  encoding: "hex",
  ...pairedSignature({ separator: ";", timestampKey: "ts", signatureKey: "h1" }),
  toleranceSec: 5,
  signs: ["timestamp", { text: ":" }, "body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "User-Agent", "Paddle")],
  retry: {
    // https://developer.paddle.com/webhooks/respond-to-webhooks — live accounts: up to 60 retries over
    // 3 days with exponential backoff. The waits are ours: doubling from 1 min, capped so 60 fit in ~3 days.
    delaysSec: backoff(60, 2, 4_750, 60),
    docs: "https://developer.paddle.com/webhooks/respond-to-webhooks",
  },
  // Each attempt carries its own ts= in Paddle-Signature; event_id stays.
  dedup: {
    keys: [{ json: "event_id", example: "evt_01h8bzakzx3hm2fmen703n5q45" }],
    attempts: "resigned",
    docs: "https://developer.paddle.com/webhooks/respond-to-webhooks",
  },
  // https://developer.paddle.com/webhooks/respond-to-webhooks — the provider waits 5 s for the answer, then counts
  // the attempt as failed.
  deadlineMs: 5_000,
  deadlinePublished: true,
});
