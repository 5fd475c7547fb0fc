// Cross-check of our `standard-webhooks` scheme with the reference `standardwebhooks` library
// (`Webhook.sign`, `Webhook.verify`), which reads the clock through Date.now(): the tests freeze it.
// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import {
  flipByte,
  freezeClockAt,
  headerRecord,
  headerValue,
  jsonBody,
  requireProvider,
  sdkAccepts,
  signRequest,
  useFrozenClock,
  verifyOurs,
  withHeader,
} from "./helpers.js";

// The vector shared by the Standard Webhooks libraries' own tests.
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1_614_265_330,
  payload: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const OTHER_SECRET = "whsec_ZmFrZV9vdGhlcl9zZWNyZXRfZm9yX2hvb2t0YXBl";
const T = 1_795_777_200;
const ID = "msg_2Lh9KRbcyy2yNw7D8xkl1GAcaNd";
const BODY = jsonBody({ type: "invoice.paid", data: { id: "inv_42", customer: "Zoë Ångström", total: 4200 } });

function swRequest(headers: HeaderPairs, body: Buffer) {
  return { method: "POST", url: "/webhooks", headers, body };
}

describe("standard-webhooks × standardwebhooks (Webhook.sign / Webhook.verify)", () => {
  const provider = requireProvider("standard-webhooks");
  useFrozenClock();

  it("the shared test vector verifies with both", () => {
    freezeClockAt(VECTOR.timestamp);
    const headers: HeaderPairs = [
      ["webhook-id", VECTOR.id],
      ["webhook-timestamp", String(VECTOR.timestamp)],
      ["webhook-signature", VECTOR.signature],
    ];
    expect(new Webhook(VECTOR.secret).verify(VECTOR.payload, headerRecord(headers))).toEqual({ test: 2432232314 });
    const ours = verifyOurs(provider, swRequest(headers, Buffer.from(VECTOR.payload)), VECTOR.secret, VECTOR.timestamp);
    expect(ours).toMatchObject({ valid: true, provider: "standard-webhooks" });
  });

  it("our headers (webhook-id, -timestamp, -signature) verify with the library", () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, id: ID });
    expect(headerValue(request.headers, "webhook-id")).toBe(ID);
    expect(headerValue(request.headers, "webhook-timestamp")).toBe(String(T));
    const payload = new Webhook(SECRET).verify(BODY.toString("utf8"), headerRecord(request.headers));
    expect(payload).toEqual(JSON.parse(BODY.toString("utf8")));
  });

  it("the library's sign() verifies with ours and equals our signature", () => {
    const theirs = new Webhook(SECRET).sign(ID, new Date(T * 1000), BODY.toString("utf8"));
    const headers: HeaderPairs = [
      ["webhook-id", ID],
      ["webhook-timestamp", String(T)],
      ["webhook-signature", theirs],
    ];
    expect(verifyOurs(provider, swRequest(headers, BODY), SECRET, T + 10)).toEqual({ valid: true, provider: "standard-webhooks", signedAt: T });
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, id: ID });
    expect(headerValue(request.headers, "webhook-signature")).toBe(theirs);
  });

  it("a flipped body byte is rejected by both", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, id: ID });
    const tampered = flipByte(BODY, "inv_42");
    const theirs = await sdkAccepts(() => new Webhook(SECRET).verify(tampered.toString("utf8"), headerRecord(request.headers)));
    expect(theirs).toEqual({ ok: false, error: "No matching signature found" });
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a changed webhook-id (it is signed) is rejected by both", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, id: ID });
    const headers = withHeader(request.headers, "webhook-id", "msg_other");
    expect((await sdkAccepts(() => new Webhook(SECRET).verify(BODY.toString("utf8"), headerRecord(headers)))).ok).toBe(false);
    expect(verifyOurs(provider, { ...request, headers }, SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong secret is rejected by both", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, id: ID });
    expect((await sdkAccepts(() => new Webhook(OTHER_SECRET).verify(BODY.toString("utf8"), headerRecord(request.headers)))).ok).toBe(false);
    expect(verifyOurs(provider, request, OTHER_SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a timestamp more than 300 s old is rejected by both; 300 s is accepted by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, id: ID });
    freezeClockAt(T + 301);
    const stale = await sdkAccepts(() => new Webhook(SECRET).verify(BODY.toString("utf8"), headerRecord(request.headers)));
    expect(stale).toEqual({ ok: false, error: "Message timestamp too old" });
    expect(verifyOurs(provider, request, SECRET, T + 301)).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    freezeClockAt(T + 300);
    expect((await sdkAccepts(() => new Webhook(SECRET).verify(BODY.toString("utf8"), headerRecord(request.headers)))).ok).toBe(true);
    expect(verifyOurs(provider, request, SECRET, T + 300)).toMatchObject({ valid: true });
  });

  it("a timestamp more than 300 s in the future is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, id: ID });
    freezeClockAt(T - 301);
    const early = await sdkAccepts(() => new Webhook(SECRET).verify(BODY.toString("utf8"), headerRecord(request.headers)));
    expect(early).toEqual({ ok: false, error: "Message timestamp too new" });
    expect(verifyOurs(provider, request, SECRET, T - 301)).toMatchObject({ valid: false, reason: "timestamp_too_new" });
  });

  it("a space-separated list with a v1 of another secret first (rotation) verifies with both", () => {
    freezeClockAt(T + 10);
    const other = new Webhook(OTHER_SECRET).sign(ID, new Date(T * 1000), BODY.toString("utf8"));
    const mine = new Webhook(SECRET).sign(ID, new Date(T * 1000), BODY.toString("utf8"));
    const headers: HeaderPairs = [
      ["webhook-id", ID],
      ["webhook-timestamp", String(T)],
      ["webhook-signature", `${other} v1a,ignoredAsymmetric ${mine}`],
    ];
    expect(() => new Webhook(SECRET).verify(BODY.toString("utf8"), headerRecord(headers))).not.toThrow();
    expect(verifyOurs(provider, swRequest(headers, BODY), SECRET, T + 10)).toMatchObject({ valid: true });
  });

  it("a secret pasted without the whsec_ prefix is the same key for both (the base64 part)", () => {
    freezeClockAt(T + 10);
    const bare = SECRET.slice("whsec_".length);
    const { request } = signRequest(provider, { body: BODY, secret: bare, timestamp: T, id: ID });
    expect(headerValue(request.headers, "webhook-signature")).toBe(new Webhook(bare).sign(ID, new Date(T * 1000), BODY.toString("utf8")));
    expect(() => new Webhook(SECRET).verify(BODY.toString("utf8"), headerRecord(request.headers))).not.toThrow();
    expect(verifyOurs(provider, request, SECRET, T + 10)).toMatchObject({ valid: true });
  });
});
