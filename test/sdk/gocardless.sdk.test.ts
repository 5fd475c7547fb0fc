// Cross-check of `gocardless` with gocardless-nodejs's `webhooks.verifySignature` / `parse`, with the secret of its own
// test suite (src/webhooks.test.ts). Its published signature is over a fixture file the npm package does not ship, so
// the body here is our own.
// https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks
import { createHmac } from "node:crypto";
import { parse, verifySignature } from "gocardless-nodejs/webhooks";
import { describe, expect, it } from "vitest";
import { flipByte, headerValue, jsonBody, requireProvider, sdkAccepts, signRequest, verifyOurs } from "./helpers.js";

const SECRET = "ED7D658C-D8EB-4941-948B-3973214F2D49";
const T = 1_795_777_200;
const provider = requireProvider("gocardless");
const body = jsonBody({
  events: [{ id: "EV00BD05S5VM2T", created_at: "2026-11-27T11:00:00.000Z", resource_type: "payments", action: "confirmed", links: { payment: "PM00BD05S5VM2T" }, details: { origin: "gocardless", description: "Zahlung bestätigt — €12" } }],
  meta: { webhook_id: "WB00BD05S5VM2T" },
});

describe("gocardless × gocardless-nodejs", () => {
  it("our Webhook-Signature passes the SDK's verifySignature and parse", () => {
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T });
    const signature = headerValue(request.headers, "Webhook-Signature");
    expect(() => verifySignature(body, SECRET, signature)).not.toThrow();
    expect(parse(body, SECRET, signature)).toEqual(JSON.parse(body.toString("utf8")).events);
  });

  it("verifies a signature computed as the SDK computes it (it has no sign(); its tests build signatures this way)", () => {
    // The SDK has no sign(): its verifier is an HMAC-SHA256 compared as hex, which is how its tests build signatures.
    const signature = createHmac("sha256", SECRET).update(body).digest("hex");
    expect(() => verifySignature(body, SECRET, signature)).not.toThrow();
    const request = { method: "POST", url: "/webhooks", headers: [["Webhook-Signature", signature]] as Array<[string, string]>, body };
    expect(verifyOurs(provider, request, SECRET, T)).toEqual({ valid: true, provider: "gocardless", signedAt: undefined });
  });

  it("a flipped body byte and a wrong secret are rejected by both", async () => {
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T });
    const signature = headerValue(request.headers, "Webhook-Signature");
    const tampered = flipByte(body, "PM00");
    expect((await sdkAccepts(() => verifySignature(tampered, SECRET, signature))).ok).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect((await sdkAccepts(() => verifySignature(body, "another-secret", signature))).ok).toBe(false);
    expect(verifyOurs(provider, request, "another-secret", T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });
});
