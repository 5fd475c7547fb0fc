import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";
import { both, eventTypeFrom, json } from "./event-type.js";

// https://developer.webex.com/docs/webhooks#handling-requests-from-webex — `X-Spark-Signature`: hex
// HMAC-SHA1 of the body with the webhook's secret.
export const webex = defineHmacScheme({
  id: "webex",
  name: "Webex",
  docs: "https://developer.webex.com/docs/webhooks#handling-requests-from-webex",
  headers: ["x-spark-signature"],
  // https://developer.webex.com/docs/api/guides/webhooks — `resource` and `event`: `messages.created`.
  eventType: eventTypeFrom(both(json("resource"), json("event"))),
  signatureHeader: "X-Spark-Signature",
  algorithm: "sha1",
  encoding: "hex",
  signs: ["body"],
  // Not documented as retried; we assume none (Webex disables webhooks that keep failing).
  retry: noRetries("https://developer.webex.com/docs/webhooks"),
  // data.id names the message or object (the top-level id is the webhook's). A retry repeats the first attempt's
  // bytes: the signature covers the body and no time.
  dedup: {
    keys: [{ json: "data.id", example: "Y2lzY29zcGFyazovL3VzL01FU1NBR0UvOTJkYjNiZTAtNDNiZC0xMWU2LThhZTktZGQ1YjNkZmM1NjVk" }],
    attempts: "same-bytes",
  },
  // Not published (https://developer.webex.com/docs/api/guides/webhooks gives no figure); assumed 10 s: No published
  // timeout located in the corpus; 10 s is a safe conventional assumption.
  deadlineMs: 10_000,
});
