import { COMPACT_JSON } from "./json-shape.js";
import { defineHmacScheme, pairedSignature } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";
import { isoTime } from "./sample.js";

// https://developer.pagerduty.com/docs/webhooks-overview#verifying-signatures — `X-PagerDuty-Signature:
// v1=<hex HMAC-SHA256 of the body>`, comma-separated when several secrets are active.
export const pagerduty = defineHmacScheme({
  id: "pagerduty",
  // https://developer.pagerduty.com/docs/webhooks-overview#webhook-payload — V3, incident.triggered
  sample: (ids, nowMs) => ({
    value: {
      event: {
        id: ids.token(13).toUpperCase(),
        event_type: "incident.triggered",
        resource_type: "incident",
        occurred_at: isoTime(nowMs),
        agent: null,
        client: null,
        data: {
          id: ids.token(7).toUpperCase(),
          type: "incident",
          self: "https://api.pagerduty.com/incidents/HOOKTAPE",
          html_url: "https://acme.pagerduty.com/incidents/HOOKTAPE",
          number: 2,
          status: "triggered",
          title: "Serveur indisponible — API / checkout",
          urgency: "high",
        },
      },
    },
  }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "PagerDuty (v3 webhooks)",
  docs: "https://developer.pagerduty.com/docs/webhooks-overview#verifying-signatures",
  headers: ["x-pagerduty-signature"],
  // https://developer.pagerduty.com/docs/webhooks-overview — V3: `event.event_type` (`incident.triggered`).
  eventType: eventTypeFrom(json("event.event_type")),
  signatureHeader: "X-PagerDuty-Signature",
  algorithm: "sha256",
  encoding: "hex",
  ...pairedSignature({ separator: ",", signatureKey: "v1" }),
  signs: ["body"],
  retry: {
    // https://developer.pagerduty.com/docs/webhooks-overview#delivery-retries — failed deliveries are retried
    // with backoff; the exact waits are ours.
    delaysSec: backoff(10, 3, 3600, 8),
    docs: "https://developer.pagerduty.com/docs/webhooks-overview#delivery-retries",
  },
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ json: "event.id", example: "01BZ4V9C4RNG8WR7IHO3VCJ5E7" }], attempts: "same-bytes" },
  // https://github.com/PagerDuty/developer-docs/blob/main/docs/webhooks/02-Behavior.md — the provider waits 5 s for
  // the answer, then counts the attempt as failed.
  deadlineMs: 5_000,
  deadlinePublished: true,
});
