import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";

// https://airtable.com/developers/web/api/webhooks-overview#webhook-notification-delivery — `X-Airtable-Content-MAC:
// hmac-sha256=<hex HMAC-SHA256 of the body>`, keyed with the base64-DECODED `macSecretBase64` the create-webhook
// call returns. Pass that base64 text as the secret.
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
export const airtable = defineHmacScheme({
  id: "airtable",
  name: "Airtable",
  docs: "https://airtable.com/developers/web/api/webhooks-overview#webhook-notification-delivery",
  headers: ["x-airtable-content-mac"],
  signatureHeader: "X-Airtable-Content-MAC",
  algorithm: "sha256",
  encoding: "hex",
  prefix: "hmac-sha256=",
  key: (secret) => (BASE64_RE.test(secret) ? Buffer.from(secret, "base64") : null),
  signs: ["body"],
  // Same page: a notification only says "something changed" and is not retried; the client lists the payloads.
  retry: noRetries("https://airtable.com/developers/web/api/webhooks-overview"),
  // A notification only says that a base changed: a handler fetches the payloads with its cursor, and handling the same
  // notification twice changes nothing, so there is nothing to deduplicate on.
  dedup: { keys: [], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
