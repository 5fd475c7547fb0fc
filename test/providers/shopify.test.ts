import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { detectProvider } from "../../src/providers/registry.js";
import { shopify } from "../../src/providers/shopify.js";
import { flipByte, headerOf, signedRequest } from "./helpers.js";

// https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook
const SECRET = "shpss_test_secret";
const BODY = '{"id":820982911946154500,"email":"jon@example.com"}';
const HMAC = createHmac("sha256", SECRET).update(BODY).digest("base64");

describe("shopify", () => {
  it("signs the base64 HMAC of the body and the headers the SDK requires", () => {
    const signed = signedRequest(shopify, { body: BODY, secret: SECRET, timestamp: 1_800_000_000, id: "wh-1" });
    expect(headerOf(signed, "X-Shopify-Hmac-Sha256")).toBe(HMAC);
    expect(headerOf(signed, "X-Shopify-Webhook-Id")).toBe("wh-1");
    expect(headerOf(signed, "X-Shopify-Triggered-At")).toBe("2027-01-15T08:00:00.000Z");
    expect(shopify.verify(signed, [SECRET], { now: 0 })).toEqual({ valid: true, provider: "shopify", signedAt: undefined });
  });

  it("verifies and detects an Events delivery (shopify-* headers without the X- prefix)", () => {
    const headers: Array<[string, string]> = [
      ["shopify-hmac-sha256", HMAC],
      ["shopify-topic", "orders/create"],
      ["shopify-webhook-id", "wh-2"],
    ];
    const req = { method: "POST", url: "/shopify", headers, body: Buffer.from(BODY) };
    expect(shopify.verify(req, [SECRET], { now: 0 })).toEqual({ valid: true, provider: "shopify", signedAt: undefined });
    expect(shopify.verify({ ...req, body: flipByte(req.body) }, [SECRET], { now: 0 })).toMatchObject({ reason: "no_matching_signature" });
    expect(detectProvider(headers)?.id).toBe("shopify");
  });

  it("has Shopify's 5 s deadline and 8 retries over about 4 hours", () => {
    expect(shopify.deadlineMs).toBe(5000);
    expect(shopify.retry.delaysSec).toHaveLength(8);
    expect(shopify.retry.delaysSec.reduce((a, b) => a + b, 0)).toBe(4 * 3600);
  });
});
