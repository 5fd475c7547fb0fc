// The shared-secret family: HTTP Basic credentials (Chargebee, Postmark, Pipedrive) and Okta's Authorization value.
// They prove who sent a request, not what it holds: a changed body still verifies, the failure hints say so, and
// `check` (which asks the provider's own verifier whether a forged request still passes) skips the body forgery.
import { describe, expect, it } from "vitest";
import { forgeryUndetectedBy } from "../../src/check/forgery.js";
import { getProvider } from "../../src/providers/registry.js";
import { KeyFormatError, type Provider } from "../../src/providers/types.js";
import { flipByte, headerOf, signedRequest, withHeader } from "./helpers.js";

const NOW = 1_795_777_200;
const BODY = JSON.stringify({ event_type: "subscription_created", content: { customer: { first_name: "Zoë" } } });
// 25 bytes: its base64 ends in "==", so the trailing-bits case below applies.
const CREDENTIALS = "hooktape:s3cret:with:colo";

describe.each(["chargebee", "postmark", "pipedrive"])("%s: HTTP Basic credentials", (id) => {
  const provider = getProvider(id) as Provider;
  const signed = signedRequest(provider, { body: BODY, secret: CREDENTIALS, timestamp: NOW });

  it("sends Authorization: Basic base64(user:password), and verifies it with the same user:password", () => {
    expect(headerOf(signed, "Authorization")).toBe(`Basic ${Buffer.from(CREDENTIALS).toString("base64")}`);
    expect(provider.verify(signed, [CREDENTIALS], { now: NOW })).toEqual({ valid: true, provider: id });
    expect(provider.kind).toBe("token");
  });

  it("a wrong password fails with a hint that says the body is not covered", () => {
    const result = provider.verify(signed, ["hooktape:other"], { now: NOW });
    expect(result).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect(result.valid ? "" : result.hint).toMatch(/body is not covered/);
  });

  it("a changed body still verifies: the scheme does not cover it", () => {
    expect(provider.verify({ ...signed, body: flipByte(signed.body, 10) }, [CREDENTIALS], { now: NOW }).valid).toBe(true);
  });

  it("refuses a value that is not canonical Basic credentials, and a secret that is not user:password", () => {
    const encoded = Buffer.from(CREDENTIALS).toString("base64");
    for (const value of ["Bearer abc", "Basic", `Basic ${encoded}!`, `Basic ${Buffer.from("no colon").toString("base64")}`]) {
      expect(provider.verify(withHeader(signed, "Authorization", value), [CREDENTIALS], { now: NOW })).toMatchObject({ reason: "malformed_header" });
    }
    // Base64 whose last character differs only in ignored trailing bits decodes to the same bytes: not accepted.
    expect(encoded.endsWith("==")).toBe(true);
    const last = encoded.replace(/=+$/, "");
    const sloppy = `${last.slice(0, -1)}${String.fromCharCode(last.charCodeAt(last.length - 1) + 1)}==`;
    expect(Buffer.from(sloppy, "base64").toString()).toBe(CREDENTIALS);
    expect(provider.verify(withHeader(signed, "Authorization", `Basic ${sloppy}`), [CREDENTIALS], { now: NOW })).toMatchObject({ reason: "malformed_header" });
    expect(provider.verify(signed, ["no-colon-secret"], { now: NOW })).toMatchObject({ reason: "malformed_key" });
    expect(() => provider.sign({ body: Buffer.from(BODY), secret: "no-colon", timestamp: NOW, id: "m", method: "POST", headers: [] })).toThrow(KeyFormatError);
  });

  it("check skips the body forgery for it, and still holds the signature forgery against the handler", () => {
    const recipe = {
      method: "POST",
      url: "http://127.0.0.1:3000/hooks",
      headers: signed.headers,
      body: Buffer.from(BODY),
      provider,
      secret: CREDENTIALS,
      messageId: "m",
      staleMs: 0,
      headerSets: [],
      headerDrops: [],
    };
    expect(forgeryUndetectedBy(provider, CREDENTIALS, { ...recipe, tamper: "body" }, NOW * 1000)).toMatch(/cannot detect this change/);
    expect(forgeryUndetectedBy(provider, CREDENTIALS, { ...recipe, tamper: "signature" }, NOW * 1000)).toBeNull();
  });
});

describe("okta: the secret as it is in Authorization", () => {
  const okta = getProvider("okta") as Provider;
  it("sends the secret unchanged, verifies it, and says the body is not covered when it differs", () => {
    const signed = signedRequest(okta, { body: BODY, secret: "okta-shared-secret", timestamp: NOW });
    expect(headerOf(signed, "Authorization")).toBe("okta-shared-secret");
    expect(okta.verify(signed, ["okta-shared-secret"], { now: NOW })).toEqual({ valid: true, provider: "okta" });
    const result = okta.verify(signed, ["another"], { now: NOW });
    expect(result.valid ? "" : result.hint).toMatch(/body is not covered/);
    expect(okta.deadlineMs).toBe(3000);
  });
});
