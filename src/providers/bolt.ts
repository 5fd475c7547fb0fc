import { defineHmacScheme } from "./hmac-scheme.js";
import { backoff } from "./retry.js";

// https://help.bolt.com/developers/webhooks/ — `X-Bolt-Hmac-Sha256: <base64 HMAC-SHA256 of the body>` keyed with
// the signing secret (third-party summaries, webhooks.fyi; Bolt publishes no Node verifier).
export const bolt = defineHmacScheme({
  id: "bolt",
  name: "Bolt",
  docs: "https://help.bolt.com/developers/webhooks/",
  headers: ["x-bolt-hmac-sha256"],
  signatureHeader: "X-Bolt-Hmac-Sha256",
  algorithm: "sha256",
  encoding: "base64",
  signs: ["body"],
  retry: {
    // Same page: failed deliveries are retried; the waits are ours.
    delaysSec: backoff(60, 2, 3600, 6),
    docs: "https://help.bolt.com/developers/webhooks/",
  },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
