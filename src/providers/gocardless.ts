import { findHeader } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { both, eventTypeFrom, json } from "./event-type.js";

// https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks — `Webhook-Signature: <hex
// HMAC-SHA256 of the body>` keyed with the endpoint secret (gocardless-nodejs `src/webhooks.ts` `verifySignature`).
// The header's name is Standard Webhooks' too: told apart by having no `webhook-id` and a bare hex value.
const HEX64_RE = /^[0-9a-f]{64}$/i;
export const gocardless = defineHmacScheme({
  id: "gocardless",
  name: "GoCardless",
  docs: "https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks",
  headers: ["webhook-signature", "origin"],
  // https://developer.gocardless.com/getting-started/api/staying-up-to-date-with-webhooks — a batch of events, each with `resource_type` and `action`: `payments.confirmed`.
  eventType: eventTypeFrom(both(json("events[0].resource_type"), json("events[0].action"))),
  detect: (headers) => HEX64_RE.test(findHeader(headers, "webhook-signature") ?? "") && findHeader(headers, "webhook-id") === undefined,
  signatureHeader: "Webhook-Signature",
  algorithm: "sha256",
  encoding: "hex",
  signs: ["body"],
  extraHeaders: () => [["Origin", "https://api.gocardless.com"]],
  retry: {
    // Same page: a delivery that fails is retried with backoff; the waits are ours.
    delaysSec: backoff(60, 2, 14_400, 8),
    docs: "https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks",
  },
  // A webhook batches events, each named by its id. A retry repeats the first attempt's bytes: the signature covers
  // the body and no time.
  dedup: {
    keys: [{ json: "events[*].id", example: "EV0012ABCD3456" }],
    attempts: "same-bytes",
    docs: "https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks",
  },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
