// Cross-check of our `stripe` scheme with stripe-node: `webhooks.constructEvent` (verify, with an injected
// receivedAt clock) and `webhooks.generateTestHeaderString` (Stripe's own signing helper for tests).
// https://docs.stripe.com/webhooks#verify-manually
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { flipByte, headerValue, jsonBody, requireProvider, sdkAccepts, signRequest, verifyOurs } from "./helpers.js";

const stripeSdk = new Stripe("sk_test_hooktape_cross_check");
const SECRET = "whsec_test_hooktape_5f2b9c8d1e";
const OTHER_SECRET = "whsec_test_hooktape_other_0000";
const T = 1_795_777_200;
const BODY = jsonBody({
  id: "evt_1QhooktapeCrossCheck",
  object: "event",
  type: "payment_intent.succeeded",
  data: { object: { id: "pi_3Q", amount: 2000, currency: "eur", description: "Café ✓ order 42" } },
});

/** constructEvent with the clock at `atSec`, as a handler would call it. */
function stripeAccepts(body: Buffer, header: string, secret: string, atSec: number) {
  return sdkAccepts(() => stripeSdk.webhooks.constructEvent(body, header, secret, 300, undefined, atSec * 1000));
}

describe("stripe × stripe-node (constructEvent, generateTestHeaderString)", () => {
  const provider = requireProvider("stripe");

  it("our signature verifies with constructEvent and yields the event", () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const header = headerValue(request.headers, "stripe-signature");
    const event = stripeSdk.webhooks.constructEvent(request.body, header, SECRET, 300, undefined, (T + 5) * 1000);
    expect(event.id).toBe("evt_1QhooktapeCrossCheck");
    expect(event.type).toBe("payment_intent.succeeded");
  });

  it("generateTestHeaderString's header verifies with ours", () => {
    const header = stripeSdk.webhooks.generateTestHeaderString({ payload: BODY.toString("utf8"), secret: SECRET, timestamp: T });
    const request = { method: "POST", url: "/webhooks", headers: [["Stripe-Signature", header]] as [string, string][], body: BODY };
    expect(verifyOurs(provider, request, SECRET, T + 5)).toEqual({ valid: true, provider: "stripe", signedAt: T });
  });

  it("the same timestamp and body give byte-identical headers from both sides", () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const theirs = stripeSdk.webhooks.generateTestHeaderString({ payload: BODY.toString("utf8"), secret: SECRET, timestamp: T });
    expect(headerValue(request.headers, "stripe-signature")).toBe(theirs);
  });

  it("a flipped body byte is rejected by both", async () => {
    const header = stripeSdk.webhooks.generateTestHeaderString({ payload: BODY.toString("utf8"), secret: SECRET, timestamp: T });
    const tampered = flipByte(BODY, "Caf");
    const theirs = await stripeAccepts(tampered, header, SECRET, T + 5);
    expect(theirs.ok).toBe(false);
    expect(theirs.error).toMatch(/No signatures found matching/);
    const ours = verifyOurs(provider, { method: "POST", url: "/", headers: [["Stripe-Signature", header]], body: tampered }, SECRET, T + 5);
    expect(ours).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong secret is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const header = headerValue(request.headers, "stripe-signature");
    expect((await stripeAccepts(BODY, header, OTHER_SECRET, T + 5)).ok).toBe(false);
    expect(verifyOurs(provider, request, OTHER_SECRET, T + 5)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a timestamp older than 300 s is rejected by both, and 300 s exactly is accepted by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const header = headerValue(request.headers, "stripe-signature");
    const stale = await stripeAccepts(BODY, header, SECRET, T + 301);
    expect(stale).toEqual({ ok: false, error: "Timestamp outside the tolerance zone" });
    expect(verifyOurs(provider, request, SECRET, T + 301)).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    expect((await stripeAccepts(BODY, header, SECRET, T + 300)).ok).toBe(true);
    expect(verifyOurs(provider, request, SECRET, T + 300)).toMatchObject({ valid: true });
  });

  it("a header carrying an old and a new v1 (secret roll) verifies with both under the new secret", () => {
    const oldHeader = stripeSdk.webhooks.generateTestHeaderString({ payload: BODY.toString("utf8"), secret: OTHER_SECRET, timestamp: T });
    const newHeader = stripeSdk.webhooks.generateTestHeaderString({ payload: BODY.toString("utf8"), secret: SECRET, timestamp: T });
    const rolled = `${oldHeader},${newHeader.split(",")[1] ?? ""}`;
    expect(() => stripeSdk.webhooks.constructEvent(BODY, rolled, SECRET, 300, undefined, (T + 1) * 1000)).not.toThrow();
    const request = { method: "POST", url: "/", headers: [["Stripe-Signature", rolled]] as [string, string][], body: BODY };
    expect(verifyOurs(provider, request, SECRET, T + 1)).toMatchObject({ valid: true, provider: "stripe" });
  });
});
