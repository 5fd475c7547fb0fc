// Cross-checks of the senders that follow Standard Webhooks under their own name, each with its own SDK's verifier:
// Polar (@polar-sh/sdk `validateEvent`: the key is the secret's UTF-8 bytes), Lithic (`lithic` webhooks.verifySignature),
// OpenAI (`openai` webhooks.verifySignature: base64 after whsec_, else UTF-8) and Replicate (`validateWebhook`, with
// the vector of replicate-javascript's index.test.ts). SDKs that read Date.now() get a frozen clock.
import { webcrypto } from "node:crypto";
import { validateEvent, WebhookVerificationError } from "@polar-sh/sdk/webhooks";
import Lithic from "lithic";
import OpenAI from "openai";
import { validateWebhook } from "replicate";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, freezeClockAt, headerRecord, headerValue, jsonBody, requireProvider, sdkAccepts, signRequest, useFrozenClock, verifyOurs } from "./helpers.js";

const T = 1_795_777_200;
/** Node's WebCrypto, which validateWebhook asks for on Node < 20 and accepts on 20. */
const CRYPTO = webcrypto as unknown as Parameters<typeof validateWebhook>[1];
const ID = "msg_2Lh9KRbcyy2yNw7D8xkl1GAcaNd";

/**
 * Whether validateEvent got past the signature: it throws WebhookVerificationError for a signature it refuses, and
 * only then parses the event against Polar's schemas (whose version drift is not what this file checks).
 */
function signatureAccepted(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    return !(error instanceof WebhookVerificationError);
  }
}

describe("polar × @polar-sh/sdk validateEvent", () => {
  const provider = requireProvider("polar");
  const SECRET = "polar_whs_hooktapeTestOnlySecret0123456789";
  useFrozenClock();
  // validateEvent also parses the event against Polar's schemas: a real `customer.created` shape.
  const body = jsonBody({
    type: "customer.created",
    timestamp: "2026-11-27T11:00:00.000Z",
    data: {
      id: "5b1c1d6e-0c5f-4a8e-9f4e-3f3b8c3c2b1a",
      created_at: "2026-11-27T11:00:00.000Z",
      modified_at: null,
      metadata: {},
      external_id: null,
      email: "zoe@example.com",
      email_verified: true,
      name: "Zoë Müller",
      billing_address: null,
      tax_id: null,
      organization_id: "7a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b",
      deleted_at: null,
      avatar_url: "https://www.gravatar.com/avatar/x",
    },
  });
  const text = body.toString("utf8");

  it("our webhook-* headers pass validateEvent's signature check, and a flipped byte or another secret fails it and ours", () => {
    freezeClockAt(T + 5);
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T, id: ID });
    expect(signatureAccepted(() => validateEvent(text, headerRecord(request.headers), SECRET))).toBe(true);
    const tampered = flipByte(body, "5b1c");
    expect(signatureAccepted(() => validateEvent(tampered.toString("utf8"), headerRecord(request.headers), SECRET))).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 5)).toMatchObject({ reason: "no_matching_signature" });
    expect(signatureAccepted(() => validateEvent(text, headerRecord(request.headers), `${SECRET}x`))).toBe(false);
    expect(verifyOurs(provider, request, `${SECRET}x`, T + 5)).toMatchObject({ reason: "no_matching_signature" });
  });

  it("a signature made the way Polar signs (standardwebhooks over base64 of the UTF-8 secret) verifies with ours", () => {
    const signature = new Webhook(Buffer.from(SECRET).toString("base64")).sign(ID, new Date(T * 1000), text);
    const headers: HeaderPairs = [["webhook-id", ID], ["webhook-timestamp", String(T)], ["webhook-signature", signature]];
    expect(verifyOurs(provider, { method: "POST", url: "/webhooks", headers, body }, SECRET, T + 5)).toEqual({ valid: true, provider: "polar", signedAt: T });
  });
});

describe("lithic × lithic webhooks.verifySignature", () => {
  const provider = requireProvider("lithic");
  const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const client = new Lithic({ apiKey: "test", webhookSecret: SECRET });
  useFrozenClock();
  const body = jsonBody({ event_type: "card.created", payload: { token: "7ef7d65c-9023-4da3-b113-3b8583fd7951", memo: "Café" } });
  const text = body.toString("utf8");

  it("ours passes the SDK; the SDK's signer (standardwebhooks) passes ours; a flipped byte and a stale timestamp fail both", async () => {
    freezeClockAt(T + 5);
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T, id: ID });
    expect(() => client.webhooks.verifySignature(text, headerRecord(request.headers), SECRET)).not.toThrow();
    const headers: HeaderPairs = [["webhook-id", ID], ["webhook-timestamp", String(T)], ["webhook-signature", new Webhook(SECRET).sign(ID, new Date(T * 1000), text)]];
    expect(verifyOurs(provider, { method: "POST", url: "/", headers, body }, SECRET, T + 5).valid).toBe(true);
    const tampered = flipByte(body, "7ef7");
    expect((await sdkAccepts(() => client.webhooks.verifySignature(tampered.toString("utf8"), headerRecord(request.headers), SECRET))).ok).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 5)).toMatchObject({ reason: "no_matching_signature" });
    freezeClockAt(T + 301);
    expect((await sdkAccepts(() => client.webhooks.verifySignature(text, headerRecord(request.headers), SECRET))).ok).toBe(false);
    expect(verifyOurs(provider, request, SECRET, T + 301)).toMatchObject({ reason: "timestamp_too_old" });
  });
});

describe("openai × openai webhooks.verifySignature", () => {
  const provider = requireProvider("openai");
  const client = new OpenAI({ apiKey: "test" });
  useFrozenClock();
  const body = jsonBody({ id: "evt_685343a1381c819085d44c354e1b330e", type: "response.completed", created_at: T, data: { id: "resp_abc", note: "naïve" } });
  const text = body.toString("utf8");

  it.each([
    ["a whsec_ secret (base64 key)", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    ["a plain secret (UTF-8 key)", "hooktape plain secret"],
  ])("with %s: ours passes the SDK; a flipped byte, another secret, and ±301 s fail both", async (_label, secret) => {
    freezeClockAt(T + 5);
    const { request } = signRequest(provider, { body, secret, timestamp: T, id: ID });
    expect(await sdkAccepts(() => client.webhooks.verifySignature(text, headerRecord(request.headers), secret))).toEqual({ ok: true });
    const tampered = flipByte(body, "resp_abc");
    expect((await sdkAccepts(() => client.webhooks.verifySignature(tampered.toString("utf8"), headerRecord(request.headers), secret))).ok).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, secret, T + 5)).toMatchObject({ reason: "no_matching_signature" });
    expect((await sdkAccepts(() => client.webhooks.verifySignature(text, headerRecord(request.headers), "whsec_ZmFrZQ=="))).ok).toBe(false);
    expect(verifyOurs(provider, request, "whsec_ZmFrZQ==", T + 5)).toMatchObject({ reason: "no_matching_signature" });
    freezeClockAt(T + 301);
    expect((await sdkAccepts(() => client.webhooks.verifySignature(text, headerRecord(request.headers), secret))).ok).toBe(false);
    expect(verifyOurs(provider, request, secret, T + 301)).toMatchObject({ reason: "timestamp_too_old" });
    freezeClockAt(T - 301);
    expect((await sdkAccepts(() => client.webhooks.verifySignature(text, headerRecord(request.headers), secret))).ok).toBe(false);
    expect(verifyOurs(provider, request, secret, T - 301)).toMatchObject({ reason: "timestamp_too_new" });
  });
});

describe("replicate × replicate validateWebhook", () => {
  const provider = requireProvider("replicate");
  // replicate-javascript index.test.ts: the vector its validateWebhook tests accept.
  const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const VECTOR = { id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", body: `{"test": 2432232314}`, signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" };

  it("the SDK's published vector verifies with the SDK and with ours", async () => {
    expect(await validateWebhook({ ...VECTOR, secret: SECRET }, CRYPTO)).toBe(true);
    const headers: HeaderPairs = [["webhook-id", VECTOR.id], ["webhook-timestamp", VECTOR.timestamp], ["webhook-signature", VECTOR.signature]];
    expect(verifyOurs(provider, { method: "POST", url: "/", headers, body: Buffer.from(VECTOR.body) }, SECRET, Number(VECTOR.timestamp) + 5)).toEqual({
      valid: true,
      provider: "replicate",
      signedAt: Number(VECTOR.timestamp),
    });
  });

  it("ours passes validateWebhook; a flipped byte or another secret fails both", async () => {
    const body = jsonBody({ id: "ufawqhfynnddngldkgtslldrkq", status: "succeeded", output: ["https://replicate.delivery/x.png"], input: { prompt: "un café" } });
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T, id: ID });
    const data = (b: Buffer, secret: string) => ({
      id: headerValue(request.headers, "webhook-id"),
      timestamp: headerValue(request.headers, "webhook-timestamp"),
      signature: headerValue(request.headers, "webhook-signature"),
      body: b.toString("utf8"),
      secret,
    });
    expect(await validateWebhook(data(body, SECRET), CRYPTO)).toBe(true);
    const tampered = flipByte(body, "ufaw");
    expect(await validateWebhook(data(tampered, SECRET), CRYPTO)).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T)).toMatchObject({ reason: "no_matching_signature" });
    expect(await validateWebhook(data(body, "whsec_ZmFrZQ=="), CRYPTO)).toBe(false);
    expect(verifyOurs(provider, request, "whsec_ZmFrZQ==", T)).toMatchObject({ reason: "no_matching_signature" });
  });
});
