import { keepOrDefault } from "./headers.js";
import { defineHmacScheme, pairedSignature } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";
import { eventTypeFrom, header, json } from "./event-type.js";

// https://circleci.com/docs/webhooks/#validate-webhooks — `circleci-signature: v1=<hex HMAC-SHA256 of the body>`,
// a comma-separated list so that other versions can be added; only v1 is checked.
export const circleci = defineHmacScheme({
  id: "circleci",
  name: "CircleCI",
  docs: "https://circleci.com/docs/webhooks/#validate-webhooks",
  headers: ["circleci-signature", "circleci-event-type"],
  // https://circleci.com/docs/webhooks-reference/ — `type` and Circleci-Event-Type (`workflow-completed`).
  eventType: eventTypeFrom(json("type"), header("circleci-event-type")),
  signatureHeader: "circleci-signature",
  algorithm: "sha256",
  encoding: "hex",
  ...pairedSignature({ separator: ",", signatureKey: "v1" }),
  signs: ["body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "circleci-event-type", "workflow-completed")],
  // Same page: "CircleCI will not retry" failed webhook deliveries (at-most-once).
  retry: noRetries("https://circleci.com/docs/webhooks/"),
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ json: "id", example: "3888f21b-eaa7-38e3-8f3d-75a63bba8895" }], attempts: "same-bytes" },
  // Not published; assumed 5 s.
  deadlineMs: 5_000,
});
