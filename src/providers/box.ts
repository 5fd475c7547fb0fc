import { findHeader, keepOrDefault } from "./headers.js";
import { defineHmacScheme, type HmacSchemeSpec } from "./schemes/hmac-scheme.js";
import type { Provider } from "./types.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developer.box.com/guides/webhooks/v2/signatures-v2/ — `box-signature-primary` and
// `box-signature-secondary`: base64 HMAC-SHA256 of the body followed by `box-delivery-timestamp` (RFC 3339),
// one with each of the app's two signature keys (so a key can be rotated); deliveries older than 10 minutes,
// or dated in the future, are rejected.
const spec: HmacSchemeSpec = {
  id: "box",
  // Box's SDK vectors (Japanese, emoji, slash) verify only as ASCII-escaped with `\/`.
  jsonShape: { indent: 0, escapeSlash: true, asciiOnly: true },
  name: "Box",
  docs: "https://developer.box.com/guides/webhooks/v2/signatures-v2/",
  headers: ["box-signature-primary", "box-signature-secondary", "box-delivery-timestamp"],
  // https://developer.box.com/guides/webhooks/v2/ — `trigger` (`FILE.UPLOADED`).
  eventType: eventTypeFrom(json("trigger")),
  signatureHeader: "box-signature-primary",
  algorithm: "sha256",
  encoding: "base64",
  timestamp: { in: "header", header: "box-delivery-timestamp", unit: "iso" },
  toleranceSec: 600,
  // box-node-sdk WebhooksManager.validateMessage refuses any delivery dated after its clock.
  rejectsFuture: true,
  futureToleranceSec: 0,
  signs: ["body", "timestamp"],
  extraHeaders: (input) => [
    keepOrDefault(input.headers, "box-signature-version", "1"),
    keepOrDefault(input.headers, "box-signature-algorithm", "HmacSHA256"),
    keepOrDefault(input.headers, "box-delivery-id", input.id),
  ],
  retry: {
    // https://developer.box.com/guides/webhooks/v2/ — failed deliveries are retried up to 10 times with
    // growing waits; the waits are ours (doubling from 1 min, capped at 4 h).
    delaysSec: [60, 120, 240, 480, 960, 1920, 3840, 7680, 14_400, 14_400],
    docs: "https://developer.box.com/guides/webhooks/v2/",
  },
  // The event id and box-delivery-id stay; each attempt carries its own box-delivery-timestamp.
  dedup: {
    keys: [
      { header: "box-delivery-id", example: "673a081b-bb2b-4e3b-a7ca-6f7b2b1f8e2e" },
      { json: "id", example: "eb0c4e06-751f-442c-86f8-fd5bb404dbec" },
    ],
    attempts: "resigned",
  },
  // https://developer.box.com/guides/webhooks/v2/ — the provider waits 30 s for the answer, then counts the attempt
  // as failed.
  deadlineMs: 30_000,
  deadlinePublished: true,
};

const primary = defineHmacScheme(spec);
const secondary = defineHmacScheme({ ...spec, signatureHeader: "box-signature-secondary" });

/** Box signs with both keys; any secret matching either signature is a match (a key rotation in progress). */
export const box: Provider = {
  ...primary,
  verify(request, secrets, options) {
    const result = primary.verify(request, secrets, options);
    if (result.valid || result.reason !== "no_matching_signature" || findHeader(request.headers, "box-signature-secondary") === undefined) {
      return result;
    }
    const second = secondary.verify(request, secrets, options);
    return second.valid ? second : result;
  },
};
