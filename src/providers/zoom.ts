import { COMPACT_JSON } from "./json-shape.js";
import { defineHmacScheme, v0Signature } from "./schemes/hmac-scheme.js";
import { eventTypeFrom, json } from "./event-type.js";
import { isoSeconds } from "./sample.js";

// https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events — `x-zm-signature: v0=<hex
// HMAC-SHA256 of "v0:<x-zm-request-timestamp>:<body>">` with the app's secret token. Zoom publishes no
// timestamp tolerance, so none is enforced.
export const zoom = defineHmacScheme({
  id: "zoom",
  // https://developers.zoom.us/docs/api/meetings/events/#tag/meeting/POSTmeeting.started
  sample: (ids, nowMs) => ({
    value: {
      event: "meeting.started",
      event_ts: nowMs,
      payload: {
        account_id: ids.token(11),
        object: {
          id: String(ids.number(11)),
          uuid: `${ids.token(11)}==`,
          host_id: ids.token(11),
          topic: "Réunion hebdo — équipe / hooktape",
          type: 2,
          start_time: isoSeconds(nowMs),
          timezone: "Europe/Paris",
          duration: 60,
        },
      },
    },
  }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "Zoom",
  docs: "https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events",
  headers: ["x-zm-signature", "x-zm-request-timestamp"],
  // https://developers.zoom.us/docs/api/webhooks/ — `event` (`meeting.started`).
  eventType: eventTypeFrom(json("event")),
  signatureHeader: "x-zm-signature",
  algorithm: "sha256",
  ...v0Signature("x-zm-request-timestamp"),
  retry: {
    // https://developers.zoom.us/docs/api/webhooks/#notification-delivery — 3 retries: after 5, 30 and 90 minutes.
    delaysSec: [300, 1800, 5400],
    docs: "https://developers.zoom.us/docs/api/webhooks/#notification-delivery",
  },
  // Zoom's events carry no id: handlers key on event_ts (ms); each request has its own x-zm-request-timestamp.
  dedup: { keys: [{ json: "event_ts", example: 1626230691572 }], attempts: "resigned" },
  // https://developers.zoom.us/blog/webhook-delays — the provider waits 3 s for the answer, then counts the attempt
  // as failed.
  deadlineMs: 3_000,
  deadlinePublished: true,
});
