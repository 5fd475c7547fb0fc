// Cross-check of `modern-treasury` with modern-treasury-node's `webhooks.getSignature` / `validateSignature`.
// https://github.com/Modern-Treasury/modern-treasury-node/blob/main/src/resources/webhooks.ts
import ModernTreasury from "modern-treasury";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, headerRecord, jsonBody, requireProvider, signRequest, verifyOurs } from "./helpers.js";

const KEY = "hooktape-test-webhook-key";
const T = 1_795_777_200;
const provider = requireProvider("modern-treasury");
const client = new ModernTreasury({ apiKey: "test", organizationID: "org", webhookKey: KEY });
const body = jsonBody({ event: "completed", data: { id: "b1b3c7a4-7bd5-4a6e-8d4d-0d3c2e3f9a11", object: "payment_order", description: "Überweisung — Zoë" } });
const text = body.toString("utf8");

describe("modern-treasury × modern-treasury-node", () => {
  it("our X-Signature passes the SDK's validateSignature (with the headers as Node hands them over)", () => {
    const { request } = signRequest(provider, { body, secret: KEY, timestamp: T });
    expect(client.webhooks.validateSignature(text, headerRecord(request.headers), { key: KEY })).toBe(true);
  });

  it("the SDK's getSignature verifies with ours", () => {
    const headers: HeaderPairs = [["X-Signature", client.webhooks.getSignature(text, { key: KEY })], ["X-Topic", "payment_order"]];
    expect(verifyOurs(provider, { method: "POST", url: "/webhooks", headers, body }, KEY, T).valid).toBe(true);
  });

  it("a flipped body byte and a wrong key are rejected by both", () => {
    const { request } = signRequest(provider, { body, secret: KEY, timestamp: T });
    const tampered = flipByte(body, "b1b3");
    expect(client.webhooks.validateSignature(tampered.toString("utf8"), headerRecord(request.headers), { key: KEY })).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, KEY, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect(client.webhooks.validateSignature(text, headerRecord(request.headers), { key: "other-key" })).toBe(false);
    expect(verifyOurs(provider, request, "other-key", T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });
});
