// Cross-checks of `sanity` with @sanity/webhook (`isValidSignature`, `encodeSignatureHeader`; the vector of
// webhook-toolkit's tests) and of `pusher` with pusher-http-node's `webhook().isValid()`.
import { encodeSignatureHeader, isValidSignature } from "@sanity/webhook";
import Pusher from "pusher";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, headerRecord, headerValue, jsonBody, requireProvider, signRequest, verifyOurs } from "./helpers.js";

const T = 1_795_777_200;

describe("sanity × @sanity/webhook", () => {
  const provider = requireProvider("sanity");
  const SECRET = "test";
  const body = jsonBody({ _id: "resume", _type: "document", title: "Lebenslauf — Zoë" });
  const text = body.toString("utf8");

  it("the toolkit's published vector (base64url, no padding) verifies with the SDK and with ours", async () => {
    const vector = { body: `{"_id":"resume"}`, header: "t=1633519811129,v1=tLa470fx7qkLLEcMOcEUFuBbRSkGujyskxrNXcoh0N0" };
    expect(await isValidSignature(vector.body, vector.header, SECRET)).toBe(true);
    const headers: HeaderPairs = [["sanity-webhook-signature", vector.header]];
    expect(verifyOurs(provider, { method: "POST", url: "/", headers, body: Buffer.from(vector.body) }, SECRET, T)).toEqual({
      valid: true,
      provider: "sanity",
      signedAt: 1633519811.129,
    });
  });

  it("ours passes isValidSignature; the SDK's encodeSignatureHeader passes ours; both refuse a flipped byte or another secret", async () => {
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T });
    const header = headerValue(request.headers, "sanity-webhook-signature");
    expect(await isValidSignature(text, header, SECRET)).toBe(true);
    const theirs = await encodeSignatureHeader(text, T * 1000, SECRET);
    expect(theirs).toBe(header);
    const tampered = flipByte(body, "resume");
    expect(await isValidSignature(tampered.toString("utf8"), header, SECRET)).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T)).toMatchObject({ reason: "no_matching_signature" });
    expect(await isValidSignature(text, header, "other")).toBe(false);
    expect(verifyOurs(provider, request, "other", T)).toMatchObject({ reason: "no_matching_signature" });
  });
});

describe("pusher × pusher-http-node webhook().isValid()", () => {
  const provider = requireProvider("pusher");
  const SECRET = "7ad3773142a6692b25b8";
  const KEY = "hooktape-app-key";
  const client = new Pusher({ appId: "1", key: KEY, secret: SECRET, cluster: "eu" });
  const body = jsonBody({ time_ms: T * 1000, events: [{ name: "channel_occupied", channel: "private-café" }] });

  it("ours is valid for the SDK; a flipped byte, another secret or another app key is not, for either", () => {
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T });
    const webhook = (b: Buffer, headers = request.headers, sdk = client) => sdk.webhook({ headers: headerRecord(headers), rawBody: b.toString("utf8") });
    expect(webhook(body).isValid()).toBe(true);
    const tampered = flipByte(body, "channel_occupied");
    expect(webhook(tampered).isValid()).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T)).toMatchObject({ reason: "no_matching_signature" });
    const other = new Pusher({ appId: "1", key: KEY, secret: "another-secret", cluster: "eu" });
    expect(webhook(body, request.headers, other).isValid()).toBe(false);
    expect(verifyOurs(provider, request, "another-secret", T)).toMatchObject({ reason: "no_matching_signature" });
  });

  it("a signature the SDK's token computes verifies with ours", () => {
    // The Token the WebHook verifies with (not in the package's types): its sign() is the SDK's own HMAC.
    const { token } = client.webhook({ headers: {}, rawBody: "" }) as unknown as { token: { sign(text: string): string } };
    const signature = token.sign(body.toString("utf8"));
    const headers: HeaderPairs = [["Content-Type", "application/json"], ["X-Pusher-Key", KEY], ["X-Pusher-Signature", signature]];
    expect(verifyOurs(provider, { method: "POST", url: "/", headers, body }, SECRET, T).valid).toBe(true);
  });
});
