import { keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, form } from "./event-type.js";

// https://docs.maxio.com/hc/en-us/articles/24266136649869-Webhooks-Reference — Maxio (Chargify) sends
// `X-Chargify-Webhook-Signature-Hmac-Sha-256: <hex HMAC-SHA256 of the raw body>` keyed with the site's shared key.
// Confirmed against Chargify's own developers' verification snippets (gist moklett/7456242, a Chargify
// founder's webhook reflector: `OpenSSL::HMAC.hexdigest(sha256, shared_key, body)`; gists mediocretes/a0c4ac069dec105b167e,
// afreeland/003026ee17ab0f6de8b3acc4b33f797b), which agree; Maxio publishes no verifier and no vector.
export const maxio = defineHmacScheme({
  id: "maxio",
  name: "Maxio (Chargify)",
  docs: "https://docs.maxio.com/hc/en-us/articles/24266136649869-Webhooks-Reference",
  headers: ["x-chargify-webhook-signature-hmac-sha-256", "x-chargify-webhook-id"],
  // https://docs.maxio.com/hc/en-us/articles/24266136649869-Webhooks-Reference — posted as form fields, `event` (`signup_success`).
  eventType: eventTypeFrom(form("event")),
  signatureHeader: "X-Chargify-Webhook-Signature-Hmac-Sha-256",
  algorithm: "sha256",
  encoding: "hex",
  signs: ["body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "X-Chargify-Webhook-Id", input.id)],
  retry: {
    // Same page: failed webhooks are retried up to 5 times over about a day; the waits are ours.
    delaysSec: backoff(300, 3, 43_200, 5),
    docs: "https://docs.maxio.com/hc/en-us/articles/24266136649869-Webhooks-Reference",
  },
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ header: "X-Chargify-Webhook-Id", example: "123456789" }], attempts: "same-bytes" },
  // Not published; assumed 15 s.
  deadlineMs: 15_000,
});
