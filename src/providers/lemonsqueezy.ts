import { findHeader, keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { eventTypeFrom, header, json } from "./event-type.js";
import { isoSeconds } from "./sample.js";

// https://docs.lemonsqueezy.com/help/webhooks/signing-requests — `X-Signature`: hex HMAC-SHA256 of the
// body, no prefix, with the webhook's signing secret.
export const lemonsqueezy = defineHmacScheme({
  id: "lemonsqueezy",
  // https://docs.lemonsqueezy.com/help/webhooks/example-payloads#order
  sample: (ids, nowMs) => ({
    value: {
      meta: { event_name: "order_created", custom_data: { customer_id: 25 } },
      data: {
        type: "orders",
        id: String(ids.number(7)),
        attributes: {
          store_id: 1,
          identifier: ids.uuid(),
          user_name: "Zoë Müller",
          user_email: "zoe@example.com",
          currency: "EUR",
          total: 999,
          status: "paid",
          urls: { receipt: "https://app.lemonsqueezy.com/my-orders/hooktape" },
          created_at: isoSeconds(nowMs),
          updated_at: isoSeconds(nowMs),
        },
      },
    },
    headers: [["X-Event-Name", "order_created"]],
  }),
  // Captured deliveries (PHP defaults): `\/` and \uXXXX.
  jsonShape: { indent: 0, escapeSlash: true, asciiOnly: true },
  name: "Lemon Squeezy",
  docs: "https://docs.lemonsqueezy.com/help/webhooks/signing-requests",
  headers: ["x-signature", "x-event-name"],
  // https://docs.lemonsqueezy.com/help/webhooks/webhook-requests — `meta.event_name` and X-Event-Name (`order_created`).
  eventType: eventTypeFrom(json("meta.event_name"), header("x-event-name")),
  // X-Signature alone is also the generic scheme's default header; X-Event-Name is Lemon Squeezy's own.
  detect: (headers) => findHeader(headers, "x-signature") !== undefined && findHeader(headers, "x-event-name") !== undefined,
  signatureHeader: "X-Signature",
  algorithm: "sha256",
  encoding: "hex",
  signs: ["body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "X-Event-Name", "order_created")],
  retry: {
    // https://docs.lemonsqueezy.com/help/webhooks/webhook-requests — retried 3 more times with exponential
    // backoff; the waits are ours (5 s, 25 s, 125 s).
    delaysSec: [5, 25, 125],
    docs: "https://docs.lemonsqueezy.com/help/webhooks/webhook-requests",
  },
  // data.id (with meta.event_name) names the event. A retry repeats the first attempt's bytes: the signature covers
  // the body and no time.
  dedup: { keys: [{ json: "data.id", example: "1234567" }], attempts: "same-bytes" },
  // Not published (https://docs.lemonsqueezy.com/help/webhooks/webhook-requests gives no figure); assumed 10 s: No
  // timeout published; 10 s is the common industry default for PHP/Laravel webhook senders.
  deadlineMs: 10_000,
});
