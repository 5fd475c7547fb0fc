import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks — `x-vercel-signature`: hex HMAC-SHA1 of
// the body with the integration's client secret (or the webhook's secret).
export const vercel = defineHmacScheme({
  id: "vercel",
  // https://vercel.com/docs/webhooks/webhooks-api#deployment.created
  sample: (ids, nowMs) => ({
    value: {
      id: ids.token(10),
      type: "deployment.created",
      createdAt: nowMs,
      region: "cdg1",
      payload: {
        team: { id: `team_${ids.token(12)}` },
        user: { id: ids.token(12) },
        deployment: { id: `dpl_${ids.token(14)}`, name: "café-site", url: "café-site-hooktape.vercel.app", meta: { githubCommitMessage: "Überarbeitung / fix" } },
        links: { deployment: "https://vercel.com/acme/cafe-site/hooktape", project: "https://vercel.com/acme/cafe-site" },
        target: "production",
        project: { id: `prj_${ids.token(14)}` },
      },
    },
  }),
  name: "Vercel",
  docs: "https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks",
  headers: ["x-vercel-signature"],
  // https://vercel.com/docs/webhooks/webhooks-api — `type` (`deployment.created`).
  eventType: eventTypeFrom(json("type")),
  signatureHeader: "x-vercel-signature",
  algorithm: "sha1",
  encoding: "hex",
  signs: ["body"],
  retry: {
    // Vercel states that failed deliveries are retried but not on what schedule; the waits are ours.
    delaysSec: backoff(60, 2, 14_400, 8),
    docs: "https://vercel.com/docs/webhooks",
  },
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ json: "id", example: "JlGAE0KoDhPNxFcGbKAUydMS" }], attempts: "same-bytes" },
  // Not published (https://vercel.com/docs/webhooks gives no figure); assumed 10 s: No published timeout found; 10 s
  // matches common practice and Vercel's own short-request culture.
  deadlineMs: 10_000,
});
