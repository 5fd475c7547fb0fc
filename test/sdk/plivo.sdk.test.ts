// Cross-check of `plivo` (signature V2) with plivo-node's `validateSignature`, from its published vector
// (https://answer.url, nonce 12345, auth token my_auth_token).
import { validateSignature } from "plivo";
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
    const { request } = signRequest(provider, { body, secret: "my_auth_token", timestamp: T, url, id: "31625787461364713241" });
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
