// Property cross-checks: for arbitrary bodies (any Unicode text, including astral characters and JSON-hostile
// bytes), our signature verifies with the official SDK and the SDK's (or the documented procedure's) signature
// verifies with ours. The fixed-input tests next to this file cover the rejections; this file looks for a body
// on which the two sides compute different bytes (encoding, normalisation, separators).
import { createHmac, generateKeyPairSync } from "node:crypto";
import { sign as octokitSign, verify as octokitVerify } from "@octokit/webhooks-methods";
import { Signature } from "@hubspot/api-client/lib/src/utils/signature.js";
import { Mux } from "@mux/mux-node";
import { Environment, Paddle } from "@paddle/paddle-node-sdk";
import { EventWebhook } from "@sendgrid/eventwebhook";
import { verifyKey } from "discord-interactions";
import { validateSignature as lineValidate } from "@line/bot-sdk";
import { getHmac as shopifyHmac } from "@shopify/shopify-api/test-helpers";
import { verifySlackRequest } from "@slack/bolt/dist/receivers/verify-request.js";
import fc from "fast-check";
import { validateWebhookSignature as razorpayValidate } from "razorpay/dist/utils/razorpay-utils.js";
import { WebhooksHelper } from "square";
import { Webhook as StandardWebhook } from "standardwebhooks";
import Stripe from "stripe";
import { Webhook as SvixWebhook } from "svix/dist/webhook.js";
import * as twilioSdk from "twilio/lib/webhooks/webhooks.js";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { freezeClockAt, headerRecord, headerValue, requireProvider, signRequest, useFrozenClock, verifyOurs } from "./helpers.js";

const T = 1_795_777_200;
const RUNS = { numRuns: 60 };
const stripeSdk = new Stripe("sk_test_hooktape_property");

/** Non-empty Unicode text (grapheme clusters: no lone surrogates, so every SDK sees the same UTF-8 bytes). */
const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 });
/** A secret as users paste them: printable ASCII. */
const secret = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 8, maxLength: 40 });

function req(headers: HeaderPairs, body: Buffer, url = "/webhooks") {
  return { method: "POST", url, headers, body };
}

describe("property: our signatures and the SDKs' agree on arbitrary bodies", () => {
  useFrozenClock();

  it("stripe ⇄ stripe-node", () => {
    const provider = requireProvider("stripe");
    // constructEvent would also JSON.parse the body; verifyHeader is the check it runs first, on the raw bytes.
    const stripeSignature = stripeSdk.webhooks.signature;
    if (stripeSignature === null) throw new Error("stripe-node has no signature helper");
    fc.assert(
      fc.property(text, secret, (body, key) => {
        const bytes = Buffer.from(body);
        const ours = headerValue(signRequest(provider, { body: bytes, secret: key, timestamp: T }).request.headers, "stripe-signature");
        const theirs = stripeSdk.webhooks.generateTestHeaderString({ payload: body, secret: key, timestamp: T });
        expect(ours).toBe(theirs);
        expect(stripeSignature.verifyHeader(bytes, ours, key, 300, undefined, T * 1000)).toBe(true);
        expect(verifyOurs(provider, req([["Stripe-Signature", theirs]], bytes), key, T).valid).toBe(true);
      }),
      RUNS,
    );
  });

  it("github ⇄ @octokit/webhooks-methods", async () => {
    const provider = requireProvider("github");
    await fc.assert(
      fc.asyncProperty(text, secret, async (body, key) => {
        const bytes = Buffer.from(body);
        const ours = headerValue(signRequest(provider, { body: bytes, secret: key, timestamp: T }).request.headers, "x-hub-signature-256");
        expect(await octokitVerify(key, body, ours)).toBe(true);
        const theirs = await octokitSign(key, body);
        expect(verifyOurs(provider, req([["X-GitHub-Event", "push"], ["X-Hub-Signature-256", theirs]], bytes), key, T).valid).toBe(true);
      }),
      RUNS,
    );
  });

  it("standard-webhooks ⇄ standardwebhooks and svix ⇄ svix, with arbitrary message ids", () => {
    const sw = requireProvider("standard-webhooks");
    const svix = requireProvider("svix");
    const key = fc.uint8Array({ minLength: 16, maxLength: 48 }).map((b) => `whsec_${Buffer.from(b).toString("base64")}`);
    const msgId = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"), minLength: 1, maxLength: 40 });
    freezeClockAt(T);
    fc.assert(
      fc.property(text, key, msgId, (body, whsec, id) => {
        const bytes = Buffer.from(body);
        const ours = signRequest(sw, { body: bytes, secret: whsec, timestamp: T, id }).request.headers;
        expect(() => new StandardWebhook(whsec).verify(body, headerRecord(ours), { jsonParse: false })).not.toThrow();
        const theirs = new StandardWebhook(whsec).sign(id, new Date(T * 1000), body);
        expect(headerValue(ours, "webhook-signature")).toBe(theirs);
        const svixOurs = signRequest(svix, { body: bytes, secret: whsec, timestamp: T, id }).request.headers;
        expect(headerValue(svixOurs, "svix-signature")).toBe(new SvixWebhook(whsec).sign(id, new Date(T * 1000), body));
        const back: HeaderPairs = [["svix-id", id], ["svix-timestamp", String(T)], ["svix-signature", theirs]];
        expect(verifyOurs(svix, req(back, bytes), whsec, T).valid).toBe(true);
      }),
      RUNS,
    );
  });

  it("slack ⇄ @slack/bolt (documented procedure on the signing side)", () => {
    const provider = requireProvider("slack");
    fc.assert(
      fc.property(text, secret, (body, key) => {
        const bytes = Buffer.from(body);
        const ours = signRequest(provider, { body: bytes, secret: key, timestamp: T }).request.headers;
        expect(() =>
          verifySlackRequest({
            signingSecret: key,
            body,
            headers: { "x-slack-signature": headerValue(ours, "x-slack-signature"), "x-slack-request-timestamp": T },
            nowMilliseconds: T * 1000,
          }),
        ).not.toThrow();
        const theirs = `v0=${createHmac("sha256", key).update(`v0:${T}:${body}`).digest("hex")}`;
        expect(verifyOurs(provider, req([["X-Slack-Request-Timestamp", String(T)], ["X-Slack-Signature", theirs]], bytes), key, T).valid).toBe(true);
      }),
      RUNS,
    );
  });

  it("shopify ⇄ @shopify/shopify-api getHmac, line ⇄ validateSignature, razorpay ⇄ validateWebhookSignature", () => {
    const shopify = requireProvider("shopify");
    const line = requireProvider("line");
    const razorpay = requireProvider("razorpay");
    fc.assert(
      fc.property(text, secret, (body, key) => {
        const bytes = Buffer.from(body);
        expect(headerValue(signRequest(shopify, { body: bytes, secret: key, timestamp: T }).request.headers, "x-shopify-hmac-sha256")).toBe(shopifyHmac(body, key));
        const lineSig = headerValue(signRequest(line, { body: bytes, secret: key, timestamp: T }).request.headers, "x-line-signature");
        expect(lineValidate(body, key, lineSig)).toBe(true);
        const rzpSig = headerValue(signRequest(razorpay, { body: bytes, secret: key, timestamp: T }).request.headers, "x-razorpay-signature");
        expect(razorpayValidate(body, rzpSig, key)).toBe(true);
        expect(verifyOurs(shopify, req([["X-Shopify-Hmac-Sha256", shopifyHmac(body, key)]], bytes), key, T).valid).toBe(true);
      }),
      RUNS,
    );
  });

  it("square ⇄ WebhooksHelper.verifySignature and hubspot ⇄ Signature (v3), over arbitrary URL paths", async () => {
    const square = requireProvider("square");
    const hubspot = requireProvider("hubspot");
    const segment = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-_.~"), minLength: 1, maxLength: 12 });
    freezeClockAt(T);
    await fc.assert(
      fc.asyncProperty(text, secret, fc.array(segment, { minLength: 1, maxLength: 4 }), async (body, key, path) => {
        const bytes = Buffer.from(body);
        const url = `https://hooks.example.com/${path.join("/")}?q=1`;
        const sq = signRequest(square, { body: bytes, secret: key, timestamp: T, url }).request.headers;
        const sqOk = await WebhooksHelper.verifySignature({
          requestBody: body,
          signatureHeader: headerValue(sq, "x-square-hmacsha256-signature"),
          signatureKey: key,
          notificationUrl: url,
        });
        expect(sqOk).toBe(true);
        const hs = signRequest(hubspot, { body: bytes, secret: key, timestamp: T, url }).request.headers;
        const options = { signatureVersion: "v3", method: "POST", clientSecret: key, requestBody: body, url, timestamp: T * 1000 };
        expect(Signature.isValid({ ...options, signature: headerValue(hs, "x-hubspot-signature-v3") })).toBe(true);
        const theirs = Signature.getSignature("POST", "v3", { ...options, signature: "" });
        const back: HeaderPairs = [["X-HubSpot-Signature-v3", theirs], ["X-HubSpot-Request-Timestamp", String(T * 1000)]];
        expect(verifyOurs(hubspot, req(back, bytes), key, T, url).valid).toBe(true);
      }),
      RUNS,
    );
  });

  it("twilio ⇄ twilio-node on arbitrary form fields (repeats included) and arbitrary JSON bodies", () => {
    const provider = requireProvider("twilio");
    const url = "https://hooks.example.com/twilio?x=1";
    const name = fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }).filter((n) => n !== "__proto__");
    const fields = fc
      .tuple(fc.array(fc.tuple(name, fc.string({ unit: "grapheme", maxLength: 20 })), { minLength: 1, maxLength: 8 }), fc.nat(3))
      .map(([list, repeat]) => [...list, ...list.slice(0, repeat)]);
    fc.assert(
      fc.property(fields, secret, (list, key) => {
        const body = Buffer.from(new URLSearchParams(list).toString());
        // A Map, not `{}`: a field may be named `constructor` or `toString`.
        const grouped = new Map<string, string[]>();
        for (const [n, v] of new URLSearchParams(body.toString())) grouped.set(n, [...(grouped.get(n) ?? []), v]);
        const params = Object.fromEntries([...grouped].map(([n, vs]) => [n, vs.length === 1 ? (vs[0] ?? "") : vs]));
        const form: HeaderPairs = [["content-type", "application/x-www-form-urlencoded"]];
        const ours = headerValue(signRequest(provider, { body, secret: key, timestamp: T, url, headers: form }).request.headers, "x-twilio-signature");
        expect(twilioSdk.validateRequest(key, ours, url, params)).toBe(true);
        const theirs = twilioSdk.getExpectedTwilioSignature(key, url, params);
        expect(verifyOurs(provider, req([...form, ["X-Twilio-Signature", theirs]], body, url), key, T).valid).toBe(true);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.jsonValue(), secret, (value, key) => {
        const body = Buffer.from(JSON.stringify(value) ?? "null");
        const { request, signed } = signRequest(provider, { body, secret: key, timestamp: T, url, headers: [["content-type", "application/json"]] });
        expect(twilioSdk.validateRequestWithBody(key, headerValue(request.headers, "x-twilio-signature"), signed.url ?? "", body.toString())).toBe(true);
      }),
      RUNS,
    );
  });

  it("twilio ⇄ twilio-node on arbitrary query strings in the signed URL", () => {
    const provider = requireProvider("twilio");
    const body = Buffer.from("CallSid=CA1&From=%2B14155550100");
    const params = { CallSid: "CA1", From: "+14155550100" };
    const queryChar = fc.constantFrom(..."abcXYZ019-._~!$'()*,;:@/? +%&=é✓");
    const query = fc.string({ unit: queryChar, maxLength: 24 });
    fc.assert(
      fc.property(query, secret, (q, key) => {
        const url = `https://hooks.example.com/voice${q === "" ? "" : `?${q}`}`;
        const form: HeaderPairs = [["content-type", "application/x-www-form-urlencoded"]];
        const theirs = twilioSdk.getExpectedTwilioSignature(key, url, params);
        expect(verifyOurs(provider, req([...form, ["X-Twilio-Signature", theirs]], body, url), key, T).valid).toBe(true);
        const ours = headerValue(signRequest(provider, { body, secret: key, timestamp: T, url, headers: form }).request.headers, "x-twilio-signature");
        expect(twilioSdk.validateRequest(key, ours, url, params)).toBe(true);
      }),
      RUNS,
    );
  });

  it("paddle ⇄ @paddle/paddle-node-sdk and mux ⇄ @mux/mux-node", async () => {
    const paddle = requireProvider("paddle");
    const mux = requireProvider("mux");
    const paddleSdk = new Paddle("pdl_sdbx_apikey_hooktape_property", { environment: Environment.sandbox }).webhooks;
    const muxSdk = new Mux({ tokenId: "t", tokenSecret: "s", webhookSecret: null }).webhooks;
    freezeClockAt(T);
    await fc.assert(
      fc.asyncProperty(text, secret, async (body, key) => {
        const bytes = Buffer.from(body);
        const p = headerValue(signRequest(paddle, { body: bytes, secret: key, timestamp: T }).request.headers, "paddle-signature");
        expect(await paddleSdk.isSignatureValid(body, key, p)).toBe(true);
        const m = signRequest(mux, { body: bytes, secret: key, timestamp: T }).request.headers;
        await expect(muxSdk.verifySignature(body, headerRecord(m), key)).resolves.toBeUndefined();
      }),
      RUNS,
    );
  });

  it("discord ⇄ discord-interactions and sendgrid ⇄ @sendgrid/eventwebhook (starkbank-ecdsa)", async () => {
    const discord = requireProvider("discord");
    const sendgrid = requireProvider("sendgrid");
    const ed = generateKeyPairSync("ed25519");
    const edPrivate = ed.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const edPublic = Buffer.from(ed.publicKey.export({ format: "jwk" }).x ?? "", "base64url").toString("hex");
    const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const ecPrivate = ec.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const ecPublic = ec.publicKey.export({ format: "der", type: "spki" }).toString("base64");
    const ew = new EventWebhook();
    const sgKey = ew.convertPublicKeyToECDSA(ecPublic);
    await fc.assert(
      fc.asyncProperty(text, async (body) => {
        const bytes = Buffer.from(body);
        const d = signRequest(discord, { body: bytes, secret: edPrivate, timestamp: T }).request.headers;
        expect(await verifyKey(bytes, headerValue(d, "x-signature-ed25519"), headerValue(d, "x-signature-timestamp"), edPublic)).toBe(true);
        const g = signRequest(sendgrid, { body: bytes, secret: ecPrivate, timestamp: T }).request.headers;
        const ok = ew.verifySignature(sgKey, body, headerValue(g, "x-twilio-email-event-webhook-signature"), headerValue(g, "x-twilio-email-event-webhook-timestamp"));
        expect(ok).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});
