// Cross-check of our `twilio` scheme with twilio-node: `validateRequest` (form posts: URL + sorted decoded
// fields), `validateRequestWithBody` (JSON posts: `bodySHA256` in the URL) and `getExpectedTwilioSignature`
// as the signing side. Twilio signs no timestamp: there is no stale case.
// https://www.twilio.com/docs/usage/security#validating-requests
import { getExpectedTwilioSignature, validateRequest, validateRequestWithBody } from "twilio/lib/webhooks/webhooks.js";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { headerValue, jsonBody, requireProvider, signRequest, verifyOurs } from "./helpers.js";

const TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const OTHER_TOKEN = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const URL_ = "https://hooks.example.com/twilio/sms?tenant=acme";
const T = 1_795_777_200;
const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** Form fields as an Express `urlencoded` handler hands them to twilio-node: repeated names become arrays. */
function paramsOf(body: Buffer): Record<string, string | string[]> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body.toString("utf8"))) grouped.set(name, [...(grouped.get(name) ?? []), value]);
  return Object.fromEntries([...grouped].map(([name, values]) => [name, values.length === 1 ? (values[0] ?? "") : values]));
}

function formBody(fields: ReadonlyArray<[string, string]>): Buffer {
  return Buffer.from(new URLSearchParams(fields as [string, string][]).toString());
}

const SMS = formBody([
  ["ToCountry", "US"],
  ["SmsSid", "SM9f3c1d0e8b7a6f5e4d3c2b1a0f9e8d7c"],
  ["Body", "Héllo from hooktape ✓ & more"],
  ["From", "+14155550100"],
  ["To", "+14155550199"],
  ["AccountSid", "ACae2f4d3c5b6a7980f1e2d3c4b5a69788"],
  ["NumMedia", "0"],
]);

function formHeaders(signature: string): HeaderPairs {
  return [
    ["content-type", FORM["content-type"]],
    ["X-Twilio-Signature", signature],
  ];
}

describe("twilio × twilio-node (validateRequest, validateRequestWithBody, getExpectedTwilioSignature)", () => {
  const provider = requireProvider("twilio");

  it("the fixture of twilio-node's own tests verifies with both", () => {
    const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const body = formBody([
      ["CallSid", "CA1234567890ABCDE"],
      ["Caller", "+14158675309"],
      ["Digits", "1234"],
      ["From", "+14158675309"],
      ["To", "+18005551212"],
    ]);
    const signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    expect(validateRequest("12345", signature, url, paramsOf(body))).toBe(true);
    expect(verifyOurs(provider, { method: "POST", url, headers: formHeaders(signature), body }, "12345", T)).toEqual({ valid: true, provider: "twilio" });
  });

  it("our form-post signature verifies with validateRequest", () => {
    const { request } = signRequest(provider, { body: SMS, secret: TOKEN, timestamp: T, url: URL_, headers: [["content-type", FORM["content-type"]]] });
    expect(validateRequest(TOKEN, headerValue(request.headers, "x-twilio-signature"), URL_, paramsOf(SMS))).toBe(true);
  });

  it("getExpectedTwilioSignature verifies with ours and equals ours", () => {
    const theirs = getExpectedTwilioSignature(TOKEN, URL_, paramsOf(SMS));
    expect(verifyOurs(provider, { method: "POST", url: URL_, headers: formHeaders(theirs), body: SMS }, TOKEN, T)).toEqual({ valid: true, provider: "twilio" });
    const { request } = signRequest(provider, { body: SMS, secret: TOKEN, timestamp: T, url: URL_, headers: [["content-type", FORM["content-type"]]] });
    expect(headerValue(request.headers, "x-twilio-signature")).toBe(theirs);
  });

  it("a JSON body: our bodySHA256 URL and signature verify with validateRequestWithBody, and the SDK's with ours", () => {
    const body = jsonBody({ MessageSid: "SM1", MessageStatus: "delivered", ErrorMessage: "ñ ✓" });
    const { request, signed } = signRequest(provider, { body, secret: TOKEN, timestamp: T, url: URL_ });
    expect(signed.url).toMatch(/[?&]bodySHA256=[0-9a-f]{64}$/);
    const signedUrl = signed.url ?? "";
    expect(validateRequestWithBody(TOKEN, headerValue(request.headers, "x-twilio-signature"), signedUrl, body.toString("utf8"))).toBe(true);
    const theirs = getExpectedTwilioSignature(TOKEN, signedUrl, {});
    const back = verifyOurs(provider, { method: "POST", url: signedUrl, headers: [["content-type", "application/json"], ["X-Twilio-Signature", theirs]], body }, TOKEN, T);
    expect(back).toEqual({ valid: true, provider: "twilio" });
  });

  it("a changed form field (one flipped byte) is rejected by both", () => {
    const theirs = getExpectedTwilioSignature(TOKEN, URL_, paramsOf(SMS));
    const tampered = Buffer.from(SMS.toString().replace("NumMedia=0", "NumMedia=1"));
    expect(tampered.equals(SMS)).toBe(false);
    expect(validateRequest(TOKEN, theirs, URL_, paramsOf(tampered))).toBe(false);
    expect(verifyOurs(provider, { method: "POST", url: URL_, headers: formHeaders(theirs), body: tampered }, TOKEN, T)).toMatchObject({
      valid: false,
      reason: "no_matching_signature",
    });
  });

  it("a flipped byte of a JSON body is rejected by both", () => {
    const body = jsonBody({ MessageSid: "SM1", MessageStatus: "delivered" });
    const { request, signed } = signRequest(provider, { body, secret: TOKEN, timestamp: T, url: URL_ });
    const tampered = Buffer.from(body.toString().replace("delivered", "dclivered"));
    expect(validateRequestWithBody(TOKEN, headerValue(request.headers, "x-twilio-signature"), signed.url ?? "", tampered.toString())).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, TOKEN, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong auth token is rejected by both", () => {
    const { request } = signRequest(provider, { body: SMS, secret: TOKEN, timestamp: T, url: URL_, headers: [["content-type", FORM["content-type"]]] });
    expect(validateRequest(OTHER_TOKEN, headerValue(request.headers, "x-twilio-signature"), URL_, paramsOf(SMS))).toBe(false);
    expect(verifyOurs(provider, { ...request, url: URL_ }, OTHER_TOKEN, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a URL signed without the port verifies with both when the handler sees :443", () => {
    const theirs = getExpectedTwilioSignature(TOKEN, URL_, paramsOf(SMS));
    const withPort = "https://hooks.example.com:443/twilio/sms?tenant=acme";
    expect(validateRequest(TOKEN, theirs, withPort, paramsOf(SMS))).toBe(true);
    expect(verifyOurs(provider, { method: "POST", url: withPort, headers: formHeaders(theirs), body: SMS }, TOKEN, T)).toMatchObject({ valid: true });
  });

  it("repeated form fields with different values (several MediaUrl) sign and verify the same on both sides", () => {
    const body = formBody([
      ["MessageSid", "MM1"],
      ["MediaUrl", "https://api.twilio.com/media/b"],
      ["MediaUrl", "https://api.twilio.com/media/a"],
    ]);
    const theirs = getExpectedTwilioSignature(TOKEN, URL_, paramsOf(body));
    expect(verifyOurs(provider, { method: "POST", url: URL_, headers: formHeaders(theirs), body }, TOKEN, T)).toMatchObject({ valid: true });
    const { request } = signRequest(provider, { body, secret: TOKEN, timestamp: T, url: URL_, headers: [["content-type", FORM["content-type"]]] });
    expect(validateRequest(TOKEN, headerValue(request.headers, "x-twilio-signature"), URL_, paramsOf(body))).toBe(true);
  });

  it("a form field repeated with the same value counts once, as twilio-node's signature does", () => {
    // twilio-node `toFormUrlEncodedParam`: `Array.from(new Set(paramValue)).sort()` — duplicates dropped.
    const body = formBody([
      ["MessageSid", "MM1"],
      ["MediaUrl", "https://api.twilio.com/media/a"],
      ["MediaUrl", "https://api.twilio.com/media/a"],
    ]);
    const theirs = getExpectedTwilioSignature(TOKEN, URL_, paramsOf(body));
    expect(verifyOurs(provider, { method: "POST", url: URL_, headers: formHeaders(theirs), body }, TOKEN, T)).toMatchObject({ valid: true });
    const { request } = signRequest(provider, { body, secret: TOKEN, timestamp: T, url: URL_, headers: [["content-type", FORM["content-type"]]] });
    expect(validateRequest(TOKEN, headerValue(request.headers, "x-twilio-signature"), URL_, paramsOf(body))).toBe(true);
  });

  it.each([
    { name: "a quote Twilio signed escaped (%27) that the handler sees raw", signed: "https://hooks.example.com/sms?name=O%27Brien", seen: "https://hooks.example.com/sms?name=O'Brien" },
    { name: "a space Twilio signed as %20 that the handler sees as +", signed: "https://hooks.example.com/sms?a=b%20c", seen: "https://hooks.example.com/sms?a=b+c" },
    { name: "a non-ASCII letter Twilio signed percent-encoded that the handler sees decoded", signed: "https://hooks.example.com/sms?name=Zo%C3%AB", seen: "https://hooks.example.com/sms?name=Zoë" },
  ])("URL normalisation: $name is accepted by both", ({ signed, seen }) => {
    // twilio-node `validateRequest` also tries `new URL(url).toString()` and the legacy-querystring form of it
    // (each with and without the default port) before it gives up.
    const theirs = getExpectedTwilioSignature(TOKEN, signed, paramsOf(SMS));
    expect(validateRequest(TOKEN, theirs, seen, paramsOf(SMS))).toBe(true);
    expect(verifyOurs(provider, { method: "POST", url: seen, headers: formHeaders(theirs), body: SMS }, TOKEN, T)).toMatchObject({ valid: true });
  });
});
