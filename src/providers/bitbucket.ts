import { COMPACT_JSON } from "./json-shape.js";
import { findHeader, keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { eventTypeFrom, header } from "./event-type.js";

// https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/#Secure-webhooks — Bitbucket Cloud
// sends `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>` with the webhook secret.
export const bitbucket = defineHmacScheme({
  id: "bitbucket",
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "Bitbucket Cloud",
  docs: "https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/#Secure-webhooks",
  headers: ["x-hub-signature", "x-event-key", "x-hook-uuid"],
  // https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/ — X-Event-Key (`repo:push`, `pullrequest:created`).
  eventType: eventTypeFrom(header("x-event-key")),
  // X-Hub-Signature is shared with GitHub and Intercom; X-Event-Key is Bitbucket's own.
  detect: (headers) => findHeader(headers, "x-event-key") !== undefined && findHeader(headers, "x-hub-signature") !== undefined,
  signatureHeader: "X-Hub-Signature",
  algorithm: "sha256",
  encoding: "hex",
  prefix: "sha256=",
  signs: ["body"],
  extraHeaders: (input) => [
    keepOrDefault(input.headers, "X-Event-Key", "repo:push"),
    keepOrDefault(input.headers, "X-Request-UUID", input.id),
    keepOrDefault(input.headers, "User-Agent", "Bitbucket-Webhooks/2.0"),
  ],
  retry: {
    // https://support.atlassian.com/bitbucket-cloud/docs/troubleshoot-webhooks/ — a delivery that fails with
    // a 5xx or a connection problem is retried up to 2 more times (our reading; not re-checked); the waits are
    // not published (ours: 10 s, 60 s).
    delaysSec: [10, 60],
    docs: "https://support.atlassian.com/bitbucket-cloud/docs/troubleshoot-webhooks/",
  },
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ header: "X-Request-UUID", example: "0d6b4f8e-2c1a-4e3b-8f7d-9a5c3e1b7d2f" }], attempts: "same-bytes" },
  // https://support.atlassian.com/bitbucket-cloud/docs/troubleshoot-webhooks/ — the provider waits 10 s for the
  // answer, then counts the attempt as failed.
  deadlineMs: 10_000,
  deadlinePublished: true,
});
