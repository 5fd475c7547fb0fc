import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://www.typeform.com/developers/webhooks/secure-your-webhooks/ — `Typeform-Signature:
// sha256=<base64 HMAC-SHA256 of the body>` with the webhook's secret.
export const typeform = defineHmacScheme({
  id: "typeform",
  name: "Typeform",
  docs: "https://www.typeform.com/developers/webhooks/secure-your-webhooks/",
  headers: ["typeform-signature"],
  // https://www.typeform.com/developers/webhooks/example-payload/ — `event_type` (`form_response`).
  eventType: eventTypeFrom(json("event_type")),
  signatureHeader: "Typeform-Signature",
  algorithm: "sha256",
  encoding: "base64",
  prefix: "sha256=",
  signs: ["body"],
  retry: {
    // https://www.typeform.com/developers/webhooks/ — failed deliveries are retried with growing waits for
    // about 10 hours; the waits are ours (doubling from 2 min, capped at 2 h).
    delaysSec: backoff(120, 2, 7200, 9),
    docs: "https://www.typeform.com/developers/webhooks/",
  },
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ json: "event_id", example: "LtWXD3crgy" }], attempts: "same-bytes" },
  // https://www.typeform.com/developers/webhooks/ — the provider waits 30 s for the answer, then counts the attempt
  // as failed.
  deadlineMs: 30_000,
  deadlinePublished: true,
});
