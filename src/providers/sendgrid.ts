import { defineAsymmetricScheme } from "./schemes/asymmetric.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
// ECDSA P-256 with SHA-256 over `timestamp + body`; the signature is base64 of the DER (r, s); the
// Verification Key is a base64 DER SPKI public key. @sendgrid/eventwebhook checks no timestamp age.
export const sendgrid = defineAsymmetricScheme({
  id: "sendgrid",
  // https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event — an array of events.
  sample: (ids, nowMs) => ({
    // Keys sorted, as SendGrid's signed vector has them.
    value: [
      {
        email: "zoë@example.com",
        event: "delivered",
        sg_event_id: ids.token(),
        sg_message_id: `${ids.token()}.filter0001`,
        timestamp: Math.floor(nowMs / 1000),
        url: "https://example.com/a/b",
      },
    ],
  }),
  // SendGrid's signed vector: compact, keys sorted, and a trailing CRLF that is part of what is signed.
  jsonShape: { indent: 0, trailer: "\r\n" },
  name: "SendGrid Event Webhook",
  docs: "https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features",
  algorithm: "p256",
  signatureHeader: "X-Twilio-Email-Event-Webhook-Signature",
  timestampHeader: "X-Twilio-Email-Event-Webhook-Timestamp",
  // https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event — a batch of events, each with `event`; the first names the delivery.
  eventType: eventTypeFrom(json("[0].event")),
  encoding: "base64",
  toleranceSec: null,
  retry: {
    // "If your endpoint returns anything other than a 2xx, SendGrid retries POSTing the events for up to
    // 24 hours" at increasing intervals; the exact waits are not published (this is our doubling approximation).
    delaysSec: [60, 120, 300, 600, 1800, 3600, 7200, 14_400, 28_800, 28_800],
    docs: "https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event#event-webhook-retry-logic",
  },
  // A batch of events, each named by sg_event_id; each POST is signed with its own timestamp.
  dedup: {
    keys: [{ json: "[*].sg_event_id", example: "sZROwMGMagFgnOEmSdvhig" }],
    attempts: "resigned",
    docs: "https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event",
  },
  // Not published (https://docs.sendgrid.com/for-developers/tracking-events/troubleshooting gives no figure);
  // assumed 10 s: No number published by SendGrid (third-party blogs claim 30 s without source); 10 s is a
  // conservative middle value for a batch POST that may carry many events.
  deadlineMs: 10_000,
});
