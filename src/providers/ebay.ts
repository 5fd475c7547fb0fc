import { defineKeyIdScheme, headerRequired, strictBase64 } from "./schemes/certificate.js";
import { eventTypeFrom, json } from "./event-type.js";

// eBay: eBay/event-notification-nodejs-sdk lib/validator.js — x-ebay-signature is base64 of
// `{"alg":"ecdsa","kid":...,"signature":<base64 DER>,"digest":"SHA1"}`; the SDK verifies (ssl3-sha1, i.e. SHA-1 with
// the ECDSA key) over JSON.stringify(req.body) after express.json(), i.e. the body re-serialised compactly, not the
// raw bytes: whitespace changes still verify, as they do for eBay's own SDK. The key by kid comes from
// GET https://api.ebay.com/commerce/notification/v1/public_key/{kid} (with an application OAuth token).
export const ebay = defineKeyIdScheme({
  id: "ebay",
  // eBay/event-notification-nodejs-sdk test/test.json: MARKETPLACE_ACCOUNT_DELETION.
  sample: (ids, nowMs) => ({
    value: {
      metadata: { topic: "MARKETPLACE_ACCOUNT_DELETION", schemaVersion: "1.0", deprecated: false },
      notification: {
        notificationId: `${ids.token()}_${ids.token()}`,
        eventDate: new Date(nowMs).toISOString(),
        publishDate: new Date(nowMs).toISOString(),
        publishAttemptCount: 1,
        data: { username: "zoë_hooktape", userId: ids.token(6), eiasToken: "nY+sHZ2PrBmdj6wVnY+sEZ2PrA2dj6wJnY+gAZGEpwmdj6x9nY+seQ==" },
      },
    },
  }),
  name: "eBay",
  docs: "https://developer.ebay.com/api-docs/commerce/notification/overview.html",
  digest: "sha1",
  signatureHeader: "x-ebay-signature",
  // https://developer.ebay.com/api-docs/commerce/notification/overview.html — `metadata.topic` (`MARKETPLACE_ACCOUNT_DELETION`).
  eventType: eventTypeFrom(json("metadata.topic")),
  // GET https://api.ebay.com/commerce/notification/v1/public_key/{id} → {"key": one-line PEM}, with an application token
  // (https://developer.ebay.com/api-docs/commerce/notification/resources/public_key/methods/getPublicKey); the sandbox host too.
  keyApi: { hosts: ["api.ebay.com", "api.sandbox.ebay.com"], path: "/commerce/notification/v1/public_key/" },
  extraHeaders: [],
  readSignature(request) {
    const value = headerRequired(request, "X-EBAY-SIGNATURE");
    if (typeof value !== "string") return value;
    const decoded = strictBase64(value);
    let header: unknown;
    try {
      header = decoded === null ? null : JSON.parse(decoded.toString("utf8"));
    } catch {
      header = null;
    }
    const { kid, signature: sig, alg } = (header ?? {}) as Record<string, unknown>;
    if (typeof kid !== "string" || typeof sig !== "string") {
      return { reason: "malformed_header", hint: "x-ebay-signature is not base64 of {alg, kid, signature, digest}" };
    }
    if (typeof alg === "string" && alg.toLowerCase() !== "ecdsa") return { reason: "malformed_header", hint: `x-ebay-signature's alg is ${alg}; eBay signs with ecdsa` };
    const signature = strictBase64(sig);
    return signature === null ? { reason: "malformed_header", hint: "the signature in x-ebay-signature is not base64" } : { signature, keyId: kid };
  },
  writeSignature: (signature, keyId) => [
    ["X-EBAY-SIGNATURE", Buffer.from(JSON.stringify({ alg: "ecdsa", kid: keyId, signature: signature.toString("base64"), digest: "SHA1" })).toString("base64")],
  ],
  signedBytes(body) {
    try {
      return Buffer.from(JSON.stringify(JSON.parse(body.toString("utf8"))), "utf8");
    } catch {
      return null;
    }
  },
  missingKeyAdvice:
    "pass its public key with --secret (eBay's Notification API returns it: GET https://api.ebay.com/commerce/notification/v1/public_key/<key id>), or add --fetch-certs with HOOKTAPE_EBAY_TOKEN set",
  retry: {
    // https://developer.ebay.com/api-docs/commerce/notification/overview.html — unacknowledged notifications are
    // retried; the schedule is not published. Assumed: hourly for a day.
    delaysSec: Array.from({ length: 24 }, () => 3600),
    docs: "https://developer.ebay.com/api-docs/commerce/notification/overview.html",
  },
  // notification.notificationId names the notification; the signature covers the body and no time.
  dedup: { keys: [{ json: "notification.notificationId", example: "49f5d8b7c3a2e1f0_a1b2c3d4e5f60718" }], attempts: "same-bytes" },
  // Not published; hooktape assumes 10 s.
  deadlineMs: 10_000,
});
