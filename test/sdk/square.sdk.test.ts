// Cross-check of our `square` scheme with the square SDK's `WebhooksHelper.verifySignature` (notification
// URL + body, HMAC-SHA256, base64). The SDK only verifies; the signing side is the documented procedure.
// Square signs no timestamp: there is no stale case.
// https://developer.squareup.com/docs/webhooks/step3validate
import { createHmac } from "node:crypto";
import { WebhooksHelper } from "square";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, headerValue, jsonBody, requireProvider, signRequest, verifyOurs } from "./helpers.js";

const KEY = "asdf1234-hooktape-signature-key";
const OTHER_KEY = "qwer5678-hooktape-signature-key";
const URL_ = "https://hooks.example.com/square/webhooks?env=sandbox";
const T = 1_795_777_200;
const BODY = jsonBody({
  merchant_id: "6SSW7HV8K2ST5",
  type: "payment.updated",
  event_id: "13b867cf-db3d-4b1c-90b6-2f32a9d78124",
  data: { type: "payment", id: "KkAkhdMsgzn59SM8A89WgKwekxLZY", object: { payment: { note: "Crème brûlée ✓", amount_money: { amount: 1000, currency: "EUR" } } } },
});

function squareAccepts(headers: HeaderPairs, body: Buffer, key: string, url: string): Promise<boolean> {
  return WebhooksHelper.verifySignature({
    requestBody: body.toString("utf8"),
    signatureHeader: headerValue(headers, "x-square-hmacsha256-signature"),
    signatureKey: key,
    notificationUrl: url,
  });
}

describe("square × square SDK (WebhooksHelper.verifySignature)", () => {
  const provider = requireProvider("square");

  it("our signature over the notification URL verifies with the SDK", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: KEY, timestamp: T, url: URL_ });
    expect(await squareAccepts(request.headers, BODY, KEY, URL_)).toBe(true);
  });

  it("a signature made by the documented procedure verifies with ours and equals ours", async () => {
    const theirs = createHmac("sha256", KEY).update(URL_ + BODY.toString("utf8")).digest("base64");
    const headers: HeaderPairs = [["x-square-hmacsha256-signature", theirs]];
    expect(await squareAccepts(headers, BODY, KEY, URL_)).toBe(true);
    expect(verifyOurs(provider, { method: "POST", url: "/square/webhooks?env=sandbox", headers, body: BODY }, KEY, T, URL_)).toMatchObject({
      valid: true,
      provider: "square",
    });
    const { request } = signRequest(provider, { body: BODY, secret: KEY, timestamp: T, url: URL_ });
    expect(headerValue(request.headers, "x-square-hmacsha256-signature")).toBe(theirs);
  });

  it("a flipped body byte is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: KEY, timestamp: T, url: URL_ });
    const tampered = flipByte(BODY, "6SSW7HV8K2ST5");
    expect(await squareAccepts(request.headers, tampered, KEY, URL_)).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, KEY, T, URL_)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong signature key is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: KEY, timestamp: T, url: URL_ });
    expect(await squareAccepts(request.headers, BODY, OTHER_KEY, URL_)).toBe(false);
    expect(verifyOurs(provider, request, OTHER_KEY, T, URL_)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a different notification URL (it is signed) is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: KEY, timestamp: T, url: URL_ });
    const elsewhere = "https://hooks.example.com/square/webhooks?env=production";
    expect(await squareAccepts(request.headers, BODY, KEY, elsewhere)).toBe(false);
    expect(verifyOurs(provider, request, KEY, T, elsewhere)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });
});
