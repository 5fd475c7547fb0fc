import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createGenericHmacProvider } from "../../src/providers/generic-hmac.js";
import { headerOf, signedRequest } from "./helpers.js";

const BODY = '{"a":1}';

describe("generic hmac", () => {
  it("defaults to X-Signature: sha256=<hex HMAC-SHA256 of the body>", () => {
    const hmac = createGenericHmacProvider();
    const out = signedRequest(hmac, { body: BODY, secret: "s3cret", timestamp: 0 });
    expect(headerOf(out, "X-Signature")).toBe(`sha256=${createHmac("sha256", "s3cret").update(BODY).digest("hex")}`);
    expect(hmac.verify(out, ["s3cret"], { now: 0 })).toEqual({ valid: true, provider: "hmac", signedAt: undefined });
  });

  it("follows the header, algorithm, encoding and prefix settings", () => {
    const hmac = createGenericHmacProvider({ header: "X-Acme-Sig", algorithm: "sha512", encoding: "base64", prefix: "" });
    const out = signedRequest(hmac, { body: BODY, secret: "k", timestamp: 0 });
    expect(headerOf(out, "x-acme-sig")).toBe(createHmac("sha512", "k").update(BODY).digest("base64"));
    expect(hmac.verify(out, ["k"], { now: 0 }).valid).toBe(true);
    expect(hmac.detect([["X-ACME-SIG", "x"]])).toBe(true);
    expect(hmac.detect([["X-Signature", "x"]])).toBe(false);
  });

  it("derives the prefix from a changed algorithm when no prefix is given", () => {
    const hmac = createGenericHmacProvider({ algorithm: "sha1" });
    const out = signedRequest(hmac, { body: BODY, secret: "k", timestamp: 0 });
    expect(headerOf(out, "X-Signature")).toMatch(/^sha1=[0-9a-f]{40}$/);
  });

  it("rejects a value without the configured prefix as malformed", () => {
    const hmac = createGenericHmacProvider();
    const digest = createHmac("sha256", "k").update(BODY).digest("hex");
    const req = { method: "POST", url: "/", headers: [["X-Signature", digest]] as Array<[string, string]>, body: Buffer.from(BODY) };
    expect(hmac.verify(req, ["k"], { now: 0 })).toMatchObject({ valid: false, reason: "malformed_header" });
  });
});
