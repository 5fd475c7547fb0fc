import { keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { both, eventTypeFrom, json } from "./event-type.js";

// https://devcenter.heroku.com/articles/app-webhooks#securing-webhook-requests — `Heroku-Webhook-Hmac-SHA256:
// <base64 HMAC-SHA256 of the body>` keyed with the webhook's secret.
export const heroku = defineHmacScheme({
  id: "heroku",
  name: "Heroku (app webhooks)",
  docs: "https://devcenter.heroku.com/articles/app-webhooks#securing-webhook-requests",
  headers: ["heroku-webhook-hmac-sha256", "heroku-webhook-id"],
  // https://devcenter.heroku.com/articles/app-webhooks — `resource` and `action`: `api:release.create`.
  eventType: eventTypeFrom(both(json("resource"), json("action"))),
  signatureHeader: "Heroku-Webhook-Hmac-SHA256",
  algorithm: "sha256",
  encoding: "base64",
  signs: ["body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "Heroku-Webhook-Id", input.id)],
  retry: {
    // Same page: failed deliveries are retried for up to 72 hours; the waits are ours.
    delaysSec: backoff(60, 2, 14_400, 22),
    docs: "https://devcenter.heroku.com/articles/app-webhooks",
  },
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: {
    keys: [
      { json: "id", example: "4d4fc35c-b8d5-4a8b-9a8c-8d4f3c2b1a0e" },
      { header: "Heroku-Webhook-Id", example: "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b" },
    ],
    attempts: "same-bytes",
  },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
