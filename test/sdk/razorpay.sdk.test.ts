// Cross-check of our `razorpay` scheme with razorpay-node's `validateWebhookSignature(body, signature, secret)`
// (its utils module; `Razorpay.validateWebhookSignature` calls it) — `X-Razorpay-Signature`: hex HMAC-SHA256 of
// the raw body, keyed with the webhook secret. The SDK only verifies; the signing side is the documented
// procedure. No timestamp is signed.
// https://razorpay.com/docs/webhooks/validate-test/
import { createHmac } from "node:crypto";
import { validateWebhookSignature } from "razorpay/dist/utils/razorpay-utils.js";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, headerValue, jsonBody, requireProvider, signRequest, verifyOurs } from "./helpers.js";

const SECRET = "hooktape_razorpay_webhook_secret";
const OTHER_SECRET = "hooktape_razorpay_other_secret";
const T = 1_795_777_200;
const BODY = jsonBody({
  entity: "event",
  account_id: "acc_BFQ7uQEaa7j2z7",
  event: "payment.captured",
  payload: { payment: { entity: { id: "pay_DESlfW9H8K9uqM", amount: 100, currency: "INR", notes: { name: "Ramesh ₹ ✓" } } } },
  created_at: T,
});

describe("razorpay × razorpay (validateWebhookSignature)", () => {
  const provider = requireProvider("razorpay");

  it("our X-Razorpay-Signature verifies with validateWebhookSignature", () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(validateWebhookSignature(BODY.toString("utf8"), headerValue(request.headers, "x-razorpay-signature"), SECRET)).toBe(true);
  });

  it("a signature made by the documented procedure verifies with ours and equals ours", () => {
    const theirs = createHmac("sha256", SECRET).update(BODY).digest("hex");
    expect(validateWebhookSignature(BODY.toString("utf8"), theirs, SECRET)).toBe(true);
    const headers: HeaderPairs = [["X-Razorpay-Signature", theirs]];
    expect(verifyOurs(provider, { method: "POST", url: "/razorpay", headers, body: BODY }, SECRET, T)).toMatchObject({ valid: true, provider: "razorpay" });
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(headerValue(request.headers, "x-razorpay-signature")).toBe(theirs);
  });

  it("a flipped body byte is rejected by both", () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const tampered = flipByte(BODY, "pay_DESl");
    expect(validateWebhookSignature(tampered.toString("utf8"), headerValue(request.headers, "x-razorpay-signature"), SECRET)).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong secret is rejected by both", () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(validateWebhookSignature(BODY.toString("utf8"), headerValue(request.headers, "x-razorpay-signature"), OTHER_SECRET)).toBe(false);
    expect(verifyOurs(provider, request, OTHER_SECRET, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });
});
