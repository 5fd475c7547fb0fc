import { defineHmacScheme } from "./hmac-scheme.js";
import { backoff } from "./retry.js";

// https://docs.customer.io/journeys/webhooks-action/#securely-verify-requests — `X-CIO-Signature: <hex HMAC-SHA256
// over "v0:<X-CIO-Timestamp>:<body>">` keyed with the webhook signing key (third-party summaries; Customer.io
// publishes no Node verifier). No maximum age is published: none by default (--tolerance adds one).
export const customerio = defineHmacScheme({
  id: "customerio",
  name: "Customer.io",
  docs: "https://docs.customer.io/journeys/webhooks-action/#securely-verify-requests",
  headers: ["x-cio-signature", "x-cio-timestamp"],
  signatureHeader: "X-CIO-Signature",
  algorithm: "sha256",
  encoding: "hex",
  timestamp: { in: "header", header: "X-CIO-Timestamp", unit: "s" },
  toleranceSec: null,
  signs: [{ text: "v0:" }, "timestamp", { text: ":" }, "body"],
  retry: {
    // Not documented as a schedule; the waits are ours.
    delaysSec: backoff(60, 2, 3600, 5),
    docs: "https://docs.customer.io/journeys/webhooks-action/",
  },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
