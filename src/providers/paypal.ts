import { COMPACT_JSON } from "./json-shape.js";
import { crc32 } from "node:zlib";
import { defineCertificateScheme, keyUrlRefusal, SIGNATURE_ADVICE, headerRequired, strictBase64 } from "./schemes/certificate.js";
import { eventTypeFrom, json } from "./event-type.js";
import { findHeader } from "./headers.js";

const PAYPAL_HOST_RE = /^(?:[a-z0-9-]+\.)*paypal\.com$/;

/** PayPal's certificates come from paypal.com and its subdomains. */
function paypalKeyUrl(url: URL): string | null {
  return PAYPAL_HOST_RE.test(url.hostname.toLowerCase()) ? null : `${url.href} is not on paypal.com`;
}

// PayPal: https://developer.paypal.com/api/rest/webhooks/rest/#link-selfverificationmethod — the signed string is
// `transmissionId|transmissionTime|webhookId|crc32(body)` (CRC-32 as an unsigned decimal), RSA PKCS#1 v1.5 with
// SHA-256 (PAYPAL-AUTH-ALGO SHA256withRSA), the key from the certificate at PAYPAL-CERT-URL. paypal-rest-sdk
// (Notification.js) and the Java SDK (Event.validateReceivedEvent) do the same and check no age.
export const paypal = defineCertificateScheme({
  id: "paypal",
  // Certificates and key ids.
  // https://developer.paypal.com/api/rest/webhooks/event-names/#link-payments — PAYMENT.CAPTURE.COMPLETED.
  sample: (ids, nowMs) => ({
    value: {
      id: `WH-${ids.token(8).toUpperCase()}`,
      event_version: "1.0",
      create_time: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
      resource_type: "capture",
      resource_version: "2.0",
      event_type: "PAYMENT.CAPTURE.COMPLETED",
      summary: "Payment completed for EUR 7.47 EUR",
      resource: {
        id: ids.token(8).toUpperCase(),
        amount: { currency_code: "EUR", value: "7.47" },
        final_capture: true,
        status: "COMPLETED",
        payee: { email_address: "zoë@example.com", merchant_id: "HOOKTAPE0MERCH" },
        create_time: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
      },
      links: [{ href: "https://api.sandbox.paypal.com/v1/notifications/webhooks-events/WH-hooktape", rel: "self", method: "GET" }],
    },
  }),
  // PayPal's deliveries are compact.
  jsonShape: COMPACT_JSON,
  name: "PayPal",
  docs: "https://developer.paypal.com/api/rest/webhooks/rest/",
  keyType: "rsa",
  webhookId: true,
  headers: ["paypal-transmission-sig", "paypal-transmission-id", "paypal-transmission-time", "paypal-cert-url", "paypal-auth-algo"],
  // https://developer.paypal.com/api/rest/webhooks/event-names/ — `event_type` (`PAYMENT.CAPTURE.COMPLETED`).
  eventType: eventTypeFrom(json("event_type")),
  detect: (headers) => findHeader(headers, "paypal-transmission-sig") !== undefined && findHeader(headers, "paypal-transmission-id") !== undefined,
  read(request) {
    const values: string[] = [];
    for (const name of ["PAYPAL-TRANSMISSION-SIG", "PAYPAL-TRANSMISSION-ID", "PAYPAL-TRANSMISSION-TIME", "PAYPAL-CERT-URL", "PAYPAL-AUTH-ALGO"]) {
      const value = headerRequired(request, name);
      if (typeof value !== "string") return value;
      values.push(value);
    }
    const [sig = "", id = "", time = "", certUrl = "", algo = ""] = values;
    if (algo !== "SHA256withRSA") return { reason: "malformed_header", hint: `PAYPAL-AUTH-ALGO is ${algo}; PayPal signs with SHA256withRSA` };
    const signature = strictBase64(sig);
    if (signature === null) return { reason: "malformed_header", hint: "PAYPAL-TRANSMISSION-SIG is not base64" };
    // Enforced whatever key is given, as for SNS: a delivery that names a certificate elsewhere is not PayPal's.
    const refusal = keyUrlRefusal(certUrl, paypalKeyUrl);
    if (refusal !== null) return { reason: "malformed_header", hint: `PAYPAL-CERT-URL refused: ${refusal} (a forged delivery can name any certificate)` };
    const crc = String(crc32(request.body) >>> 0);
    const signedAt = Date.parse(time);
    return {
      signature,
      digest: "sha256",
      message: (webhookId) => Buffer.from(`${id}|${time}|${webhookId}|${crc}`),
      reference: { kind: "certificate", value: certUrl, fetchUrl: certUrl },
      ...(Number.isNaN(signedAt) ? {} : { signedAt: Math.floor(signedAt / 1000) }),
    };
  },
  write(input, signWith, names) {
    const id = input.id;
    const time = new Date(input.timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const crc = String(crc32(input.body) >>> 0);
    const signature = signWith(Buffer.from(`${id}|${time}|${input.secret}|${crc}`), "sha256");
    return {
      headers: [
        ["PAYPAL-TRANSMISSION-ID", id],
        ["PAYPAL-TRANSMISSION-TIME", time],
        ["PAYPAL-TRANSMISSION-SIG", signature.toString("base64")],
        ["PAYPAL-CERT-URL", `https://api.sandbox.paypal.com/v1/notifications/certs/CERT-hooktape-${names.fingerprint}`],
        ["PAYPAL-AUTH-ALGO", "SHA256withRSA"],
      ],
    };
  },
  missingKeyAdvice: `${SIGNATURE_ADVICE} (as "<webhook id>:<certificate>")`,
  refuseKeyUrl: paypalKeyUrl,
  retry: {
    // https://developer.paypal.com/api/rest/webhooks/ — "PayPal retries ... up to 25 times over the course of 3 days".
    // The intervals are not published; 25 attempts spread exponentially over ~3 days is assumed.
    delaysSec: [60, 120, 240, 480, 960, 1920, 3600, 3600, 7200, 7200, 10_800, 10_800, 10_800, 14_400, 14_400, 14_400, 14_400, 14_400, 14_400, 14_400, 14_400, 14_400, 14_400, 14_400],
    docs: "https://developer.paypal.com/api/rest/webhooks/",
  },
  // The event id stays; each attempt is a new transmission (its own PAYPAL-TRANSMISSION-TIME, so other signature
  // bytes).
  dedup: { keys: [{ json: "id", example: "WH-2WR32451HC0233532-67976317FL4543714" }], attempts: "resigned" },
  // Not published; PayPal counts a non-2xx or no answer as a failure. hooktape assumes 30 s.
  deadlineMs: 30_000,
});
