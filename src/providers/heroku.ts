import { keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./hmac-scheme.js";
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
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
