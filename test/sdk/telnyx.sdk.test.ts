// Cross-check of `telnyx` with telnyx-node's `TelnyxWebhook(publicKey).verify` (Ed25519 over `ts|body`, the public
// key as the base64 of its 32 bytes, ±300 s). The SDK reads Date.now(): frozen here.
import { createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import { TelnyxWebhook } from "telnyx/lib/webhooks";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, freezeClockAt, headerRecord, jsonBody, requireProvider, sdkAccepts, signRequest, useFrozenClock, verifyOurs } from "./helpers.js";

const T = 1_795_777_200;
const provider = requireProvider("telnyx");
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const PRIVATE_PEM = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
// The raw 32 bytes in base64, as Telnyx's portal shows the key.
const PUBLIC_B64 = createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(12).toString("base64");
const OTHER_B64 = generateKeyPairSync("ed25519").publicKey.export({ format: "der", type: "spki" }).subarray(12).toString("base64");
const body = jsonBody({ data: { event_type: "message.received", id: "b301ed3f-1490-491f-995f-6e64e69674d4", payload: { text: "Grüße ✓" } } });
const text = body.toString("utf8");

describe("telnyx × telnyx-node TelnyxWebhook", () => {
  useFrozenClock();

  it("ours verifies with the SDK; the SDK-shaped signature (Ed25519 over ts|body) verifies with ours", async () => {
    freezeClockAt(T + 5);
    const { request } = signRequest(provider, { body, secret: PRIVATE_PEM, timestamp: T });
    expect(await sdkAccepts(() => new TelnyxWebhook(PUBLIC_B64).verify(text, headerRecord(request.headers)))).toEqual({ ok: true });
    const theirs = sign(null, Buffer.from(`${T}|${text}`), privateKey).toString("base64");
    const headers: HeaderPairs = [["telnyx-signature-ed25519", theirs], ["telnyx-timestamp", String(T)]];
    expect(verifyOurs(provider, { method: "POST", url: "/", headers, body }, PUBLIC_B64, T + 5)).toEqual({ valid: true, provider: "telnyx", signedAt: T });
    expect(publicKey.asymmetricKeyType).toBe("ed25519");
  });

  it("a flipped body byte, another key, and ±301 s are rejected by both", async () => {
    const { request } = signRequest(provider, { body, secret: PRIVATE_PEM, timestamp: T });
    const sdk = (b: string, key = PUBLIC_B64) => sdkAccepts(() => new TelnyxWebhook(key).verify(b, headerRecord(request.headers)));
    freezeClockAt(T);
    const tampered = flipByte(body, "b301");
    expect((await sdk(tampered.toString("utf8"))).ok).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, PUBLIC_B64, T)).toMatchObject({ reason: "no_matching_signature" });
    expect((await sdk(text, OTHER_B64)).ok).toBe(false);
    expect(verifyOurs(provider, request, OTHER_B64, T)).toMatchObject({ reason: "no_matching_signature" });
    freezeClockAt(T + 301);
    expect((await sdk(text)).ok).toBe(false);
    expect(verifyOurs(provider, request, PUBLIC_B64, T + 301)).toMatchObject({ reason: "timestamp_too_old" });
    freezeClockAt(T - 301);
    expect((await sdk(text)).ok).toBe(false);
    expect(verifyOurs(provider, request, PUBLIC_B64, T - 301)).toMatchObject({ reason: "timestamp_too_new" });
  });
});
