// Cross-check of our `line` scheme with @line/bot-sdk 10 (the newest major that runs on Node 20):
// `validateSignature(body, channelSecret, signature)` — `x-line-signature`: base64 HMAC-SHA256 of the body,
// keyed with the channel secret. The SDK only verifies; the signing side is the documented procedure.
// LINE signs no timestamp: there is no stale case.
// https://developers.line.biz/en/reference/messaging-api/#signature-validation
import { createHmac } from "node:crypto";
import { validateSignature } from "@line/bot-sdk";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, headerValue, jsonBody, requireProvider, signRequest, verifyOurs } from "./helpers.js";

const SECRET = "8c570fa6dd201bb328f1c1eac23a96d8";
const OTHER_SECRET = "0000000000000000000000000000ffff";
const T = 1_795_777_200;
const BODY = jsonBody({
  destination: "U1234567890abcdef1234567890abcdef",
  events: [{ type: "message", replyToken: "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA", message: { type: "text", id: "444573844083572737", text: "こんにちは ✓" } }],
});

describe("line × @line/bot-sdk (validateSignature)", () => {
  const provider = requireProvider("line");

  it("our x-line-signature verifies with validateSignature", () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(validateSignature(BODY, SECRET, headerValue(request.headers, "x-line-signature"))).toBe(true);
  });

  it("a signature made by the documented procedure verifies with ours and equals ours", () => {
    const theirs = createHmac("sha256", SECRET).update(BODY).digest("base64");
    expect(validateSignature(BODY.toString("utf8"), SECRET, theirs)).toBe(true);
    const headers: HeaderPairs = [["x-line-signature", theirs]];
    expect(verifyOurs(provider, { method: "POST", url: "/callback", headers, body: BODY }, SECRET, T)).toMatchObject({ valid: true, provider: "line" });
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(headerValue(request.headers, "x-line-signature")).toBe(theirs);
  });

  it("a flipped body byte is rejected by both", () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const tampered = flipByte(BODY, "nHuyWiB7");
    expect(validateSignature(tampered, SECRET, headerValue(request.headers, "x-line-signature"))).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong channel secret is rejected by both", () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(validateSignature(BODY, OTHER_SECRET, headerValue(request.headers, "x-line-signature"))).toBe(false);
    expect(verifyOurs(provider, request, OTHER_SECRET, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });
});
