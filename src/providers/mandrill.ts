import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, formJson } from "./event-type.js";

// https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/#authenticating-webhook-requests
// — `X-Mandrill-Signature: <base64 HMAC-SHA1>` keyed with the webhook key, over the webhook URL exactly as
// configured followed by each POST field name and value, sorted by name (like Twilio). The events are posted as the
// form field `mandrill_events`.
export const mandrill = defineHmacScheme({
  id: "mandrill",
  // https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/ — the events posted as one
  // form field, `mandrill_events`, a JSON array.
  sample: (ids, nowMs) => {
    const events = [
      { event: "send", _id: ids.token(16), ts: Math.floor(nowMs / 1000), msg: { email: "zoë@example.com", subject: "Café / order confirmation", state: "sent" } },
    ];
    return { form: `mandrill_events=${encodeURIComponent(JSON.stringify(events))}` };
  },
  name: "Mailchimp Transactional (Mandrill)",
  docs: "https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/#authenticating-webhook-requests",
  headers: ["x-mandrill-signature"],
  // https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/ — a form field `mandrill_events` holds a JSON batch, each with `event` (`send`).
  eventType: eventTypeFrom(formJson("mandrill_events", "[0].event")),
  signatureHeader: "X-Mandrill-Signature",
  algorithm: "sha1",
  encoding: "base64",
  signsUrl: true,
  signs: ["url", "form"],
  retry: {
    // https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/ — failed batches are
    // retried with growing waits for up to a day; the waits are ours.
    delaysSec: backoff(60, 2, 14_400, 10),
    docs: "https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/",
  },
  // mandrill_events is a JSON array of events, each named by _id. A retry repeats the first attempt's bytes: the
  // signature covers the body and no time.
  dedup: { keys: [{ json: "[*]._id", within: { form: "mandrill_events" }, example: "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6" }], attempts: "same-bytes" },
  // Same page: the endpoint has 10 s to answer.
  deadlineMs: 10_000,
  deadlinePublished: true,
});
