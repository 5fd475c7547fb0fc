import { findHeader, keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, header, joined, json } from "./event-type.js";

// https://github.com/Modern-Treasury/modern-treasury-node/blob/main/src/resources/webhooks.ts — `X-Signature: <hex
// HMAC-SHA256 of the body>` keyed with the webhook key. X-Signature is a common name (Lemon Squeezy, the generic
// scheme): detected only with Modern Treasury's `X-Topic` beside it.
export const modernTreasury = defineHmacScheme({
  id: "modern-treasury",
  name: "Modern Treasury",
  docs: "https://docs.moderntreasury.com/platform/reference/verify-webhook-signature",
  headers: ["x-signature", "x-topic", "x-webhook-id"],
  // https://docs.moderntreasury.com/platform/reference/webhooks — X-Topic names the resource, `event` what happened: `payment_order.completed`.
  eventType: eventTypeFrom(joined(header("x-topic"), json("event"))),
  detect: (headers) => findHeader(headers, "x-signature") !== undefined && findHeader(headers, "x-topic") !== undefined,
  signatureHeader: "X-Signature",
  algorithm: "sha256",
  encoding: "hex",
  signs: ["body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "X-Topic", "payment_order"), keepOrDefault(input.headers, "X-Webhook-ID", input.id)],
  retry: {
    // https://docs.moderntreasury.com/platform/docs/webhooks — failed deliveries are retried with backoff; the waits
    // are ours.
    delaysSec: backoff(60, 2, 14_400, 10),
    docs: "https://docs.moderntreasury.com/platform/docs/webhooks",
  },
  // data.id names the object an event is about. A retry repeats the first attempt's bytes: the signature covers the
  // body and no time.
  dedup: { keys: [{ json: "data.id", example: "fd4f1e6c-8a3b-4c2d-9e5f-6a7b8c9d0e1f" }], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
