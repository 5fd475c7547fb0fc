import { COMPACT_JSON } from "./json-shape.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures —
// `X-Trello-Webhook`: base64 HMAC-SHA1, keyed with the application secret, over the body followed by the
// callback URL given when the webhook was created.
export const trello = defineHmacScheme({
  id: "trello",
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "Trello",
  docs: "https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures",
  headers: ["x-trello-webhook"],
  // https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/ — `action.type` (`updateCard`).
  eventType: eventTypeFrom(json("action.type")),
  signatureHeader: "X-Trello-Webhook",
  algorithm: "sha1",
  encoding: "base64",
  signsUrl: true,
  signs: ["body", "url"],
  retry: {
    // https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-retries — 3 retries,
    // 30, 60 and 120 seconds apart.
    delaysSec: [30, 60, 120],
    docs: "https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-retries",
  },
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ json: "action.id", example: "5e8a4f8f8f8f8f8f8f8f8f8f" }], attempts: "same-bytes" },
  // Not published (https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks gives no figure); assumed
  // 10 s: No published read timeout; 10 s is a conventional default.
  deadlineMs: 10_000,
});
