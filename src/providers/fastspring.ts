import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developer.fastspring.com/reference/message-security — `X-FS-Signature: <base64 HMAC-SHA256 of the
// body>` keyed with the webhook's HMAC secret.
export const fastspring = defineHmacScheme({
  id: "fastspring",
  name: "FastSpring",
  docs: "https://developer.fastspring.com/reference/message-security",
  headers: ["x-fs-signature"],
  // https://developer.fastspring.com/reference/webhooks — a batch of events, each with `type` (`order.completed`).
  eventType: eventTypeFrom(json("events[0].type")),
  signatureHeader: "X-FS-Signature",
  algorithm: "sha256",
  encoding: "base64",
  signs: ["body"],
  retry: {
    // https://developer.fastspring.com/reference/webhooks — failed deliveries are retried; the waits are ours.
    delaysSec: backoff(60, 2, 3600, 8),
    docs: "https://developer.fastspring.com/reference/webhooks",
  },
  // A batch of events, each named by its id. A retry repeats the first attempt's bytes: the signature covers the body
  // and no time.
  dedup: { keys: [{ json: "events[*].id", example: "5ltaFdDyQoa2jhT7iJePmQ" }], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
