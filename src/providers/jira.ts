import { findHeader, keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks — `X-Hub-Signature:
// sha256=<hex HMAC-SHA256 of the body>` keyed with the webhook secret; told apart from Bitbucket, Intercom and
// the generic scheme by `X-Atlassian-Webhook-Identifier`.
export const jira = defineHmacScheme({
  id: "jira",
  name: "Jira Cloud",
  docs: "https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks",
  headers: ["x-hub-signature", "x-atlassian-webhook-identifier"],
  // https://developer.atlassian.com/server/jira/platform/webhooks/ — `webhookEvent` (`jira:issue_created`).
  eventType: eventTypeFrom(json("webhookEvent")),
  detect: (headers) => findHeader(headers, "x-hub-signature") !== undefined && findHeader(headers, "x-atlassian-webhook-identifier") !== undefined,
  signatureHeader: "X-Hub-Signature",
  algorithm: "sha256",
  encoding: "hex",
  prefix: "sha256=",
  signs: ["body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "X-Atlassian-Webhook-Identifier", input.id)],
  retry: {
    // https://developer.atlassian.com/cloud/jira/platform/webhooks/#retry-policy — up to 5 retries with randomised
    // backoff between 5 and 15 minutes; the waits are ours within that range.
    delaysSec: [600, 600, 600, 600, 600],
    docs: "https://developer.atlassian.com/cloud/jira/platform/webhooks/#retry-policy",
  },
  // X-Atlassian-Webhook-Identifier stays the same across retries. A retry repeats the first attempt's bytes: the
  // signature covers the body and no time.
  dedup: {
    keys: [{ header: "X-Atlassian-Webhook-Identifier", example: "1b5b09b9-ffc6-4c9c-ab4c-dff2f3c7b0a4" }],
    attempts: "same-bytes",
    docs: "https://developer.atlassian.com/cloud/jira/platform/webhooks/",
  },
  // Not published as a figure (same page: "respond quickly"); assumed 10 s.
  deadlineMs: 10_000,
});
