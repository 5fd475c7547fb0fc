import { COMPACT_JSON } from "./json-shape.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { both, eventTypeFrom, json } from "./event-type.js";

// https://developers.asana.com/docs/webhooks-guide#security — `X-Hook-Signature`: hex HMAC-SHA256 of the
// body, keyed with the X-Hook-Secret Asana sent during the handshake.
export const asana = defineHmacScheme({
  id: "asana",
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "Asana",
  docs: "https://developers.asana.com/docs/webhooks-guide#security",
  headers: ["x-hook-signature"],
  // https://developers.asana.com/docs/webhooks-guide — each event's resource type and `action`: `task.changed`.
  eventType: eventTypeFrom(both(json("events[0].resource.resource_type"), json("events[0].action"))),
  signatureHeader: "X-Hook-Signature",
  algorithm: "sha256",
  encoding: "hex",
  signs: ["body"],
  retry: {
    // https://developers.asana.com/docs/webhooks-guide#error-handling-and-retry — retried with exponential
    // backoff for up to 24 hours, then the webhook is deleted; the waits are ours.
    delaysSec: backoff(60, 2, 14_400, 12),
    docs: "https://developers.asana.com/docs/webhooks-guide#error-handling-and-retry",
  },
  // Asana's events carry no id: handlers key on the resource and the time. A retry repeats the first attempt's bytes:
  // the signature covers the body and no time.
  dedup: {
    keys: [{ json: "events[*].resource.gid", example: "1201234567890123" }, { json: "events[*].created_at", example: "2026-01-01T00:00:00.000Z" }],
    attempts: "same-bytes",
  },
  // https://developers.asana.com/docs/webhooks-guide — the provider waits 10 s for the answer, then counts the
  // attempt as failed.
  deadlineMs: 10_000,
  deadlinePublished: true,
});
