import { COMPACT_JSON } from "./json-shape.js";
import { defineHmacScheme, pairedSignature } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";
import { isoTime } from "./sample.js";

// https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures — `Calendly-Webhook-Signature:
// t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the signing key; 3 minutes' tolerance is recommended.
export const calendly = defineHmacScheme({
  id: "calendly",
  // https://developer.calendly.com/api-docs/webhook-payloads — invitee.created
  sample: (ids, nowMs) => ({
    value: {
      created_at: isoTime(nowMs),
      created_by: `https://api.calendly.com/users/${ids.token(8).toUpperCase()}`,
      event: "invitee.created",
      payload: {
        email: "zoe@example.com",
        name: "Zoë Müller",
        status: "active",
        timezone: "Europe/Berlin",
        uri: `https://api.calendly.com/scheduled_events/${ids.token(8).toUpperCase()}/invitees/${ids.token(8).toUpperCase()}`,
        created_at: isoTime(nowMs),
        updated_at: isoTime(nowMs),
      },
    },
  }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "Calendly",
  docs: "https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures",
  headers: ["calendly-webhook-signature"],
  // https://developer.calendly.com/api-docs/webhook-payloads — `event` (`invitee.created`).
  eventType: eventTypeFrom(json("event")),
  signatureHeader: "Calendly-Webhook-Signature",
  algorithm: "sha256",
  encoding: "hex",
  ...pairedSignature({ separator: ",", timestampKey: "t", signatureKey: "v1" }),
  toleranceSec: 180,
  signs: ["timestamp", { text: "." }, "body"],
  retry: {
    // https://developer.calendly.com/api-docs/ZG9jOjM2MzE2MDM4-webhook-subscriptions — failed deliveries are
    // retried with exponential backoff for 24 hours; the waits are ours (doubling from 1 min, capped at 4 h).
    delaysSec: backoff(60, 2, 14_400, 12),
    docs: "https://developer.calendly.com/api-docs/ZG9jOjM2MzE2MDM4-webhook-subscriptions",
  },
  // Calendly's events carry no id: handlers key on the invitee's URI; each attempt has its own t=.
  dedup: {
    keys: [{ json: "payload.uri", example: "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AEEF5L5ICBB4MGN2" }],
    attempts: "resigned",
  },
  // https://developer.calendly.com/api-docs/overview/webhooks/webhook-timeouts — the provider waits 15 s for the
  // answer, then counts the attempt as failed.
  deadlineMs: 15_000,
  deadlinePublished: true,
});
