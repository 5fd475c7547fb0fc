import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";
import { isoSeconds } from "./sample.js";

// https://www.typeform.com/developers/webhooks/secure-your-webhooks/ — `Typeform-Signature:
// sha256=<base64 HMAC-SHA256 of the body>` with the webhook's secret.
export const typeform = defineHmacScheme({
  id: "typeform",
  // https://www.typeform.com/developers/webhooks/example-payload/
  sample: (ids, nowMs) => ({
    value: {
      event_id: ids.token(13).toUpperCase(),
      event_type: "form_response",
      form_response: {
        form_id: ids.token(4),
        token: ids.token(16),
        submitted_at: isoSeconds(nowMs),
        definition: { id: ids.token(4), title: "Café survey — été" },
        answers: [{ type: "text", text: "Très bien / merci", field: { id: ids.token(6), type: "short_text" } }],
      },
    },
  }),
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
