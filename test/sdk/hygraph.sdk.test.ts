// Cross-check of `hygraph` with @hygraph/utils (`generateWebhookSignature` / `verifyWebhookSignature`). The SDK's
// generator reads Date.now(): frozen here.
import { generateWebhookSignature, verifyWebhookSignature } from "@hygraph/utils";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, freezeClockAt, headerValue, jsonBody, requireProvider, signRequest, useFrozenClock, verifyOurs } from "./helpers.js";

const SECRET = "hooktape-hygraph-test-secret";
const T = 1_795_777_200;
const provider = requireProvider("hygraph");
const body = jsonBody({ operation: "publish", data: { __typename: "Post", id: "ckadrcx4g00pw01525c5d2e56", title: "Grüße aus Köln" } });
const text = body.toString("utf8");

describe("hygraph × @hygraph/utils", () => {
  useFrozenClock();

  it("ours passes verifyWebhookSignature; the SDK's signature (another environment) passes ours", () => {
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T });
    const signature = headerValue(request.headers, "gcms-signature");
    expect(signature).toMatch(new RegExp(`, env=master, t=${T}000$`));
    expect(verifyWebhookSignature({ rawPayload: text, signature, secret: SECRET })).toBe(true);
    freezeClockAt(T);
    const theirs = generateWebhookSignature({ rawPayload: text, secret: SECRET, environmentName: "staging" });
    const headers: HeaderPairs = [["gcms-signature", theirs]];
    expect(verifyOurs(provider, { method: "POST", url: "/", headers, body }, SECRET, T)).toEqual({ valid: true, provider: "hygraph", signedAt: T });
  });

  it("a flipped body byte, another secret or another environment name fail both", () => {
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T });
    const signature = headerValue(request.headers, "gcms-signature");
    const tampered = flipByte(body, "ckad");
    expect(verifyWebhookSignature({ rawPayload: tampered.toString("utf8"), signature, secret: SECRET })).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T)).toMatchObject({ reason: "no_matching_signature" });
    expect(verifyWebhookSignature({ rawPayload: text, signature, secret: "other" })).toBe(false);
    expect(verifyOurs(provider, request, "other", T)).toMatchObject({ reason: "no_matching_signature" });
    const otherEnv = signature.replace("env=master", "env=staging");
    expect(verifyWebhookSignature({ rawPayload: text, signature: otherEnv, secret: SECRET })).toBe(false);
    expect(verifyOurs(provider, { ...request, headers: [["gcms-signature", otherEnv]] }, SECRET, T)).toMatchObject({ reason: "no_matching_signature" });
  });
});
