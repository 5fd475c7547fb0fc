import { createPublicKey, createVerify, generateKeyPairSync, verify as verifyBytes, X509Certificate } from "node:crypto";
import { crc32 } from "node:zlib";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { generateCertificateKey, keyNamesOf } from "../../src/providers/schemes/certificate.js";
import { circle } from "../../src/providers/circle.js";
import { ebay } from "../../src/providers/ebay.js";
import { paypal } from "../../src/providers/paypal.js";
import { sns, snsJson } from "../../src/providers/sns.js";
import { selfSignedCertificate } from "../../src/providers/x509.js";
import type { VerifyRequest } from "../../src/providers/types.js";
import { flipByte, headerOf, signedRequest, withHeader, withoutHeader } from "./helpers.js";
import { rsaTestKeyPair } from "../helpers/test-keys.js";

const NOW = 1_795_777_200;
const require = createRequire(import.meta.url);

describe("CRC-32 as PayPal signs it (zlib.crc32, unsigned decimal)", () => {
  it("matches the published check values", () => {
    // The CRC-32/ISO-HDLC check value of "123456789" (the CRC catalogue), and the empty input.
    expect(crc32(Buffer.from("123456789")) >>> 0).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0)) >>> 0).toBe(0);
    expect(crc32(Buffer.from("The quick brown fox jumps over the lazy dog")) >>> 0).toBe(0x414fa339);
    // Above 2^31: written unsigned, as PayPal's Java SDK (java.util.zip.CRC32.getValue) does.
    expect(String(crc32(Buffer.from("123456789")) >>> 0)).toBe("3421780262");
  });
});

describe("the self-signed certificate keygen makes", () => {
  it("has a valid serial whatever the random bytes (a leading 0x00 once made 1 keygen in 128 fail)", () => {
    const pair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    for (const first of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
      const serial = Buffer.alloc(16, 0x00);
      serial[0] = first;
      const cert = new X509Certificate(selfSignedCertificate(pair.privateKey, pair.publicKey, "serial", new Date("2026-12-01T00:00:00Z"), serial));
      expect(cert.serialNumber).toMatch(/^[4-7][0-9A-F]0{30}$/);
    }
  });

  it("parses with X509Certificate, verifies with its own key and names it", () => {
    for (const type of ["rsa", "ec"] as const) {
      const pair = type === "rsa" ? rsaTestKeyPair(0) : generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      const pem = selfSignedCertificate(pair.privateKey, pair.publicKey, "hooktape test — Zoë", new Date("2026-12-01T00:00:00Z"));
      const cert = new X509Certificate(pem);
      expect(cert.verify(pair.publicKey)).toBe(true);
      expect(cert.subject).toBe("CN=hooktape test — Zoë");
      expect(cert.issuer).toBe(cert.subject);
      expect(new Date(cert.validFrom).toISOString()).toBe("2026-11-30T00:00:00.000Z");
      expect(new Date(cert.validTo).getUTCFullYear()).toBe(2036);
      expect(cert.publicKey.export({ format: "der", type: "spki" })).toEqual(pair.publicKey.export({ format: "der", type: "spki" }));
    }
  });
});

const PAYPAL_KEY = generateCertificateKey(paypal, undefined, rsaTestKeyPair(2));
const WEBHOOK_ID = "WH-1AB23456CD789012E-3FG45678HI901234J";
const PAYPAL_BODY = JSON.stringify({ id: "WH-58D329510W468432D-8HN650336L201105X", event_type: "PAYMENT.CAPTURE.COMPLETED", summary: "Payment completed for € 7.47 — Zoë" }, null, 1);

describe("paypal (RSA over id|time|webhookId|crc32)", () => {
  const signed = signedRequest(paypal, { body: PAYPAL_BODY, secret: `${WEBHOOK_ID}:${PAYPAL_KEY.privateKey}`, timestamp: NOW, id: "69cd13f0-d67a-11e5-baa3-778b53f4ae55" });
  const certificate = PAYPAL_KEY.certificate as string;

  it("signs the string PayPal's docs give, RSA PKCS#1 v1.5 SHA-256, and writes its five headers", () => {
    expect(headerOf(signed, "PAYPAL-TRANSMISSION-TIME")).toBe("2026-11-27T11:00:00Z");
    expect(headerOf(signed, "PAYPAL-AUTH-ALGO")).toBe("SHA256withRSA");
    expect(headerOf(signed, "PAYPAL-CERT-URL")).toMatch(/^https:\/\/api\.sandbox\.paypal\.com\/v1\/notifications\/certs\/CERT-hooktape-[0-9a-f]{32}$/);
    // The signed string, built here from the docs rather than from our code.
    const expected = `69cd13f0-d67a-11e5-baa3-778b53f4ae55|2026-11-27T11:00:00Z|${WEBHOOK_ID}|${crc32(Buffer.from(PAYPAL_BODY)) >>> 0}`;
    const verifier = createVerify("RSA-SHA256").update(expected);
    expect(verifier.verify(certificate, headerOf(signed, "PAYPAL-TRANSMISSION-SIG") as string, "base64")).toBe(true);
  });

  it("verifies with <webhook id>:<certificate>, the public key, or the private key", () => {
    for (const key of [certificate, PAYPAL_KEY.publicKey, PAYPAL_KEY.privateKey, new X509Certificate(certificate).raw.toString("base64")]) {
      expect(paypal.verify(signed, [`${WEBHOOK_ID}:${key}`], { now: NOW })).toEqual({ valid: true, provider: "paypal", signedAt: NOW });
    }
  });

  it("rejects one change at a time, and says which certificate signed", () => {
    const good = `${WEBHOOK_ID}:${certificate}`;
    const other = generateCertificateKey(paypal, undefined, rsaTestKeyPair(3)).certificate as string;
    const wrongKey = paypal.verify(signed, [`${WEBHOOK_ID}:${other}`], { now: NOW });
    expect(wrongKey).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect(wrongKey.valid || wrongKey.hint).toContain(headerOf(signed, "PAYPAL-CERT-URL"));
    expect(paypal.verify(signed, [`WH-OTHER:${certificate}`], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
    expect(paypal.verify({ ...signed, body: flipByte(signed.body, 5) }, [good], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
    expect(paypal.verify(withHeader(signed, "PAYPAL-TRANSMISSION-ID", "69cd13f0-d67a-11e5-baa3-778b53f4ae56"), [good], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
    expect(paypal.verify(withHeader(signed, "PAYPAL-TRANSMISSION-TIME", "2026-11-27T11:00:01Z"), [good], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
    expect(paypal.verify(withHeader(signed, "PAYPAL-AUTH-ALGO", "SHA1withRSA"), [good], { now: NOW })).toMatchObject({ reason: "malformed_header" });
    expect(paypal.verify(withoutHeader(signed, "PAYPAL-CERT-URL"), [good], { now: NOW })).toMatchObject({ reason: "missing_header", hint: "no PAYPAL-CERT-URL header" });
    // Rotation: the right pair next to a wrong one.
    expect(paypal.verify(signed, [`${WEBHOOK_ID}:${other}`, good], { now: NOW }).valid).toBe(true);
  });

  it("refuses a certificate URL off paypal.com whatever key is given", () => {
    const good = `${WEBHOOK_ID}:${certificate}`;
    for (const url of ["https://evil.example.com/cert.pem", "http://api.paypal.com/v1/notifications/certs/CERT-1", "https://api.paypal.com.evil.com/c", "https://paypal.com@evil.com/c"]) {
      const result = paypal.verify(withHeader(signed, "PAYPAL-CERT-URL", url), [good], { now: NOW });
      expect(result).toMatchObject({ valid: false, reason: "malformed_header" });
      expect(result.valid || result.hint).toMatch(/^PAYPAL-CERT-URL refused/);
    }
  });

  it("needs the webhook id in the secret, and says how to give it", () => {
    const result = paypal.verify(signed, [certificate], { now: NOW });
    expect(result).toMatchObject({ valid: false, reason: "malformed_key" });
    expect(result.valid || result.hint).toContain("<webhook id>:<certificate>");
    expect(() => paypal.sign({ body: Buffer.from("{}"), secret: PAYPAL_KEY.privateKey, timestamp: NOW, id: "x", method: "POST", headers: [] })).toThrow(/webhook id/);
  });

  it("without a secret, says which certificate signed and how to get it", () => {
    const result = paypal.verify(signed, [], { now: NOW });
    expect(result).toMatchObject({ valid: false, reason: "no_secret" });
    expect(result.valid || result.hint).toBe(
      `this delivery was signed with the certificate at ${headerOf(signed, "PAYPAL-CERT-URL")}; pass its certificate with --secret, or add --fetch-certs (as "<webhook id>:<certificate>")`,
    );
  });
});

// The message of AWS's docs example, in SNS's own layout (two-space indent, " : ").
function snsMessage(fields: Record<string, string>): Buffer {
  return Buffer.from(snsJson(fields));
}
const SNS_KEY = generateCertificateKey(sns, undefined, rsaTestKeyPair(4));
const NOTIFICATION = snsMessage({
  Type: "Notification",
  MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
  TopicArn: "arn:aws:sns:eu-west-1:123456789012:MyTopic",
  Subject: "My First Message — Zoë",
  Message: '{"order":"7","note":"café"}',
  Timestamp: "2026-11-27T11:00:00.000Z",
  UnsubscribeURL: "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:eu-west-1:123456789012:MyTopic:c9135db0",
});

function snsField(request: VerifyRequest, key: string): unknown {
  return (JSON.parse(request.body.toString("utf8")) as Record<string, unknown>)[key];
}
function withSnsField(request: VerifyRequest, key: string, value: unknown): VerifyRequest {
  const message = JSON.parse(request.body.toString("utf8")) as Record<string, unknown>;
  message[key] = value;
  return { ...request, body: Buffer.from(snsJson(message)) };
}

describe("sns (canonical string per Type, SignatureVersion 1 and 2)", () => {
  const signed = signedRequest(sns, { body: NOTIFICATION, secret: SNS_KEY.privateKey, timestamp: NOW, headers: [] });
  const certificate = SNS_KEY.certificate as string;

  it("writes Signature, SignatureVersion 2 and a SigningCertURL in the topic's region into the body, SNS's layout kept", () => {
    const text = signed.body.toString("utf8");
    expect(text).toMatch(/^\{\n {2}"Type" : "Notification",\n/);
    expect(snsField(signed, "SignatureVersion")).toBe("2");
    expect(snsField(signed, "SigningCertURL")).toMatch(/^https:\/\/sns\.eu-west-1\.amazonaws\.com\/SimpleNotificationService-[0-9a-f]{32}\.pem$/);
    expect(headerOf(signed, "x-amz-sns-message-type")).toBe("Notification");
    // The canonical string of AWS's docs, built here: present keys of the Notification list, in order.
    const canonical = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"].map((k) => `${k}\n${String(snsField(signed, k))}\n`).join("");
    expect(verifyBytes("sha256", Buffer.from(canonical), new X509Certificate(certificate).publicKey, Buffer.from(String(snsField(signed, "Signature")), "base64"))).toBe(true);
    expect(sns.verify(signed, [certificate], { now: NOW })).toEqual({ valid: true, provider: "sns", signedAt: NOW });
  });

  it("signs SignatureVersion 1 (SHA1withRSA) when the message asks for it", () => {
    const v1 = signedRequest(sns, { body: withSnsField({ ...signed, body: NOTIFICATION }, "SignatureVersion", "1").body, secret: SNS_KEY.privateKey, timestamp: NOW, headers: [] });
    expect(snsField(v1, "SignatureVersion")).toBe("1");
    expect(sns.verify(v1, [certificate], { now: NOW }).valid).toBe(true);
    // The same signature read as version 2 is a different digest: rejected.
    expect(sns.verify(withSnsField(v1, "SignatureVersion", "2"), [certificate], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
    expect(sns.verify(withSnsField(v1, "SignatureVersion", "3"), [certificate], { now: NOW })).toMatchObject({ reason: "malformed_header" });
  });

  it("signs a SubscriptionConfirmation over its own key list (SubscribeURL and Token)", () => {
    const body = snsMessage({
      Type: "SubscriptionConfirmation",
      MessageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
      Token: "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
      TopicArn: "arn:aws:sns:us-west-2:123456789012:MyTopic",
      Message: "You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:MyTopic.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
      SubscribeURL: "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:MyTopic&Token=2336412f37",
      Timestamp: "2026-11-27T11:00:00.000Z",
    });
    const confirmation = signedRequest(sns, { body, secret: SNS_KEY.privateKey, timestamp: NOW, headers: [] });
    expect(sns.verify(confirmation, [certificate], { now: NOW }).valid).toBe(true);
    expect(sns.verify(withSnsField(confirmation, "Token", "forged"), [certificate], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
    expect(sns.verify(withSnsField(confirmation, "SubscribeURL", "https://evil.example.com/"), [certificate], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
  });

  it("rejects a change to any signed field, and ignores the unsigned ones", () => {
    for (const key of ["Message", "MessageId", "Subject", "Timestamp", "TopicArn"]) {
      expect(sns.verify(withSnsField(signed, key, `${String(snsField(signed, key))}x`), [certificate], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
    }
    // Type changes the key list itself: a Notification read as a confirmation lacks its Token.
    expect(sns.verify(withSnsField(signed, "Type", "UnsubscribeConfirmation"), [certificate], { now: NOW }).valid).toBe(false);
    // UnsubscribeURL is not in the signed list (AWS docs): SNS's own validators accept a changed one too.
    expect(sns.verify(withSnsField(signed, "UnsubscribeURL", "https://sns.eu-west-1.amazonaws.com/?x"), [certificate], { now: NOW }).valid).toBe(true);
  });

  it("forges inside the body for check and replay --tamper: each forgery refused, every other byte kept", () => {
    const forgeries = sns.bodySignature!;
    const text = signed.body.toString("utf8");
    const tampered = forgeries.tamper(signed.body) as Buffer;
    expect(sns.verify({ ...signed, body: tampered }, [certificate], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
    expect(tampered.toString("utf8").replace(/"Signature" : "[^"]*"/, "")).toBe(text.replace(/"Signature" : "[^"]*"/, ""));
    const dropped = forgeries.drop(signed.body) as Buffer;
    expect(snsField({ ...signed, body: dropped }, "Signature")).toBeUndefined();
    expect(sns.verify({ ...signed, body: dropped }, [certificate], { now: NOW })).toMatchObject({ reason: "missing_header" });
    // A signed field changes (the generic forgery would change the last string, UnsubscribeURL, which is not signed).
    const changed = forgeries.tamperSigned(signed.body) as Buffer;
    expect(snsField({ ...signed, body: changed }, "Message")).toBe(`${String(snsField(signed, "Message"))} `);
    expect(sns.verify({ ...signed, body: changed }, [certificate], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
    expect(changed.toString("utf8")).toMatch(/^\{\n {2}"Type" : "Notification",\n/);
    // A body that is not a signed SNS message has nothing to forge.
    expect(forgeries.tamper(NOTIFICATION)).toBeNull();
    expect(forgeries.drop(Buffer.from("not json"))).toBeNull();
  });

  it("enforces the certificate host check offline, whatever key is given", () => {
    const refused = [
      "https://evil.example.com/SimpleNotificationService-1.pem",
      "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem",
      "https://sns.us-east-1.amazonaws.com.evil.com/SimpleNotificationService-1.pem",
      "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.txt",
      "https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-1.pem",
      "https://user@sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem",
    ];
    for (const url of refused) {
      const result = sns.verify(withSnsField(signed, "SigningCertURL", url), [certificate], { now: NOW });
      expect(result).toMatchObject({ valid: false, reason: "malformed_header" });
      expect(result.valid || result.hint).toMatch(/^SigningCertURL refused: /);
    }
    expect(sns.refuseKeyUrl("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-1.pem")).toBeNull();
    expect(sns.refuseKeyUrl("https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-1.pem")).toBeNull();
  });

  it("reports a body that is no SNS message, and a wrong key with the certificate it expected", () => {
    expect(sns.verify({ ...signed, body: Buffer.from("{}") }, [certificate], { now: NOW })).toMatchObject({ reason: "missing_header" });
    expect(sns.verify({ ...signed, body: Buffer.from("not json") }, [certificate], { now: NOW })).toMatchObject({ reason: "missing_header" });
    const wrong = sns.verify(signed, [generateCertificateKey(sns, undefined, rsaTestKeyPair(5)).certificate as string], { now: NOW });
    expect(wrong).toMatchObject({ reason: "no_matching_signature" });
    expect(wrong.valid || wrong.hint).toContain(String(snsField(signed, "SigningCertURL")));
    expect(() => sns.sign({ body: Buffer.from('{"id":1}'), secret: SNS_KEY.privateKey, timestamp: NOW, id: "x", method: "POST", headers: [] })).toThrow(/Type/);
  });
});

describe("circle (ECDSA P-256 SHA-256 by key id)", () => {
  const key = generateCertificateKey(circle);
  const body = '{"subscriptionId":"00000000-0000-0000-0000-000000000000","notificationType":"webhooks.test","notification":{"hello":"wörld"}}';
  const signed = signedRequest(circle, { body, secret: key.privateKey, timestamp: NOW });

  it("signs the raw body, names the key, verifies with the base64 DER public key", () => {
    expect(headerOf(signed, "X-Circle-Key-Id")).toBe(key.keyId);
    expect(verifyBytes("sha256", Buffer.from(body), { key: createPublicKey({ key: Buffer.from(key.publicKey, "base64"), format: "der", type: "spki" }), dsaEncoding: "der" }, Buffer.from(headerOf(signed, "X-Circle-Signature") as string, "base64"))).toBe(true);
    expect(circle.verify(signed, [key.publicKey], { now: NOW })).toEqual({ valid: true, provider: "circle" });
    expect(circle.certificateKeyType).toBe("p256");
  });

  it("rejects a changed body or another key, naming the key id it expected", () => {
    expect(circle.verify({ ...signed, body: flipByte(signed.body, 3) }, [key.publicKey], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
    const other = circle.verify(signed, [generateCertificateKey(circle).publicKey], { now: NOW });
    expect(other.valid || other.hint).toContain(`signed with key id ${key.keyId}`);
    const none = circle.verify(signed, [], { now: NOW });
    expect(none.valid || none.hint).toMatch(new RegExp(`^this delivery was signed with key id ${key.keyId}; pass its public key with --secret`));
    expect(circle.verify(withHeader(signed, "X-Circle-Signature", "not base64!"), [key.publicKey], { now: NOW })).toMatchObject({ reason: "malformed_header" });
    expect(circle.verify(signed, ["not a key"], { now: NOW })).toMatchObject({ reason: "malformed_key" });
  });
});

describe("ebay (ECDSA SHA-1 over the re-serialised JSON, by kid)", () => {
  // eBay/event-notification-nodejs-sdk test/test.json: a signed message, its header and the key the API returns.
  const vectors = JSON.parse(readFileSync(require.resolve("event-notification-nodejs-sdk/test/test.json"), "utf8")) as Record<
    string,
    { signature: string; message: unknown; response: { key: string } }
  >;
  const vector = (name: string): VerifyRequest => {
    const v = vectors[name] as { signature: string; message: unknown };
    // As eBay sends it: pretty JSON on the wire; the SDK verifies JSON.stringify of the parsed body.
    return { method: "POST", url: "/ebay", headers: [["x-ebay-signature", v.signature]], body: Buffer.from(JSON.stringify(v.message, null, 2)) };
  };
  const ebayKey = (vectors.VALID as { response: { key: string } }).response.key;

  it("accepts the SDK's VALID vector with the key in the API's one-line PEM form", () => {
    expect(ebay.verify(vector("VALID"), [ebayKey], { now: NOW })).toEqual({ valid: true, provider: "ebay" });
  });

  it("rejects the SDK's INVALID and SIGNATURE_MISMATCH vectors", () => {
    expect(ebay.verify(vector("INVALID"), [ebayKey], { now: NOW })).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect(ebay.verify(vector("SIGNATURE_MISMATCH"), [ebayKey], { now: NOW })).toMatchObject({ valid: false });
  });

  it("signs {alg, kid, signature, digest} in base64 and round-trips; reports a header that is not that", () => {
    const key = generateCertificateKey(ebay);
    const signed = signedRequest(ebay, { body: JSON.stringify(vectors.VALID?.message, null, 2), secret: key.privateKey, timestamp: NOW });
    const header = JSON.parse(Buffer.from(headerOf(signed, "x-ebay-signature") as string, "base64").toString("utf8")) as Record<string, string>;
    expect(Object.keys(header)).toEqual(["alg", "kid", "signature", "digest"]);
    expect(header).toMatchObject({ alg: "ecdsa", kid: key.keyId, digest: "SHA1" });
    expect(ebay.verify(signed, [key.publicKey], { now: NOW }).valid).toBe(true);
    // The SDK verifies re-serialised JSON: the same JSON written compactly verifies too; a changed value does not.
    expect(ebay.verify({ ...signed, body: Buffer.from(JSON.stringify(vectors.VALID?.message)) }, [key.publicKey], { now: NOW }).valid).toBe(true);
    expect(ebay.verify({ ...signed, body: Buffer.from(signed.body.toString().replace("test_user", "test_usex")) }, [key.publicKey], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
    expect(ebay.verify(withHeader(signed, "x-ebay-signature", Buffer.from("{}").toString("base64")), [key.publicKey], { now: NOW })).toMatchObject({ reason: "malformed_header" });
    expect(ebay.verify({ ...signed, body: Buffer.from("not json") }, [key.publicKey], { now: NOW })).toMatchObject({ reason: "malformed_header" });
  });
});

describe("key names", () => {
  it("are derived from the public key: the same for keygen and sign, different per key", () => {
    const key = generateCertificateKey(circle);
    const names = keyNamesOf(createPublicKey(key.privateKey));
    expect(names.keyId).toBe(key.keyId);
    expect(names.keyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keyNamesOf(createPublicKey(generateCertificateKey(circle).privateKey)).keyId).not.toBe(names.keyId);
  });
});

describe("catalogue entries", () => {
  it("carry their docs, retry schedules and deadlines, none of them checking a delivery's age", () => {
    expect(sns.retry.delaysSec).toEqual([20, 20, 20]);
    expect(sns.retry.docs).toBe("https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.retry.html");
    // 25 attempts in all (https://developer.paypal.com/api/rest/webhooks/: "up to 25 times over the course of 3 days").
    expect(paypal.retry.delaysSec).toHaveLength(24);
    for (const provider of [paypal, sns, circle, ebay]) {
      expect(provider.kind).toBe("certificate");
      expect(provider.toleranceSec).toBeNull();
      // No deadline is published by any of the four: `check` says it is an assumption.
      expect(provider.deadlinePublished).toBeUndefined();
      expect(provider.docs).toMatch(/^https:\/\//);
    }
  });
});
