import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://help.bolt.com/developers/webhooks/hook-verification — `X-Bolt-Hmac-Sha256: <base64 HMAC-SHA256 of the raw
// body>` keyed with the signing secret (Merchant Dashboard > Administration > API). Confirmed on Bolt's own
// page and its gaming guide (help.bolt.com/gaming/guide/bolt-webhooks/validate-authenticity, a Node example); no
// published vector, no Node verifier (Bolt also offers /v1/merchant/verify_signature, which needs its API).
export const bolt = defineHmacScheme({
  id: "bolt",
  name: "Bolt",
  docs: "https://help.bolt.com/developers/webhooks/hook-verification",
  headers: ["x-bolt-hmac-sha256"],
  // https://help.bolt.com/api-bolt/#tag/Webhooks — `type` (`payment`, `credit`, `capture`).
  eventType: eventTypeFrom(json("type")),
  signatureHeader: "X-Bolt-Hmac-Sha256",
  algorithm: "sha256",
  encoding: "base64",
  signs: ["body"],
  retry: {
    // Same page: failed deliveries are retried; the waits are ours.
    delaysSec: backoff(60, 2, 3600, 6),
    docs: "https://help.bolt.com/developers/webhooks/hook-verification",
  },
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ json: "data.id", example: "TAeZY9hJj9uYL" }], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
