import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";
import { eventTypeFrom, jsonKey } from "./event-type.js";

// https://docs.x.com/x-api/webhooks/introduction — `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256 of the
// body>` keyed with the app's consumer secret. (`listen` answers the CRC `GET ?crc_token=` itself: src/capture/handshakes.ts.)
export const twitter = defineHmacScheme({
  id: "twitter",
  name: "X (Twitter) Account Activity",
  docs: "https://docs.x.com/x-api/webhooks/introduction",
  headers: ["x-twitter-webhooks-signature"],
  // https://docs.x.com/x-api/enterprise/account-activity/fundamentals/account-activity-data-objects — the member that holds the events names them (`tweet_create_events`).
  eventType: eventTypeFrom(jsonKey(/_events$/)),
  signatureHeader: "x-twitter-webhooks-signature",
  algorithm: "sha256",
  encoding: "base64",
  prefix: "sha256=",
  signs: ["body"],
  // Not documented as retried (the Account Activity API offers replay instead): treated as a single attempt.
  retry: noRetries("https://docs.x.com/x-api/webhooks/introduction"),
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ json: "tweet_create_events[*].id_str", example: "1456789012345678901" }], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
