import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developer.zendesk.com/documentation/webhooks/verifying/ — `X-Zendesk-Webhook-Signature`: base64
// HMAC-SHA256 of `X-Zendesk-Webhook-Signature-Timestamp` (ISO 8601) followed by the body. Zendesk publishes
// no timestamp tolerance, so none is enforced.
export const zendesk = defineHmacScheme({
  id: "zendesk",
  name: "Zendesk",
  docs: "https://developer.zendesk.com/documentation/webhooks/verifying/",
  headers: ["x-zendesk-webhook-signature", "x-zendesk-webhook-signature-timestamp"],
  // https://developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/ — `type` (`zen:event-type:ticket.created`).
  eventType: eventTypeFrom(json("type")),
  signatureHeader: "X-Zendesk-Webhook-Signature",
  algorithm: "sha256",
  encoding: "base64",
  timestamp: { in: "header", header: "X-Zendesk-Webhook-Signature-Timestamp", unit: "iso" },
  signs: ["timestamp", "body"],
  retry: {
    // https://developer.zendesk.com/documentation/webhooks/troubleshooting/ — up to 3 retries, for 409 and
    // some 5xx/timeouts; the waits are not published (ours: 5 s, 30 s, 60 s).
    delaysSec: [5, 30, 60],
    docs: "https://developer.zendesk.com/documentation/webhooks/troubleshooting/",
  },
  // The event id stays; each attempt is signed with its own timestamp.
  dedup: { keys: [{ json: "id", example: "cbe4028c-7239-495d-b020-f22348516046" }], attempts: "resigned" },
  // Not published (https://developer.zendesk.com/api-reference/webhooks/introduction gives no figure); assumed 10 s:
  // Third-party sources consistently cite a 10 s limit; official text not located in the corpus.
  deadlineMs: 10_000,
});
