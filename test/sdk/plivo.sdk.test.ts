// Cross-check of `plivo` with plivo-node: signature V2 with `validateSignature`, from its published vector
// (https://answer.url, nonce 12345, auth token my_auth_token), and signature V3 with `validateV3Signature`.
import { validateSignature } from "plivo/dist/utils/security.js";
import { validateV3Signature } from "plivo/dist/utils/v3Security.js";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, headerValue, jsonBody, requireProvider, signRequest, verifyOurs } from "./helpers.js";

const provider = requireProvider("plivo");
const T = 1_795_777_200;

describe("plivo × plivo-node validateSignature", () => {
  it("the SDK's published V2 vector verifies with the SDK and with ours", () => {
    const vector = { url: "https://answer.url", nonce: "12345", token: "my_auth_token", signature: "ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc=" };
    expect(validateSignature(vector.url, vector.nonce, vector.signature, vector.token)).toBe(true);
    const headers: HeaderPairs = [["X-Plivo-Signature-V2", vector.signature], ["X-Plivo-Signature-V2-Nonce", vector.nonce]];
    expect(verifyOurs(provider, { method: "POST", url: "/", headers, body: Buffer.from("CallUUID=x") }, vector.token, T, vector.url).valid).toBe(true);
  });

  it("ours (query left out of the signed URL) passes the SDK; another nonce, URL or token fails both; the body is not signed", () => {
    const url = "https://hooks.example.com/plivo/answer?From=%2B15005550006";
    const body = jsonBody({ CallUUID: "c4f1", From: "+15005550006", note: "Grüße" });
    const { request: both } = signRequest(provider, { body, secret: "my_auth_token", timestamp: T, url, id: "31625787461364713241" });
    // A delivery that carries V2 only (V3 decides whenever it is present).
    const request = { ...both, headers: both.headers.filter(([name]) => !/-v3/i.test(name)) };
    const signature = headerValue(request.headers, "X-Plivo-Signature-V2");
    const nonce = headerValue(request.headers, "X-Plivo-Signature-V2-Nonce");
    expect(validateSignature(url, nonce, signature, "my_auth_token")).toBe(true);
    expect(validateSignature(url, `${nonce}1`, signature, "my_auth_token")).toBe(false);
    expect(validateSignature("https://hooks.example.com/plivo/other", nonce, signature, "my_auth_token")).toBe(false);
    expect(verifyOurs(provider, request, "other_token", T, url)).toMatchObject({ reason: "no_matching_signature" });
    expect(verifyOurs(provider, request, "my_auth_token", T, "https://hooks.example.com/plivo/other")).toMatchObject({ reason: "no_matching_signature" });
    const changed = verifyOurs(provider, { ...request, body: flipByte(body, "c4f1") }, "my_auth_token", T, url);
    expect(changed.valid).toBe(true);
    const wrong = verifyOurs(provider, request, "other_token", T, url);
    expect(wrong.valid ? "" : wrong.hint).toMatch(/does not sign the body/);
  });
});

describe("plivo V3 × plivo-node validateV3Signature", () => {
  // Plivo's voice callbacks: a form POST, to a URL that may carry its own query; GET callbacks sign the query.
  const cases: Array<[string, string, string, string]> = [
    ["a form POST", "POST", "https://hooks.example.com/plivo/answer", "CallUUID=c4f1&From=%2B15005550006&To=%2B15005550001&CallerName=Zo%C3%AB+M%C3%BCller"],
    ["a form POST to a URL with a query", "POST", "https://hooks.example.com/plivo/answer?tenant=b&app=a%2Fb", "CallUUID=c4f1&Digits=12&Digits=04"],
    ["a POST without parameters", "POST", "https://hooks.example.com:8443/plivo/hangup?x=1", ""],
    ["a GET with a query", "GET", "https://hooks.example.com/plivo/answer?From=%2B1500&CallUUID=c4f1", ""],
  ];

  it.each(cases)("%s: ours passes the SDK, theirs passes ours; another URL, parameter or token fails both", (_what, method, url, form) => {
    const body = Buffer.from(form);
    const headers: HeaderPairs = [["Content-Type", "application/x-www-form-urlencoded"]];
    const { request } = signRequest(provider, { body, secret: "my_auth_token", timestamp: T, url, id: "05429567804466091622", method, headers });
    const params = method === "POST" ? paramsOf(form) : {};
    const signature = headerValue(request.headers, "X-Plivo-Signature-V3");
    const nonce = headerValue(request.headers, "X-Plivo-Signature-V3-Nonce");
    expect(validateV3Signature(method, url, nonce, "my_auth_token", signature, params)).toBe(true);
    expect(verifyOurs(provider, request, "my_auth_token", T, url)).toEqual({ valid: true, provider: "plivo" });
    expect(validateV3Signature(method, url, nonce, "other_token", signature, params)).toBe(false);
    expect(verifyOurs(provider, request, "other_token", T, url)).toMatchObject({ reason: "no_matching_signature" });
    const otherUrl = url.replace("/plivo/", "/plivo2/");
    expect(validateV3Signature(method, otherUrl, nonce, "my_auth_token", signature, params)).toBe(false);
    expect(verifyOurs(provider, request, "my_auth_token", T, otherUrl)).toMatchObject({ reason: "no_matching_signature" });
    if (method === "POST" && form !== "") {
      const changed = form.replace("c4f1", "c4f2");
      expect(validateV3Signature(method, url, nonce, "my_auth_token", signature, paramsOf(changed))).toBe(false);
      expect(verifyOurs(provider, { ...request, body: Buffer.from(changed) }, "my_auth_token", T, url)).toMatchObject({ reason: "no_matching_signature" });
    }
    // During a token rotation Plivo sends one signature per token, comma-separated: both sides accept either.
    const rotated = `${"A".repeat(44)},${signature}`;
    expect(validateV3Signature(method, url, nonce, "my_auth_token", rotated, params)).toBe(true);
    const rotatedHeaders: HeaderPairs = [["X-Plivo-Signature-V3", rotated], ["X-Plivo-Signature-V3-Nonce", nonce], ...headers];
    expect(verifyOurs(provider, { method, url: "/", headers: rotatedHeaders, body }, "my_auth_token", T, url).valid).toBe(true);
    // Plivo sends V2 beside V3: sign writes both (the SDK's V2 check passes on the same delivery).
    expect(validateSignature(url, headerValue(request.headers, "X-Plivo-Signature-V2-Nonce"), headerValue(request.headers, "X-Plivo-Signature-V2"), "my_auth_token")).toBe(true);
  });

  it("a JSON body's members are the parameters, as `req.body` is for an express.json() handler", () => {
    const url = "https://hooks.example.com/plivo/sms";
    const value = { MessageUUID: "db3ce55a", From: "+15005550006", Text: "Grüße / hello", Units: 1 };
    const body = jsonBody(value);
    const { request } = signRequest(provider, { body, secret: "my_auth_token", timestamp: T, url, id: "n1" });
    expect(validateV3Signature("POST", url, "n1", "my_auth_token", headerValue(request.headers, "X-Plivo-Signature-V3"), value)).toBe(true);
    expect(verifyOurs(provider, { ...request, body: flipByte(body, "db3ce55a") }, "my_auth_token", T, url)).toMatchObject({ reason: "no_matching_signature" });
  });

  it("V3 decides when present: a tampered V3 fails even beside a valid V2; without either header: missing_header", () => {
    const url = "https://hooks.example.com/plivo/answer";
    const body = Buffer.from("CallUUID=c4f1");
    const headers: HeaderPairs = [["Content-Type", "application/x-www-form-urlencoded"]];
    const { request } = signRequest(provider, { body, secret: "my_auth_token", timestamp: T, url, id: "n2", headers });
    const tampered = request.headers.map(([n, v]): [string, string] => [n, n === "X-Plivo-Signature-V3" ? `B${v.slice(1)}` : v]);
    expect(verifyOurs(provider, { ...request, headers: tampered }, "my_auth_token", T, url)).toMatchObject({ reason: "no_matching_signature" });
    const none = { ...request, headers: request.headers.filter(([n]) => !/signature/i.test(n)) };
    expect(verifyOurs(provider, none, "my_auth_token", T, url)).toMatchObject({ reason: "missing_header", hint: "no X-Plivo-Signature-V3 or X-Plivo-Signature-V2 header" });
  });
});

function paramsOf(form: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(form)) {
    const prior = out[name];
    out[name] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return out;
}
