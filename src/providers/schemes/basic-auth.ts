import { keepOrDefault } from "../headers.js";
import { backoff } from "../retry.js";
import { defineTokenScheme } from "./token-scheme.js";
import { both, eventTypeFrom, json } from "../event-type.js";

// Senders that authenticate with a shared secret and sign nothing: HTTP Basic credentials configured on the
// webhook (the secret is `user:password`), or Okta's Authorization value. None of them covers the body, so a changed
// body still verifies (that is what these senders offer; `check` skips its body forgeries for them). `Authorization:
// Basic` is every Basic-auth sender's header: these are never auto-detected (name them with --provider).

// https://www.chargebee.com/docs/2.0/webhook_settings.html#basic-authentication — the webhook URL is protected with
// the username and password configured in the webhook settings.
export const chargebee = defineTokenScheme({
  id: "chargebee",
  name: "Chargebee",
  docs: "https://www.chargebee.com/docs/2.0/webhook_settings.html",
  tokenHeader: "Authorization",
  form: "basic",
  headers: ["authorization"],
  // https://apidocs.chargebee.com/docs/api/events — `event_type` (`subscription_created`).
  eventType: eventTypeFrom(json("event_type")),
  detect: () => false,
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

// https://postmarkapp.com/developer/webhooks/webhooks-overview#protecting-your-webhook — credentials put in the
// webhook URL (https://user:password@host/...), which Postmark sends as Basic auth.
export const postmark = defineTokenScheme({
  id: "postmark",
  name: "Postmark",
  docs: "https://postmarkapp.com/developer/webhooks/webhooks-overview",
  tokenHeader: "Authorization",
  form: "basic",
  headers: ["authorization"],
  // https://postmarkapp.com/developer/webhooks/webhooks-overview — `RecordType` (`Delivery`, `Bounce`).
  eventType: eventTypeFrom(json("RecordType")),
  detect: () => false,
  retry: {
    // Same page ("Webhook retries"): 1 min, 5 min, 10 min, 10 min, 10 min, 15 min, 30 min, 1 h, 2 h, 6 h.
    delaysSec: [60, 300, 600, 600, 600, 900, 1800, 3600, 7200, 21_600],
    docs: "https://postmarkapp.com/developer/webhooks/webhooks-overview",
  },
  // A delivery, bounce, open or click is about one message: MessageID (with RecordType) names the event. Basic
  // credentials sign nothing, so a retry repeats the bytes.
  dedup: { keys: [{ json: "MessageID", example: "883953f4-6105-42a2-a16a-77a8eac79483" }], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});

// https://pipedrive.readme.io/docs/guide-for-webhooks-v2 — a webhook may carry HTTP Basic credentials (http_auth_user
// and http_auth_password on the webhook).
export const pipedrive = defineTokenScheme({
  id: "pipedrive",
  name: "Pipedrive",
  docs: "https://pipedrive.readme.io/docs/guide-for-webhooks-v2",
  tokenHeader: "Authorization",
  form: "basic",
  headers: ["authorization"],
  // https://pipedrive.readme.io/docs/guide-for-webhooks-v2 — v1 `event` (`updated.deal`); v2 `meta.entity` and `meta.action` (`deal.change`).
  eventType: eventTypeFrom(json("event"), both(json("meta.entity"), json("meta.action"))),
  detect: () => false,
  retry: {
    // Same page: failed deliveries are retried; the count and the waits are ours.
    delaysSec: [3, 30, 150],
    docs: "https://pipedrive.readme.io/docs/guide-for-webhooks-v2",
  },
  // meta.id names the event; Basic credentials sign nothing.
  dedup: { keys: [{ json: "meta.id", example: "51f43b10-5e4f-4b1b-9f8a-3c2d1e0f9a8b" }], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});

// https://developer.okta.com/docs/concepts/event-hooks/ — event hooks send the configured secret as it is in the
// Authorization header (or another header the admin names). Okta's one-time GET verification
// (X-Okta-Verification-Challenge) is answered by `listen` itself (src/capture/handshakes.ts).
export const okta = defineTokenScheme({
  id: "okta",
  name: "Okta (event hooks)",
  docs: "https://developer.okta.com/docs/concepts/event-hooks/",
  tokenHeader: "Authorization",
  headers: ["authorization"],
  // https://developer.okta.com/docs/concepts/event-hooks/ — `data.events[].eventType` (`user.session.start`).
  eventType: eventTypeFrom(json("data.events[0].eventType")),
  detect: () => false,
  extraHeaders: (input) => [keepOrDefault(input.headers, "User-Agent", "Okta Event Hooks")],
  retry: {
    // Same page: a delivery that times out or fails is retried once.
    delaysSec: [0],
    docs: "https://developer.okta.com/docs/concepts/event-hooks/",
  },
  // eventId names the hook's delivery and each of data.events its event (uuid); the token signs nothing.
  dedup: {
    keys: [
      { json: "eventId", example: "b5a188b9-5ece-4636-b041-482ffda96311" },
      { json: "data.events[*].uuid", example: "4c8e2f3a-1b5d-4e7f-9a0b-2c4d6e8f0a1b" },
    ],
    attempts: "same-bytes",
  },
  // Same page ("Timeout and retry"): Okta waits 3 s for the response, then retries once.
  deadlineMs: 3_000,
  deadlinePublished: true,
});
