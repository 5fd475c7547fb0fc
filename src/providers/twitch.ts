import { keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, header } from "./event-type.js";
import { isoTime } from "./sample.js";

// https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message —
// `Twitch-Eventsub-Message-Signature: sha256=<hex HMAC-SHA256 of message id + timestamp + body>`, the
// timestamp an RFC 3339 string; messages older than 10 minutes should be rejected.
export const twitch = defineHmacScheme({
  id: "twitch",
  // https://dev.twitch.tv/docs/eventsub/eventsub-subscription-types/#channelfollow
  sample: (ids, nowMs) => ({
    value: {
      subscription: {
        id: ids.uuid(),
        type: "channel.follow",
        version: "2",
        status: "enabled",
        cost: 0,
        condition: { broadcaster_user_id: String(ids.number(7)), moderator_user_id: String(ids.number(7)) },
        transport: { method: "webhook", callback: "https://example.com/webhooks/twitch" },
        created_at: isoTime(nowMs),
      },
      event: {
        user_id: String(ids.number(7)),
        user_login: "zoe_m",
        user_name: "Zoë_M",
        broadcaster_user_id: String(ids.number(7)),
        broadcaster_user_login: "hooktape",
        broadcaster_user_name: "hooktape",
        followed_at: isoTime(nowMs),
      },
    },
    headers: [["Twitch-Eventsub-Message-Type", "notification"], ["Twitch-Eventsub-Subscription-Type", "channel.follow"], ["Twitch-Eventsub-Subscription-Version", "2"]],
  }),
  // Twitch is a Go service: encoding/json escapes <, > and &.
  jsonShape: { indent: 0, escapeHtml: true },
  name: "Twitch EventSub",
  docs: "https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message",
  headers: ["twitch-eventsub-message-signature", "twitch-eventsub-message-id", "twitch-eventsub-message-timestamp"],
  // https://dev.twitch.tv/docs/eventsub/handling-webhook-events/ — Twitch-Eventsub-Subscription-Type (`channel.follow`).
  eventType: eventTypeFrom(header("twitch-eventsub-subscription-type")),
  signatureHeader: "Twitch-Eventsub-Message-Signature",
  algorithm: "sha256",
  encoding: "hex",
  prefix: "sha256=",
  idHeader: "Twitch-Eventsub-Message-Id",
  timestamp: { in: "header", header: "Twitch-Eventsub-Message-Timestamp", unit: "iso" },
  toleranceSec: 600,
  signs: ["id", "timestamp", "body"],
  extraHeaders: (input) => [
    keepOrDefault(input.headers, "Twitch-Eventsub-Message-Type", "notification"),
    keepOrDefault(input.headers, "Twitch-Eventsub-Message-Retry", "0"),
    keepOrDefault(input.headers, "Twitch-Eventsub-Subscription-Type", "channel.follow"),
    keepOrDefault(input.headers, "Twitch-Eventsub-Subscription-Version", "2"),
  ],
  retry: {
    // https://dev.twitch.tv/docs/eventsub/handling-webhook-events/ — failed notifications are retried with
    // backoff and the subscription is revoked if failures continue; the waits are ours.
    delaysSec: backoff(10, 3, 3600, 6),
    docs: "https://dev.twitch.tv/docs/eventsub/handling-webhook-events/",
  },
  // A resent message keeps its Twitch-Eventsub-Message-Id and carries the time it was sent.
  dedup: {
    keys: [{ header: "Twitch-Eventsub-Message-Id", example: "befa7b53-d79d-478f-86b9-120f112b044e" }],
    attempts: "resigned",
    docs: "https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#processing-an-event",
  },
  // Not published (https://dev.twitch.tv/docs/eventsub/handling-webhook-events gives no figure); assumed 3 s: Twitch
  // gives no number ('a few seconds'); 3 s is the conservative reading. Third-party reports say up to ~10 s, so 3 s
  // keeps handlers safe.
  deadlineMs: 3_000,
});
