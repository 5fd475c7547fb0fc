import { defineHmacScheme, v0Signature } from "./schemes/hmac-scheme.js";
import type { RetryCause } from "./types.js";
import { eventTypeFrom, form, formJson, json } from "./event-type.js";

// https://api.slack.com/authentication/verifying-requests-from-slack — `X-Slack-Signature: v0=<hex
// HMAC-SHA256 of "v0:<X-Slack-Request-Timestamp>:<body>">` with the signing secret; @slack/bolt's
// verifySlackRequest rejects timestamps older than 5 minutes.
const SLACK_REASON: Record<RetryCause, string> = {
  http_error: "http_error",
  timeout: "http_timeout",
  connection_failed: "connection_failed",
};

export const slack = defineHmacScheme({
  id: "slack",
  // https://api.slack.com/apis/events-api#callback-field
  sample: (ids, nowMs) => ({
    value: {
      token: "hooktape",
      team_id: "T0HOOKTAPE",
      api_app_id: "A0HOOKTAPE",
      event: { type: "app_mention", user: "U0HOOKTAPE", text: "héllo from hooktape — see https://example.com/a/b", ts: `${Math.floor(nowMs / 1000)}.000100` },
      type: "event_callback",
      event_id: `Ev${ids.token(6).toUpperCase()}`,
      event_time: Math.floor(nowMs / 1000),
    },
  }),
  // Captured interactive and event payloads: compact with `\/` in URLs.
  jsonShape: { indent: 0, escapeSlash: true },
  name: "Slack",
  docs: "https://api.slack.com/authentication/verifying-requests-from-slack",
  headers: ["x-slack-signature", "x-slack-request-timestamp"],
  // https://api.slack.com/apis/events-api#callback-field — `event.type` inside an event_callback, else `type` (url_verification); interactive payloads post JSON in a `payload` field; slash commands their `command`.
  eventType: eventTypeFrom(json("event.type"), json("type"), formJson("payload", "type"), form("command")),
  signatureHeader: "X-Slack-Signature",
  algorithm: "sha256",
  ...v0Signature("X-Slack-Request-Timestamp"),
  toleranceSec: 300,
  retry: {
    // https://api.slack.com/apis/events-api#retries — up to 3 retries: nearly immediately, after 1 minute,
    // after 5 minutes, each with X-Slack-Retry-Num and X-Slack-Retry-Reason.
    delaysSec: [1, 60, 300],
    docs: "https://api.slack.com/apis/events-api#retries",
    retryHeaders: (attempt, cause) => [
      ["X-Slack-Retry-Num", String(attempt - 1)],
      ["X-Slack-Retry-Reason", SLACK_REASON[cause]],
    ],
  },
  // Retries carry the same event_id and a new X-Slack-Request-Timestamp (with X-Slack-Retry-Num).
  dedup: { keys: [{ json: "event_id", example: "Ev0PV52K25" }], attempts: "resigned", docs: "https://api.slack.com/apis/events-api#retries" },
  // https://docs.slack.dev/apis/events-api/ — the provider waits 3 s for the answer, then counts the attempt as
  // failed.
  deadlineMs: 3_000,
  deadlinePublished: true,
});
