import { defineBasicAuthScheme } from "./schemes/basic-auth.js";
import { eventTypeFrom, json } from "./event-type.js";
import { backoff } from "./retry.js";

// https://www.chargebee.com/docs/2.0/webhook_settings.html#basic-authentication — the webhook URL is protected with
// the username and password configured in the webhook settings.
export const chargebee = defineBasicAuthScheme({
  id: "chargebee",
  name: "Chargebee",
  docs: "https://www.chargebee.com/docs/2.0/webhook_settings.html",
  // https://apidocs.chargebee.com/docs/api/events — `event_type` (`subscription_created`).
  eventType: eventTypeFrom(json("event_type")),
  retry: {
    // https://www.chargebee.com/docs/2.0/events_and_webhooks.html — failed webhooks are retried up to 7 times over
    // about 2 days with exponential backoff; the waits are ours.
    delaysSec: backoff(120, 3, 86_400, 7),
    docs: "https://www.chargebee.com/docs/2.0/events_and_webhooks.html",
  },
  // The event id stays the same on every attempt; Basic credentials sign nothing, so a retry repeats the bytes.
  dedup: {
    keys: [{ json: "id", example: "ev_16BHbhF4s42tO2lK" }],
    attempts: "same-bytes",
    docs: "https://www.chargebee.com/docs/2.0/events_and_webhooks.html",
  },
  // Not published as a single figure; assumed 20 s.
  deadlineMs: 20_000,
});
