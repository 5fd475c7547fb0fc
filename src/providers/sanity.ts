import { keepOrDefault } from "./headers.js";
import { defineHmacScheme, pairedSignature } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, header } from "./event-type.js";

// https://github.com/sanity-io/webhook-toolkit/blob/main/src/signature.ts — `sanity-webhook-signature:
// t=<unix ms>,v1=<base64url without padding>`, HMAC-SHA256 keyed with the secret over `<t>.<body>`. @sanity/webhook
// checks no age (only that t is after 2021), so neither do we by default (--tolerance adds one).
export const sanity = defineHmacScheme({
  id: "sanity",
  name: "Sanity",
  docs: "https://www.sanity.io/docs/webhooks",
  headers: ["sanity-webhook-signature", "sanity-webhook-id"],
  // https://www.sanity.io/docs/webhooks — sanity-operation (`create`, `update`, `delete`).
  eventType: eventTypeFrom(header("sanity-operation")),
  signatureHeader: "sanity-webhook-signature",
  algorithm: "sha256",
  encoding: "base64url",
  ...pairedSignature({ separator: ",", timestampKey: "t", signatureKey: "v1", unit: "ms" }),
  toleranceSec: null,
  signs: ["timestamp", { text: "." }, "body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "sanity-webhook-id", input.id), keepOrDefault(input.headers, "sanity-operation", "create")],
  retry: {
    // Same page: failed deliveries are retried with exponential backoff for up to 30 minutes; the waits are ours.
    delaysSec: backoff(10, 2, 600, 6),
    docs: "https://www.sanity.io/docs/webhooks",
  },
  // idempotency-key names the event; each attempt carries its own t= in the signature.
  dedup: { keys: [{ header: "idempotency-key", example: "idem-6a8f5f28-54a1-4eb0-a98a-3111513fd4fc" }], attempts: "resigned" },
  // Not published; assumed 30 s.
  deadlineMs: 30_000,
});
