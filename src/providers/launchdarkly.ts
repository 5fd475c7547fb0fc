import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";
import { eventTypeFrom, joined, json } from "./event-type.js";

// https://launchdarkly.com/docs/home/infrastructure/webhooks#sign-a-webhook — `X-LD-Signature: <hex HMAC-SHA256 of
// the body>` keyed with the webhook's secret.
export const launchdarkly = defineHmacScheme({
  id: "launchdarkly",
  name: "LaunchDarkly",
  docs: "https://launchdarkly.com/docs/home/infrastructure/webhooks#sign-a-webhook",
  headers: ["x-ld-signature"],
  // https://docs.launchdarkly.com/home/connections/webhooks — the resource `kind` and the first access's `action`: `flag.updateOn`.
  eventType: eventTypeFrom(joined(json("kind"), json("accesses[0].action"))),
  signatureHeader: "X-LD-Signature",
  algorithm: "sha256",
  encoding: "hex",
  signs: ["body"],
  // Not documented as retried: treated as a single attempt.
  retry: noRetries("https://launchdarkly.com/docs/home/infrastructure/webhooks"),
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ json: "_id", example: "5e8f1f8f8f8f8f8f8f8f8f8f" }], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
