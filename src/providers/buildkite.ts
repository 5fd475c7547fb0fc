import { keepOrDefault } from "./headers.js";
import { defineHmacScheme, pairedSignature } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";
import { eventTypeFrom, header, json } from "./event-type.js";

// https://buildkite.com/docs/apis/webhooks#webhook-signature — `X-Buildkite-Signature: timestamp=<unix s>,
// signature=<hex HMAC-SHA256 over "<timestamp>.<body>">` keyed with the webhook token. (A webhook can instead send
// the token as it is in X-Buildkite-Token: use --provider hmac or a token check for that setting.) The docs
// publish no maximum age: none by default (--tolerance adds one).
export const buildkite = defineHmacScheme({
  id: "buildkite",
  name: "Buildkite",
  docs: "https://buildkite.com/docs/apis/webhooks#webhook-signature",
  headers: ["x-buildkite-signature", "x-buildkite-event"],
  // https://buildkite.com/docs/apis/webhooks — X-Buildkite-Event (`build.finished`).
  eventType: eventTypeFrom(header("x-buildkite-event"), json("event")),
  signatureHeader: "X-Buildkite-Signature",
  algorithm: "sha256",
  encoding: "hex",
  ...pairedSignature({ separator: ",", timestampKey: "timestamp", signatureKey: "signature" }),
  toleranceSec: null,
  signs: ["timestamp", { text: "." }, "body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "X-Buildkite-Event", "build.finished")],
  // Not documented as retried: treated as a single attempt.
  retry: noRetries("https://buildkite.com/docs/apis/webhooks"),
  // build.id (with the event name) names the event; each attempt has its own timestamp=.
  dedup: { keys: [{ json: "build.id", example: "f62a1b4d-10f9-4790-bc1c-e2c3a0c80983" }], attempts: "resigned" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
