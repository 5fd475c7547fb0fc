import { PRETTY_JSON } from "./json-shape.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { both, eventTypeFrom, json } from "./event-type.js";

// https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/#signature —
// `x-xero-signature`: base64 HMAC-SHA256 of the body with the webhook key.
export const xero = defineHmacScheme({
  id: "xero",
  // Xero's bodies are hand-built, each event pretty-printed with two spaces.
  jsonShape: PRETTY_JSON,
  name: "Xero",
  docs: "https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/#signature",
  headers: ["x-xero-signature"],
  // https://developer.xero.com/documentation/guides/webhooks/overview/ — `eventCategory` and `eventType`: `INVOICE.UPDATE`.
  eventType: eventTypeFrom(both(json("events[0].eventCategory"), json("events[0].eventType"))),
  signatureHeader: "x-xero-signature",
  algorithm: "sha256",
  encoding: "base64",
  signs: ["body"],
  retry: {
    // https://developer.xero.com/documentation/guides/webhooks/overview/ — failed deliveries are retried with
    // a growing wait for up to 24 hours; the waits are ours.
    delaysSec: backoff(60, 2, 14_400, 12),
    docs: "https://developer.xero.com/documentation/guides/webhooks/overview/",
  },
  // Xero's events carry no id: handlers key on the resource and the event's time. A retry repeats the first attempt's
  // bytes: the signature covers the body and no time.
  dedup: {
    keys: [
      { json: "events[*].resourceId", example: "6a8f5f28-54a1-4eb0-a98a-3111513fd4fc" },
      { json: "events[*].eventDateUtc", example: "2026-01-01T00:00:00.000" },
    ],
    attempts: "same-bytes",
  },
  // https://developer.xero.com/documentation/webhooks/configuring-your-server — the provider waits 5 s for the
  // answer, then counts the attempt as failed.
  deadlineMs: 5_000,
  deadlinePublished: true,
});
