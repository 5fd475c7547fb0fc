// Cross-checks of the certificate family with the official verifiers:
// - Amazon SNS with aws/aws-js-sns-message-validator (`sns-validator`): it refuses a certificate URL off
//   sns.<region>.amazonaws.com, fetches the PEM with https.get, and verifies SHA1withRSA / SHA256withRSA over its
//   canonical string. As in its own tests, the fetch is the stand-in: https.get is routed to a loopback server that
//   serves the certificate `hooktape keygen` made, and records which URL the validator asked for. The SDK cannot
//   sign, so the other direction is AWS's documented canonical string, built by hand in test/providers.
// - eBay with eBay/event-notification-nodejs-sdk (lib/validator.js): its published vector (test/test.json) through
//   ours, and our signatures through its validator, whose key lookup (an OAuth call and the Notification API) is
//   the stand-in, returning the key in the API's one-line PEM form.
// PayPal's Node SDK (paypal-rest-sdk) verifies only by calling PayPal's API, and Circle publishes no verifier:
// they are checked against their documented algorithms in test/providers/certificate.test.ts.
import http from "node:http";
import https from "node:https";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateCertificateKey } from "../../src/providers/schemes/certificate.js";
import { ebay } from "../../src/providers/ebay.js";
import { sns, snsJson } from "../../src/providers/sns.js";
import { serveOnLoopback, type Served } from "../helpers/target-server.js";
import { headerValue } from "./helpers.js";
import { signedRequest } from "../providers/helpers.js";
import { rsaTestKeyPair } from "../helpers/test-keys.js";

const require = createRequire(import.meta.url);
const T = 1_795_777_200;

type SnsCallback = (error: Error | null, message?: unknown) => void;
const MessageValidator = require("sns-validator") as new () => { validate(message: string | object, cb: SnsCallback): void };

function snsValidates(body: Buffer): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => {
    new MessageValidator().validate(body.toString("utf8"), (error) => resolve(error ? { ok: false, error: error.message } : { ok: true }));
  });
}

describe("sns: our signatures through sns-validator, its certificate fetch on loopback", () => {
  // A key of this file's own, not the shared pool's: sns-validator keeps the certificates it fetched, by URL (which
  // names the key), for the life of the process, and this file checks that it fetches.
  const key = generateCertificateKey(sns);
  const stranger = generateCertificateKey(sns, undefined, rsaTestKeyPair(5));
  const asked: string[] = [];
  let server: Served;

  beforeAll(async () => {
    server = await serveOnLoopback(
      http.createServer((req, res) => {
        asked.push(`https://${req.headers.host ?? ""}${req.url ?? ""}`);
        res.writeHead(200, { "content-type": "application/x-pem-file" }).end(key.certificate);
      }),
    );
    // The network stand-in: whatever https URL the validator fetches is served by the loopback server, the host kept.
    vi.spyOn(https, "get").mockImplementation(((url: string, callback: (res: http.IncomingMessage) => void) => {
      const target = new URL(url);
      return http.get({ host: "127.0.0.1", port: server.port, path: target.pathname, headers: { host: target.host } }, callback);
    }) as unknown as typeof https.get);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await server.close();
  });

  const notification = (extra: Record<string, string> = {}) =>
    Buffer.from(
      snsJson({
        Type: "Notification",
        MessageId: "da41e39f-ea4d-435a-b922-c6aae3915ebe",
        TopicArn: "arn:aws:sns:eu-west-1:123456789012:orders",
        Subject: "Commande reçue — Zoë",
        Message: JSON.stringify({ order: 7, note: "café crème", total: "€4.20" }),
        Timestamp: "2026-11-27T11:00:00.000Z",
        UnsubscribeURL: "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:eu-west-1:123456789012:orders:1",
        ...extra,
      }),
    );

  it("accepts a Notification signed with SignatureVersion 2 and 1, fetching the certificate the message names", async () => {
    for (const version of ["2", "1"]) {
      const signed = signedRequest(sns, { body: notification({ SignatureVersion: version }), secret: key.privateKey, timestamp: T, headers: [] });
      expect(await snsValidates(signed.body)).toEqual({ ok: true });
      const certUrl = (JSON.parse(signed.body.toString()) as { SigningCertURL: string }).SigningCertURL;
      expect(asked).toContain(certUrl);
      expect(sns.verify(signed, [key.certificate as string], { now: T }).valid).toBe(true);
    }
  });

  it("accepts a SubscriptionConfirmation (its key list has SubscribeURL and Token)", async () => {
    const body = Buffer.from(
      snsJson({
        Type: "SubscriptionConfirmation",
        MessageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
        Token: "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
        TopicArn: "arn:aws:sns:eu-west-1:123456789012:orders",
        Message: "You have chosen to subscribe to the topic arn:aws:sns:eu-west-1:123456789012:orders.",
        SubscribeURL: "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=2336412f37",
        Timestamp: "2026-11-27T11:00:00.000Z",
      }),
    );
    const signed = signedRequest(sns, { body, secret: key.privateKey, timestamp: T, headers: [] });
    expect(await snsValidates(signed.body)).toEqual({ ok: true });
    expect(sns.verify(signed, [key.certificate as string], { now: T }).valid).toBe(true);
  });

  it("both refuse the same forgeries: a changed Message, another signer, a certificate off AWS's hosts", async () => {
    const signed = signedRequest(sns, { body: notification(), secret: key.privateKey, timestamp: T, headers: [] });
    const message = JSON.parse(signed.body.toString()) as Record<string, string>;
    const changed = Buffer.from(snsJson({ ...message, Message: message.Message?.replace("7", "8") ?? "" }));
    expect((await snsValidates(changed)).ok).toBe(false);
    expect(sns.verify({ ...signed, body: changed }, [key.certificate as string], { now: T }).valid).toBe(false);

    // Signed by someone else under the same certificate URL: the validator fetches our certificate and refuses.
    const forged = signedRequest(sns, { body: notification(), secret: stranger.privateKey, timestamp: T, headers: [] });
    const forgedMessage = JSON.parse(forged.body.toString()) as Record<string, string>;
    const sameUrl = Buffer.from(snsJson({ ...forgedMessage, SigningCertURL: message.SigningCertURL ?? "" }));
    expect(await snsValidates(sameUrl)).toEqual({ ok: false, error: "The message signature is invalid." });
    expect(sns.verify({ ...forged, body: sameUrl }, [key.certificate as string], { now: T })).toMatchObject({ reason: "no_matching_signature" });

    const offHost = Buffer.from(snsJson({ ...message, SigningCertURL: "https://evil.example.com/SimpleNotificationService-1.pem" }));
    expect(await snsValidates(offHost)).toEqual({ ok: false, error: "The certificate is located on an invalid domain." });
    expect(sns.verify({ ...signed, body: offHost }, [key.certificate as string], { now: T })).toMatchObject({ reason: "malformed_header" });
  });
});

interface EbayVector {
  signature: string;
  message: unknown;
  response: { key: string; algorithm: string; digest: string };
}

describe("ebay: event-notification-nodejs-sdk's validator, both directions", () => {
  const vectors = JSON.parse(readFileSync(require.resolve("event-notification-nodejs-sdk/test/test.json"), "utf8")) as Record<string, EbayVector>;
  const client = require("event-notification-nodejs-sdk/lib/client.js") as { getPublicKey: (kid: string, config: unknown) => Promise<unknown> };
  const validator = require("event-notification-nodejs-sdk/lib/validator.js") as {
    validateSignature(message: unknown, signature: string, config: unknown): Promise<boolean>;
  };
  const keys = new Map<string, EbayVector["response"]>();
  const looked: string[] = [];
  const realLookup = client.getPublicKey;

  beforeAll(() => {
    // The network stand-in: eBay's OAuth + Notification API lookup answers from this table, as the API would.
    client.getPublicKey = async (kid) => {
      looked.push(kid);
      const found = keys.get(kid);
      if (found === undefined) throw new Error(`Public key retrieval failed with 404 for ${kid}`);
      return found;
    };
  });
  afterAll(() => {
    client.getPublicKey = realLookup;
  });

  /** The one-line PEM eBay's API returns. */
  const apiForm = (base64: string) => `-----BEGIN PUBLIC KEY-----${base64}-----END PUBLIC KEY-----`;

  it("its VALID vector verifies with ours and with it; its INVALID one with neither", async () => {
    const valid = vectors.VALID as EbayVector;
    const kid = (JSON.parse(Buffer.from(valid.signature, "base64").toString()) as { kid: string }).kid;
    keys.set(kid, valid.response);
    expect(await validator.validateSignature(valid.message, valid.signature, {})).toBe(true);
    const request = { method: "POST", url: "/", headers: [["X-EBAY-SIGNATURE", valid.signature]] as Array<[string, string]>, body: Buffer.from(JSON.stringify(valid.message)) };
    expect(ebay.verify(request, [valid.response.key], { now: T }).valid).toBe(true);
    const invalid = vectors.INVALID as EbayVector;
    expect(await validator.validateSignature(invalid.message, invalid.signature, {})).toBe(false);
    expect(ebay.verify({ ...request, body: Buffer.from(JSON.stringify(invalid.message)) }, [invalid.response.key], { now: T }).valid).toBe(false);
  });

  it("accepts our signature (pretty JSON on the wire, as express.json hands it to the SDK) and looks up our key id", async () => {
    const key = generateCertificateKey(ebay);
    keys.set(key.keyId, { key: apiForm(key.publicKey), algorithm: "ECDSA", digest: "SHA1" });
    const message = {
      metadata: { topic: "MARKETPLACE_ACCOUNT_DELETION", schemaVersion: "1.0", deprecated: false },
      notification: {
        notificationId: "49feeaeb-4982-42d9-a377-9645b8479411_33f7e043-fed8-442b-9d44-791923bd9a6d",
        eventDate: "2026-11-27T11:00:00.000Z",
        publishDate: "2026-11-27T11:00:00.210Z",
        publishAttemptCount: 1,
        data: { username: "zoë_test", userId: "ma8vp1jySJC", eiasToken: "nY+sHZ2PrBmdj6wVnY+sEZ2PrA2dj6wJnY+gAZGEpwmdj6x9nY+seQ==" },
      },
    };
    const signed = signedRequest(ebay, { body: JSON.stringify(message, null, 2), secret: key.privateKey, timestamp: T });
    const header = headerValue(signed.headers, "x-ebay-signature");
    expect(await validator.validateSignature(JSON.parse(signed.body.toString()), header, {})).toBe(true);
    expect(looked).toContain(key.keyId);
    // A changed field: both refuse.
    const changed = { ...message, notification: { ...message.notification, data: { ...message.notification.data, userId: "someone-else" } } };
    expect(await validator.validateSignature(changed, header, {})).toBe(false);
    expect(ebay.verify({ ...signed, body: Buffer.from(JSON.stringify(changed)) }, [apiForm(key.publicKey)], { now: T }).valid).toBe(false);
  });
});
