import { COMPACT_JSON } from "./json-shape.js";
import { findHeader, keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developers.intercom.com/docs/webhooks/setting-up-webhooks#signed-notifications —
// `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the body>` with the app's client secret.
export const intercom = defineHmacScheme({
  id: "intercom",
  // https://developers.intercom.com/docs/references/webhooks/webhook-models
  sample: (ids, nowMs) => ({
    value: {
      type: "notification_event",
      app_id: ids.token(4),
      data: { type: "notification_event_data", item: { type: "conversation", id: String(ids.number(11)), title: "Question à propos de la facture / #7" } },
      links: {},
      id: `notif_${ids.uuid()}`,
      topic: "conversation.user.created",
      delivery_status: "pending",
      delivery_attempts: 1,
      created_at: Math.floor(nowMs / 1000),
      first_sent_at: Math.floor(nowMs / 1000),
    },
  }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "Intercom",
  docs: "https://developers.intercom.com/docs/webhooks/setting-up-webhooks#signed-notifications",
  headers: ["x-hub-signature", "user-agent"],
  // https://developers.intercom.com/docs/references/webhooks/webhook-models — `topic` (`conversation.user.created`).
  eventType: eventTypeFrom(json("topic")),
  // GitHub and Bitbucket use the same header; Intercom deliveries are told apart by their user agent.
  detect: (headers) =>
    findHeader(headers, "x-hub-signature") !== undefined && /intercom/i.test(findHeader(headers, "user-agent") ?? ""),
  signatureHeader: "X-Hub-Signature",
  algorithm: "sha1",
  encoding: "hex",
  prefix: "sha1=",
  signs: ["body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "User-Agent", "Intercom-Webhook-Client/1.0")],
  retry: {
    // https://developers.intercom.com/docs/webhooks/webhook-notifications — one retry after a minute when
    // the first attempt fails or times out (our reading; not re-checked against the current page).
    delaysSec: [60],
    docs: "https://developers.intercom.com/docs/webhooks/webhook-notifications",
  },
  // A notification is named by its id. A retry repeats the first attempt's bytes: the signature covers the body and
  // no time.
  dedup: { keys: [{ json: "id", example: "notif_ccd8a4d0-f965-11e3-a367-c779cae3e1b3" }], attempts: "same-bytes" },
  // Not published (https://developers.intercom.com/docs/webhooks/webhook-notifications gives no figure); assumed 5
  // s: Third-party catalogues cite 'endpoint must respond within 5 seconds' for Intercom (matching older Intercom
  // docs I could not retrieve); 5 s is the conservative assumption. 500 ms is the published 'fast lane' threshold,
  // not a failure deadline.
  deadlineMs: 5_000,
});
