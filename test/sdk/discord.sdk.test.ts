// Cross-check of our `discord` scheme with discord-interactions' `verifyKey` (WebCrypto Ed25519 with the
// application's hex public key). The SDK only verifies; the signing side is the documented procedure:
// Ed25519 over `X-Signature-Timestamp + body`, hex. Neither side checks the timestamp's age (discord-interactions
// does not), so the stale case is a changed timestamp header, which both must reject.
// https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
import { generateKeyPairSync, sign as edSign, type KeyObject } from "node:crypto";
import { verifyKey } from "discord-interactions";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, headerValue, jsonBody, requireProvider, signRequest, verifyOurs, withHeader } from "./helpers.js";

/** A key pair in the forms a user holds: PKCS#8 PEM private key, and the dashboard's 64-hex public key. */
function makeKeys(): { privatePem: string; publicHex: string; privateKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  return {
    privateKey,
    privatePem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicHex: Buffer.from(jwk.x ?? "", "base64url").toString("hex"),
  };
}

const APP = makeKeys();
const STRANGER = makeKeys();
const T = 1_795_777_200;
const BODY = jsonBody({ type: 2, id: "1186745553374150750", data: { name: "grüß", options: [{ name: "text", value: "héllo ✓" }] } });

function discordVerify(headers: HeaderPairs, body: Buffer, publicHex: string): Promise<boolean> {
  return verifyKey(body, headerValue(headers, "x-signature-ed25519"), headerValue(headers, "x-signature-timestamp"), publicHex);
}

describe("discord × discord-interactions (verifyKey)", () => {
  const provider = requireProvider("discord");

  it("our signature (signed with the PKCS#8 private key) verifies with verifyKey under the hex public key", async () => {
    expect(APP.publicHex).toMatch(/^[0-9a-f]{64}$/);
    const { request } = signRequest(provider, { body: BODY, secret: APP.privatePem, timestamp: T });
    expect(headerValue(request.headers, "x-signature-timestamp")).toBe(String(T));
    expect(await discordVerify(request.headers, BODY, APP.publicHex)).toBe(true);
  });

  it("a signature made by the documented procedure verifies with ours under the hex public key", () => {
    const signature = edSign(null, Buffer.concat([Buffer.from(String(T)), BODY]), APP.privateKey).toString("hex");
    const headers: HeaderPairs = [
      ["X-Signature-Ed25519", signature],
      ["X-Signature-Timestamp", String(T)],
    ];
    expect(verifyOurs(provider, { method: "POST", url: "/interactions", headers, body: BODY }, APP.publicHex, T + 1)).toMatchObject({
      valid: true,
      provider: "discord",
    });
  });

  it("a flipped body byte is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: APP.privatePem, timestamp: T });
    const tampered = flipByte(BODY, "1186745553374150750");
    expect(await discordVerify(request.headers, tampered, APP.publicHex)).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, APP.publicHex, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("another application's public key is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: APP.privatePem, timestamp: T });
    expect(await discordVerify(request.headers, BODY, STRANGER.publicHex)).toBe(false);
    expect(verifyOurs(provider, request, STRANGER.publicHex, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a replayed signature with an older X-Signature-Timestamp is rejected by both (the timestamp is signed)", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: APP.privatePem, timestamp: T });
    const headers = withHeader(request.headers, "X-Signature-Timestamp", String(T - 3600));
    expect(await discordVerify(headers, BODY, APP.publicHex)).toBe(false);
    expect(verifyOurs(provider, { ...request, headers }, APP.publicHex, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });
});
