import { COMPACT_JSON } from "./json-shape.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developers.hubspot.com/docs/guides/apps/authentication/validating-requests#validate-the-v3-request-signature
// `X-HubSpot-Signature-v3`: base64 HMAC-SHA256, keyed with the app's client secret, over
// method + URI + body + `X-HubSpot-Request-Timestamp` (unix ms); requests older than 5 minutes are rejected.
// The URI is the full URL with the characters HubSpot lists decoded.
const DECODE: ReadonlyArray<[RegExp, string]> = [
  [/%3A/gi, ":"], [/%2F/gi, "/"], [/%3F/gi, "?"], [/%40/gi, "@"], [/%21/gi, "!"], [/%24/gi, "$"],
  [/%27/gi, "'"], [/%28/gi, "("], [/%29/gi, ")"], [/%2A/gi, "*"], [/%2C/gi, ","], [/%3B/gi, ";"],
];

function hubspotUri(url: string): string {
  return url.includes("%") ? DECODE.reduce((u, [re, ch]) => u.replace(re, ch), url) : url;
}

export const hubspot = defineHmacScheme({
  id: "hubspot",
  // https://developers.hubspot.com/docs/api/webhooks#webhooks-payloads — a batch of events, each named by eventId.
  sample: (ids, nowMs) => ({
    value: [
      {
        eventId: ids.number(10),
        subscriptionId: 2481234,
        portalId: 62515,
        appId: 1160452,
        occurredAt: nowMs,
        subscriptionType: "contact.propertyChange",
        attemptNumber: 0,
        objectId: ids.number(9),
        propertyName: "firstname",
        propertyValue: "Zoë",
        changeSource: "CRM",
      },
    ],
  }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "HubSpot (v3 signature)",
  docs: "https://developers.hubspot.com/docs/guides/apps/authentication/validating-requests#validate-the-v3-request-signature",
  headers: ["x-hubspot-signature-v3", "x-hubspot-request-timestamp"],
  // https://developers.hubspot.com/docs/api/webhooks — a batch of events, each with `subscriptionType` (`contact.creation`).
  eventType: eventTypeFrom(json("[0].subscriptionType")),
  signatureHeader: "X-HubSpot-Signature-v3",
  algorithm: "sha256",
  encoding: "base64",
  signsUrl: true,
  timestamp: { in: "header", header: "X-HubSpot-Request-Timestamp", unit: "ms" },
  toleranceSec: 300,
  signs: ["method", "url", "body", "timestamp"],
  signedUrl: hubspotUri,
  retry: {
    // https://developers.hubspot.com/docs/api/webhooks#retries — up to 10 retries over 24 hours, with
    // randomised growing delays; the waits are ours (doubling from 1 min, capped at 8 h).
    delaysSec: backoff(60, 2.4, 28_800, 10),
    docs: "https://developers.hubspot.com/docs/api/webhooks#retries",
  },
  // A batch of events, each named by eventId; each request is signed with its own X-HubSpot-Request-Timestamp.
  dedup: { keys: [{ json: "[*].eventId", example: 3216549870 }], attempts: "resigned" },
  // https://developers.hubspot.com/docs/api/webhooks — the provider waits 5 s for the answer, then counts the
  // attempt as failed.
  deadlineMs: 5_000,
  deadlinePublished: true,
});
