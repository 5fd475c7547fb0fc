// Cross-check of our `sendgrid` scheme with @sendgrid/eventwebhook (`convertPublicKeyToECDSA` +
// `verifySignature`, on starkbank-ecdsa: an ECDSA implementation independent of OpenSSL). The SDK only
// verifies; the signing side is SendGrid's own signed test vector and the documented procedure (ECDSA P-256
// SHA-256 over `timestamp + body`, base64 DER). The SDK checks no timestamp age: the stale case is a changed
// timestamp header, which both must reject.
// https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
import { generateKeyPairSync, sign as ecSign, type KeyObject } from "node:crypto";
import { EventWebhook } from "@sendgrid/eventwebhook";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, headerValue, requireProvider, signRequest, verifyOurs, withHeader } from "./helpers.js";

// The vector of SendGrid's SDK tests (the same in its Node, Python, Go, Java, Ruby and PHP libraries).
const VECTOR = {
  publicKey: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==",
  signature: "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=",
  timestamp: "1588788367",
  payload: '{"category":"example_payload","event":"test_event","message_id":"message_id"}',
};

/** A key pair in the forms a user holds: PKCS#8 PEM private key, and the dashboard's base64 DER public key. */
function makeKeys(): { privatePem: string; publicB64: string; privateKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return {
    privateKey,
    privatePem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicB64: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
  };
}

const ACCOUNT = makeKeys();
const STRANGER = makeKeys();
const T = 1_795_777_200;
const BODY = Buffer.from(
  JSON.stringify([
    { email: "zoë@example.com", timestamp: T, event: "delivered", sg_event_id: "sg_event_id_delivered", sg_message_id: "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0" },
    { email: "zoë@example.com", timestamp: T, event: "open", useragent: "Mozilla/5.0 ✓" },
  ]) + "\r\n",
);

const ew = new EventWebhook();
function sendgridVerify(headers: HeaderPairs, body: Buffer, publicB64: string): boolean {
  return ew.verifySignature(
    ew.convertPublicKeyToECDSA(publicB64),
    body,
    headerValue(headers, "x-twilio-email-event-webhook-signature"),
    headerValue(headers, "x-twilio-email-event-webhook-timestamp"),
  );
}

describe("sendgrid × @sendgrid/eventwebhook (EventWebhook.verifySignature)", () => {
  const provider = requireProvider("sendgrid");

  it("SendGrid's signed test vector verifies with both", () => {
    const headers: HeaderPairs = [
      ["X-Twilio-Email-Event-Webhook-Signature", VECTOR.signature],
      ["X-Twilio-Email-Event-Webhook-Timestamp", VECTOR.timestamp],
    ];
    const body = Buffer.from(VECTOR.payload);
    expect(sendgridVerify(headers, body, VECTOR.publicKey)).toBe(true);
    expect(verifyOurs(provider, { method: "POST", url: "/sendgrid", headers, body }, VECTOR.publicKey, Number(VECTOR.timestamp))).toMatchObject({
      valid: true,
      provider: "sendgrid",
    });
  });

  it("our signature (PKCS#8 private key) verifies with the SDK under the base64 DER verification key", () => {
    const { request } = signRequest(provider, { body: BODY, secret: ACCOUNT.privatePem, timestamp: T });
    expect(headerValue(request.headers, "x-twilio-email-event-webhook-timestamp")).toBe(String(T));
    expect(sendgridVerify(request.headers, BODY, ACCOUNT.publicB64)).toBe(true);
  });

  it("a signature made by the documented procedure verifies with ours", () => {
    const signature = ecSign("sha256", Buffer.concat([Buffer.from(String(T)), BODY]), ACCOUNT.privateKey).toString("base64");
    const headers: HeaderPairs = [
      ["X-Twilio-Email-Event-Webhook-Signature", signature],
      ["X-Twilio-Email-Event-Webhook-Timestamp", String(T)],
    ];
    expect(sendgridVerify(headers, BODY, ACCOUNT.publicB64)).toBe(true);
    expect(verifyOurs(provider, { method: "POST", url: "/sendgrid", headers, body: BODY }, ACCOUNT.publicB64, T + 1)).toMatchObject({ valid: true });
  });

  it("a flipped body byte is rejected by both", () => {
    const { request } = signRequest(provider, { body: BODY, secret: ACCOUNT.privatePem, timestamp: T });
    const tampered = flipByte(BODY, "delivered");
    expect(sendgridVerify(request.headers, tampered, ACCOUNT.publicB64)).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, ACCOUNT.publicB64, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("another account's verification key is rejected by both", () => {
    const { request } = signRequest(provider, { body: BODY, secret: ACCOUNT.privatePem, timestamp: T });
    expect(sendgridVerify(request.headers, BODY, STRANGER.publicB64)).toBe(false);
    expect(verifyOurs(provider, request, STRANGER.publicB64, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a replayed signature with an older timestamp header is rejected by both (the timestamp is signed)", () => {
    const { request } = signRequest(provider, { body: BODY, secret: ACCOUNT.privatePem, timestamp: T });
    const headers = withHeader(request.headers, "X-Twilio-Email-Event-Webhook-Timestamp", String(T - 3600));
    expect(sendgridVerify(headers, BODY, ACCOUNT.publicB64)).toBe(false);
    expect(verifyOurs(provider, { ...request, headers }, ACCOUNT.publicB64, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });
});
