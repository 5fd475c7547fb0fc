import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://www.alchemy.com/docs/reference/notify-api-quickstart#validate-the-signature-received — `X-Alchemy-
// Signature: <hex HMAC-SHA256 of the body>` keyed with the webhook's signing key.
export const alchemy = defineHmacScheme({
  id: "alchemy",
  name: "Alchemy Notify",
  docs: "https://www.alchemy.com/docs/reference/notify-api-quickstart",
  headers: ["x-alchemy-signature"],
  // https://docs.alchemy.com/reference/webhook-types — `type` (`ADDRESS_ACTIVITY`).
  eventType: eventTypeFrom(json("type")),
  signatureHeader: "X-Alchemy-Signature",
  algorithm: "sha256",
  encoding: "hex",
  signs: ["body"],
  retry: {
    // Same page: failed deliveries are retried with exponential backoff; the waits are ours.
    delaysSec: backoff(15, 2, 3600, 6),
    docs: "https://www.alchemy.com/docs/reference/notify-api-quickstart",
  },
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ json: "id", example: "whevt_vq499kv7elmlbp2v" }], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
