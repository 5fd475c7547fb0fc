import { keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./hmac-scheme.js";
import { backoff } from "./retry.js";

// https://docs.maxio.com/hc/en-us/articles/24266136649869-Webhooks-Reference — Maxio (Chargify) sends
// `X-Chargify-Webhook-Signature-Hmac-Sha-256: <hex HMAC-SHA256 of the body>` keyed with the site's shared key.
// Third-party summaries (webhooks.fyi); Maxio publishes no verifier.
export const maxio = defineHmacScheme({
  id: "maxio",
  name: "Maxio (Chargify)",
  docs: "https://docs.maxio.com/hc/en-us/articles/24266136649869-Webhooks-Reference",
  headers: ["x-chargify-webhook-signature-hmac-sha-256", "x-chargify-webhook-id"],
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
  // Not published; assumed 15 s.
  deadlineMs: 15_000,
});
