import { defineKeyIdScheme, headerRequired, strictBase64 } from "./schemes/certificate.js";
import { eventTypeFrom, json } from "./event-type.js";

// Circle: https://developers.circle.com/w3s/verify-webhook-signatures — X-Circle-Signature is the base64 DER ECDSA
// (P-256, SHA-256) signature of the raw body; X-Circle-Key-Id names the key, whose base64 DER public key Circle's
// API returns (GET /v2/notifications/publicKey/{id}, with your API key).
export const circle = defineKeyIdScheme({
  id: "circle",
  // https://developers.circle.com/w3s/web3-services-notifications-quickstart — a transactions.inbound notification.
  sample: (ids, nowMs) => ({
    value: {
      subscriptionId: `${ids.token(4)}-0000-4000-8000-${ids.token(6)}`,
      notificationId: `${ids.token(4)}-0000-4000-8000-${ids.token(6)}`,
      notificationType: "transactions.inbound",
      notification: {
        id: ids.token(),
        blockchain: "ETH-SEPOLIA",
        state: "COMPLETE",
        amounts: ["7.47"],
        refId: "Café / order 7 — Zoë",
        createDate: new Date(nowMs).toISOString(),
      },
      timestamp: new Date(nowMs).toISOString(),
      version: 2,
    },
  }),
  name: "Circle",
  docs: "https://developers.circle.com/w3s/verify-webhook-signatures",
  digest: "sha256",
  signatureHeader: "x-circle-signature",
  // https://developers.circle.com/w3s/web3-services-notifications-quickstart — `notificationType` (`transactions.inbound`).
  eventType: eventTypeFrom(json("notificationType")),
  // GET https://api.circle.com/v2/notifications/publicKey/{id} → {"data":{"publicKey": base64 DER}}
  // (https://developers.circle.com/api-reference/w3s/common/get-notification-signature); the sandbox host too.
  keyApi: { hosts: ["api.circle.com", "api-sandbox.circle.com"], path: "/v2/notifications/publicKey/" },
  extraHeaders: ["x-circle-key-id"],
  readSignature(request) {
    const sig = headerRequired(request, "X-Circle-Signature");
    if (typeof sig !== "string") return sig;
    const keyId = headerRequired(request, "X-Circle-Key-Id");
    if (typeof keyId !== "string") return keyId;
    const signature = strictBase64(sig);
    return signature === null ? { reason: "malformed_header", hint: "X-Circle-Signature is not base64" } : { signature, keyId };
  },
  writeSignature: (signature, keyId) => [
    ["X-Circle-Signature", signature.toString("base64")],
    ["X-Circle-Key-Id", keyId],
  ],
  signedBytes: (body) => body,
  missingKeyAdvice:
    "pass its public key with --secret (Circle's API returns it: GET https://api.circle.com/v2/notifications/publicKey/<key id>), or add --fetch-certs",
  retry: {
    // Not published as a schedule: Circle retries failed notifications with backoff. Assumed exponential, 5 tries.
    delaysSec: [60, 300, 1800, 7200, 21_600],
    docs: "https://developers.circle.com/w3s/web3-services-notifications-quickstart",
  },
  // notificationId names the notification; the signature covers the body and no time.
  dedup: { keys: [{ json: "notificationId", example: "7a1f53b2-0000-4000-8000-0b2a6c8f1e47" }], attempts: "same-bytes" },
  // Not published; hooktape assumes 10 s.
  deadlineMs: 10_000,
});
