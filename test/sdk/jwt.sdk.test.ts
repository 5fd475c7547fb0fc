// Cross-checks of the JWT family against jose (jwtVerify / SignJWT, the library our parser uses, but here its async
// verifier) and, for Vonage, the official @vonage/jwt `verifySignature` (1.14: later releases need Node 22). In both
// directions; then the body checks that the JWT alone does not make (Vonage's payload_hash, FusionAuth's
// request_body_sha256) and monday.com's token, which does not cover the body at all.
import { createHash } from "node:crypto";
import { verifySignature as vonageVerify } from "@vonage/jwt";
import { jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, headerValue, jsonBody, requireProvider, signRequest, verifyOurs } from "./helpers.js";
import { rsaTestKeyPair } from "../helpers/test-keys.js";

const T = 1_795_777_200;
const SECRET = "hooktape-test-signature-secret-0123456789";
const at = (seconds: number) => ({ currentDate: new Date(seconds * 1000) });
const bearer = (headers: HeaderPairs) => headerValue(headers, "Authorization").replace(/^Bearer /, "");

describe("vonage × @vonage/jwt and jose", () => {
  const provider = requireProvider("vonage");
  const body = jsonBody({ message_uuid: "aaaaaaaa-bbbb-cccc-dddd-0123456789ab", to: "447700900000", text: "Grüße ✓", channel: "sms" });

  it("our token passes @vonage/jwt verifySignature and jose, and its payload_hash is the hex SHA-256 of the body", async () => {
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T });
    const token = bearer(request.headers);
    expect(vonageVerify(token, SECRET)).toBe(true);
    const { payload } = await jwtVerify(token, Buffer.from(SECRET), at(T + 5));
    expect(payload.payload_hash).toBe(createHash("sha256").update(body).digest("hex"));
    expect(vonageVerify(token, "another-secret")).toBe(false);
  });

  it("a token signed as Vonage signs it (jose SignJWT, HS256, payload_hash) verifies with ours; a changed body does not", async () => {
    const token = await new SignJWT({ payload_hash: createHash("sha256").update(body).digest("hex"), api_key: "abcd1234" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt(T)
      .setJti("b1f0c6a0-6d8e-4c1a-9a8b-0123456789ab")
      .sign(Buffer.from(SECRET));
    const request = { method: "POST", url: "/", headers: [["Authorization", `Bearer ${token}`]] as HeaderPairs, body };
    expect(verifyOurs(provider, request, SECRET, T + 5)).toEqual({ valid: true, provider: "vonage", signedAt: T });
    const changed = verifyOurs(provider, { ...request, body: flipByte(body, "447700") }, SECRET, T + 5);
    expect(changed).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect(changed.valid ? "" : changed.hint).toMatch(/payload_hash/);
    // The JWT itself still verifies: the body check is what catches the change, and @vonage/jwt leaves it to you.
    expect(vonageVerify(token, SECRET)).toBe(true);
    expect(verifyOurs(provider, request, "another-secret", T + 5)).toMatchObject({ reason: "no_matching_signature" });
  });

  it("refuses a token whose alg is not HS256 (no algorithm confusion), and one that is not a JWT", async () => {
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${Buffer.from("{}").toString("base64url")}.`;
    const request = { method: "POST", url: "/", headers: [["Authorization", `Bearer ${none}`]] as HeaderPairs, body };
    expect(verifyOurs(provider, request, SECRET, T)).toMatchObject({ reason: "malformed_header" });
    expect(verifyOurs(provider, { ...request, headers: [["Authorization", "Bearer not-a-jwt"]] }, SECRET, T)).toMatchObject({ reason: "malformed_header" });
  });
});

describe("fusionauth × jose", () => {
  const provider = requireProvider("fusionauth");
  const body = jsonBody({ event: { type: "user.create", user: { id: "7d1c2b8e-2f3a-4b5c-8d9e-0a1b2c3d4e5f", firstName: "Zoë" } } });

  it("ours verifies with jose and carries request_body_sha256 in base64; jose's verifies with ours; a changed body fails", async () => {
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T });
    const token = headerValue(request.headers, "X-FusionAuth-Signature-JWT");
    const { payload } = await jwtVerify(token, Buffer.from(SECRET), at(T));
    expect(payload.request_body_sha256).toBe(createHash("sha256").update(body).digest("base64"));
    const theirs = await new SignJWT({ request_body_sha256: createHash("sha256").update(body).digest("base64") })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt(T)
      .sign(Buffer.from(SECRET));
    const req = { method: "POST", url: "/", headers: [["X-FusionAuth-Signature-JWT", theirs]] as HeaderPairs, body };
    expect(verifyOurs(provider, req, SECRET, T).valid).toBe(true);
    expect(verifyOurs(provider, { ...req, body: flipByte(body, "7d1c") }, SECRET, T)).toMatchObject({ reason: "no_matching_signature" });
  });
});

describe("wix × jose (RS256, the body is the token)", () => {
  const provider = requireProvider("wix");
  const { privateKey, publicKey } = rsaTestKeyPair(0);
  const privatePem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  const publicPem = publicKey.export({ format: "pem", type: "spki" }).toString();
  const event = jsonBody({ data: JSON.stringify({ orderId: "2f1e0d9c", buyer: "Zoë" }), instanceId: "e1f2", eventType: "OrderCreated" });

  it("ours verifies with jose's RS256 with the public key; jose's verifies with ours (public key, or base64 DER)", async () => {
    // The token is what is sent: sign() returns it as the body.
    const { signed } = signRequest(provider, { body: event, secret: privatePem, timestamp: T });
    const token = (signed.body as Buffer).toString("utf8");
    const { payload } = await jwtVerify(token, publicKey, { ...at(T), algorithms: ["RS256"] });
    expect(payload.data).toBe(event.toString("utf8"));
    expect(verifyOurs(provider, { method: "POST", url: "/", headers: signed.headers, body: Buffer.from(token) }, publicPem, T).valid).toBe(true);
    const theirs = await new SignJWT({ data: event.toString("utf8") }).setProtectedHeader({ alg: "RS256" }).setIssuedAt(T).sign(privateKey);
    const req = { method: "POST", url: "/", headers: [["Content-Type", "text/plain"]] as HeaderPairs, body: Buffer.from(theirs) };
    expect(verifyOurs(provider, req, publicPem, T)).toEqual({ valid: true, provider: "wix", signedAt: T });
    const der = publicKey.export({ format: "der", type: "spki" }).toString("base64");
    expect(verifyOurs(provider, req, der, T).valid).toBe(true);
    const other = rsaTestKeyPair(1).publicKey.export({ format: "pem", type: "spki" }).toString();
    expect(verifyOurs(provider, req, other, T)).toMatchObject({ reason: "no_matching_signature" });
  });

  it("refuses an HS256 token keyed with the public key's text (the classic algorithm confusion)", async () => {
    const forged = await new SignJWT({ data: "{}" }).setProtectedHeader({ alg: "HS256" }).setIssuedAt(T).sign(Buffer.from(publicPem));
    const req = { method: "POST", url: "/", headers: [] as HeaderPairs, body: Buffer.from(forged) };
    expect(verifyOurs(provider, req, publicPem, T)).toMatchObject({ reason: "malformed_header" });
  });
});

describe("monday × jose (the Authorization JWT does not cover the body)", () => {
  const provider = requireProvider("monday");
  const body = jsonBody({ event: { type: "create_pulse", boardId: 1234567890, pulseName: "Überprüfen" } });

  it("ours verifies with jose until exp, as the docs' claims; a changed body still verifies and a failure says the body is not covered", async () => {
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T, url: "https://hooks.example.com/monday" });
    const token = headerValue(request.headers, "Authorization");
    const { payload } = await jwtVerify(token, Buffer.from(SECRET), { ...at(T + 10), audience: "https://hooks.example.com/monday" });
    expect(payload).toMatchObject({ accountId: 1825529, userId: 4012689, exp: T + 300 });
    expect(verifyOurs(provider, { ...request, body: flipByte(body, "create_pulse") }, SECRET, T + 10).valid).toBe(true);
    const wrong = verifyOurs(provider, request, "another-secret", T + 10);
    expect(wrong.valid ? "" : wrong.hint).toMatch(/body is not covered/);
    await expect(jwtVerify(token, Buffer.from(SECRET), at(T + 301))).rejects.toThrow(/exp/);
    expect(verifyOurs(provider, request, SECRET, T + 301)).toMatchObject({ reason: "timestamp_too_old" });
    expect(provider.coversBody).toBe(false);
  });
});
