import { defineHmacScheme, pairedSignature } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developers.tiktok.com/doc/webhooks-verification — `TikTok-Signature: t=<unix s>,s=<hex HMAC-SHA256 over
// "<t>.<body>">` keyed with the app's client secret. The page suggests a tolerance but names no figure: none by
// default (--tolerance adds one).
export const tiktok = defineHmacScheme({
  id: "tiktok",
  name: "TikTok",
  docs: "https://developers.tiktok.com/doc/webhooks-verification",
  headers: ["tiktok-signature"],
  // https://developers.tiktok.com/doc/webhooks-overview — `event` (`post.publish.complete`).
  eventType: eventTypeFrom(json("event")),
  signatureHeader: "TikTok-Signature",
  algorithm: "sha256",
  encoding: "hex",
  ...pairedSignature({ separator: ",", timestampKey: "t", signatureKey: "s" }),
  toleranceSec: null,
  signs: ["timestamp", { text: "." }, "body"],
  retry: {
    // https://developers.tiktok.com/doc/webhooks-overview — undelivered events are retried with exponential backoff
    // for up to 72 hours; the waits are ours.
    delaysSec: backoff(60, 2, 21_600, 16),
    docs: "https://developers.tiktok.com/doc/webhooks-overview",
  },
  // TikTok's events carry no id: handlers key on the user and create_time; each attempt has its own t=.
  dedup: {
    keys: [{ json: "user_openid", example: "act.example12345Example12345Example" }, { json: "create_time", example: 1615338610 }],
    attempts: "resigned",
  },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
