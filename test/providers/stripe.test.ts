import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { stripe } from "../../src/providers/stripe.js";
import { flipByte, headerOf, signedRequest, withHeader, withoutHeader } from "./helpers.js";

// Header format from https://docs.stripe.com/webhooks#verify-manually: t=<unix s>,v1=<hex HMAC-SHA256 of "t.body">
// keyed with the whole whsec_ string.
const SECRET = "whsec_test_secret_for_hooktape";
const BODY = '{\n  "id": "evt_1",\n  "object": "event"\n}';
const T = 1_795_777_200;
const expectedV1 = createHmac("sha256", SECRET).update(`${T}.${BODY}`).digest("hex");

describe("stripe", () => {
  const signed = signedRequest(stripe, { body: BODY, secret: SECRET, timestamp: T });

  it("signs with the documented header format over `t.body` with the literal secret", () => {
    expect(headerOf(signed, "Stripe-Signature")).toBe(`t=${T},v1=${expectedV1}`);
    expect(stripe.verify(signed, [SECRET], { now: T + 10 })).toEqual({ valid: true, provider: "stripe", signedAt: T });
  });

  it("accepts a header with several v1 signatures and a v0 (secret roll)", () => {
    const req = withHeader(signed, "Stripe-Signature", `t=${T},v1=${"a".repeat(64)},v1=${expectedV1},v0=${"b".repeat(64)}`);
    expect(stripe.verify(req, [SECRET], { now: T }).valid).toBe(true);
  });

  it("rejects stale timestamps beyond 300 s, accepts future ones as stripe-node does", () => {
    expect(stripe.verify(signed, [SECRET], { now: T + 301 })).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    expect(stripe.verify(signed, [SECRET], { now: T + 300 }).valid).toBe(true);
    expect(stripe.verify(signed, [SECRET], { now: T - 3600 }).valid).toBe(true);
    expect(stripe.verify(signed, [SECRET], { now: T + 1000, toleranceSec: 2000 }).valid).toBe(true);
  });

  it("rejects a flipped body byte, a wrong secret, and hints at an API key passed as secret", () => {
    expect(stripe.verify({ ...signed, body: flipByte(signed.body, 5) }, [SECRET], { now: T })).toMatchObject({ reason: "no_matching_signature" });
    const wrong = stripe.verify(signed, ["sk_test_123"], { now: T });
    expect(wrong).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect(wrong.valid || wrong.hint).toMatch(/whsec_/);
  });

  it("accepts when the second of two secrets matches", () => {
    expect(stripe.verify(signed, ["whsec_old", SECRET], { now: T }).valid).toBe(true);
  });

  it("reports missing and malformed headers", () => {
    expect(stripe.verify(withoutHeader(signed, "stripe-signature"), [SECRET], { now: T })).toMatchObject({ reason: "missing_header" });
    expect(stripe.verify(withHeader(signed, "Stripe-Signature", `v1=${expectedV1}`), [SECRET], { now: T })).toMatchObject({ reason: "malformed_header" });
    expect(stripe.verify(withHeader(signed, "Stripe-Signature", `t=${T}`), [SECRET], { now: T })).toMatchObject({ reason: "malformed_header" });
  });

  it("exposes the signed timestamp", () => {
    expect(stripe.timestampOf?.(signed)).toBe(T);
  });
});
