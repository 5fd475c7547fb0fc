import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";

// https://www.dropbox.com/developers/reference/webhooks#notifications — `X-Dropbox-Signature: <hex HMAC-SHA256 of
// the body>` keyed with the app secret. (`listen` answers the `GET ?challenge=` echo itself: src/capture/handshakes.ts.)
export const dropbox = defineHmacScheme({
  id: "dropbox",
  name: "Dropbox",
  docs: "https://www.dropbox.com/developers/reference/webhooks#notifications",
  headers: ["x-dropbox-signature"],
  signatureHeader: "X-Dropbox-Signature",
  algorithm: "sha256",
  encoding: "hex",
  signs: ["body"],
  retry: {
    // Same page: failed notifications are retried with exponential backoff; the waits are ours.
    delaysSec: backoff(30, 2, 3600, 8),
    docs: "https://www.dropbox.com/developers/reference/webhooks#best-practices",
  },
  // A notification names accounts that changed, no event: a handler fetches the changes with its cursor, and handling
  // the same notification twice changes nothing, so there is nothing to deduplicate on.
  dedup: { keys: [], attempts: "same-bytes" },
  // https://www.dropbox.com/developers/reference/webhooks#best-practices — the app must respond within 10 s.
  deadlineMs: 10_000,
  deadlinePublished: true,
});
