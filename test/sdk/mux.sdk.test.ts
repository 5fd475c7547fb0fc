// Cross-check of our `mux` scheme with @mux/mux-node's `webhooks.verifySignature` / `webhooks.unwrap`
// (`Mux-Signature: t=<s>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, older than 300 s rejected, read from
// Date.now(): frozen here). The SDK only verifies; the signing side is the documented procedure.
// https://docs.mux.com/core/verify-webhook-signatures
import { createHmac } from "node:crypto";
import Mux from "@mux/mux-node";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, freezeClockAt, headerRecord, headerValue, jsonBody, requireProvider, sdkAccepts, signRequest, useFrozenClock, verifyOurs } from "./helpers.js";

const SECRET = "hooktapemuxwebhooksecret0123456789";
const OTHER_SECRET = "hooktapemuxotherwebhooksecret00000";
const T = 1_795_777_200;
const BODY = jsonBody({
  type: "video.asset.ready",
  object: { type: "asset", id: "0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002" },
  id: "3a56ac3d-33da-4366-855b-f592d898409d",
  data: { status: "ready", passthrough: "naïve ✓" },
});

const mux = new Mux({ tokenId: "hooktape-test-token", tokenSecret: "hooktape-test-secret", webhookSecret: null });

function muxAccepts(headers: HeaderPairs, body: Buffer, secret: string) {
  return sdkAccepts(() => mux.webhooks.verifySignature(body.toString("utf8"), headerRecord(headers), secret));
}

describe("mux × @mux/mux-node (webhooks.verifySignature / unwrap)", () => {
  const provider = requireProvider("mux");
  useFrozenClock();

  it("our Mux-Signature verifies with unwrap and yields the event", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const event = await mux.webhooks.unwrap(BODY.toString("utf8"), headerRecord(request.headers), SECRET);
    expect(event.type).toBe("video.asset.ready");
  });

  it("a signature made by the documented procedure verifies with ours and equals ours", async () => {
    freezeClockAt(T + 10);
    const theirs = `t=${T},v1=${createHmac("sha256", SECRET).update(`${T}.`).update(BODY).digest("hex")}`;
    const headers: HeaderPairs = [["Mux-Signature", theirs]];
    expect(await muxAccepts(headers, BODY, SECRET)).toEqual({ ok: true });
    expect(verifyOurs(provider, { method: "POST", url: "/mux", headers, body: BODY }, SECRET, T + 10)).toMatchObject({ valid: true, provider: "mux" });
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(headerValue(request.headers, "mux-signature")).toBe(theirs);
  });

  it("a flipped body byte is rejected by both", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const tampered = flipByte(BODY, "0201p02f");
    expect(await muxAccepts(request.headers, tampered, SECRET)).toEqual({ ok: false, error: "No signatures found matching the expected signature for payload." });
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong secret is rejected by both", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect((await muxAccepts(request.headers, BODY, OTHER_SECRET)).ok).toBe(false);
    expect(verifyOurs(provider, request, OTHER_SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a timestamp more than 300 s old is rejected by both; exactly 300 s is accepted by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    freezeClockAt(T + 301);
    expect(await muxAccepts(request.headers, BODY, SECRET)).toEqual({ ok: false, error: "Webhook timestamp is too old" });
    expect(verifyOurs(provider, request, SECRET, T + 301)).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    freezeClockAt(T + 300);
    expect(await muxAccepts(request.headers, BODY, SECRET)).toEqual({ ok: true });
    expect(verifyOurs(provider, request, SECRET, T + 300)).toMatchObject({ valid: true });
  });
});
