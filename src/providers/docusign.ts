import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developers.docusign.com/platform/webhooks/connect/hmac/ — `X-DocuSign-Signature-1: <base64 HMAC-SHA256 of
// the body>`, and -2, -3, ... one per active Connect key (up to 100): any of them matching is enough.
export const docusign = defineHmacScheme({
  id: "docusign",
  name: "DocuSign Connect",
  docs: "https://developers.docusign.com/platform/webhooks/connect/hmac/",
  headers: ["x-docusign-signature-1"],
  // https://developers.docusign.com/platform/webhooks/connect/json-sim-event-model/ — `event` (`envelope-completed`).
  eventType: eventTypeFrom(json("event")),
  signatureHeader: "X-DocuSign-Signature-1",
  moreSignatureHeaders: /^x-docusign-signature-\d+$/,
  algorithm: "sha256",
  encoding: "base64",
  signs: ["body"],
  retry: {
    // https://developers.docusign.com/platform/webhooks/connect/architecture/ — failures are retried (Connect's
    // retry queue, up to every 24 h); the waits are ours.
    delaysSec: backoff(300, 3, 86_400, 6),
    docs: "https://developers.docusign.com/platform/webhooks/connect/architecture/",
  },
  // An event is the envelope and the time it was generated; a retry carries a higher retryCount, so its bytes and
  // signature differ.
  dedup: {
    keys: [
      { json: "data.envelopeId", example: "93be49ab-7e3b-4c5e-9c9b-3f2e7a1d5b8c" },
      { json: "generatedDateTime", example: "2026-01-01T00:00:00.0000000Z" },
    ],
    attempts: "resigned",
  },
  // Not published; assumed 30 s.
  deadlineMs: 30_000,
});
