import { defineBasicAuthScheme } from "./schemes/basic-auth.js";
import { both, eventTypeFrom, json } from "./event-type.js";

// https://pipedrive.readme.io/docs/guide-for-webhooks-v2 — a webhook may carry HTTP Basic credentials (http_auth_user
// and http_auth_password on the webhook).
export const pipedrive = defineBasicAuthScheme({
  id: "pipedrive",
  name: "Pipedrive",
  docs: "https://pipedrive.readme.io/docs/guide-for-webhooks-v2",
  // https://pipedrive.readme.io/docs/guide-for-webhooks-v2 — v1 `event` (`updated.deal`); v2 `meta.entity` and `meta.action` (`deal.change`).
  eventType: eventTypeFrom(json("event"), both(json("meta.entity"), json("meta.action"))),
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
