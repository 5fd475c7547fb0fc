import { COMPACT_JSON } from "./json-shape.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developers.line.biz/en/reference/messaging-api/#signature-validation — `x-line-signature`:
// base64 HMAC-SHA256 of the body with the channel secret.
export const line = defineHmacScheme({
  id: "line",
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "LINE Messaging API",
  docs: "https://developers.line.biz/en/reference/messaging-api/#signature-validation",
  headers: ["x-line-signature"],
  // https://developers.line.biz/en/reference/messaging-api/#webhook-event-objects — `events[].type` (`message`, `follow`).
  eventType: eventTypeFrom(json("events[0].type")),
  signatureHeader: "x-line-signature",
  algorithm: "sha256",
  encoding: "base64",
  signs: ["body"],
  // https://developers.line.biz/en/docs/messaging-api/receiving-messages/#webhook-redelivery — redelivery is
  // off by default, and its schedule is not published when it is turned on.
  retry: noRetries("https://developers.line.biz/en/docs/messaging-api/receiving-messages/#webhook-redelivery"),
  // Each event is named by webhookEventId; a redelivery sets deliveryContext.isRedelivery, so its bytes and signature
  // differ.
  dedup: {
    keys: [{ json: "events[*].webhookEventId", example: "01FZ74A0TDDPYRVKNK77XKC3ZR" }],
    attempts: "resigned",
    docs: "https://developers.line.biz/en/reference/messaging-api/#webhook-event-objects",
  },
  // https://developers.line.biz/en/docs/messaging-api/check-webhook-error-statistics/ — the provider waits 2 s for
  // the answer, then counts the attempt as failed.
  deadlineMs: 2_000,
  deadlinePublished: true,
});
