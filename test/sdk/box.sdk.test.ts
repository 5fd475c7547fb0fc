// Cross-check of our `box` scheme with the official Box SDK (box-node-sdk 10): `WebhooksManager.validateMessage`
// — `box-signature-primary` / `-secondary`: base64 HMAC-SHA256 of the body followed by `box-delivery-timestamp`,
// one per signature key; deliveries older than 10 minutes, or dated in the future, are refused (Date.now():
// frozen here). The SDK only verifies; the signing side is the documented procedure.
// https://developer.box.com/guides/webhooks/v2/signatures-v2/
import { createHmac } from "node:crypto";
import { WebhooksManager } from "box-node-sdk/managers/webhooks";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, freezeClockAt, headerRecord, jsonBody, requireProvider, signRequest, useFrozenClock, verifyOurs } from "./helpers.js";

const PRIMARY = "SamplePrimaryKeyHooktape0123456789";
const SECONDARY = "SampleSecondaryKeyHooktape01234567";
const T = 1_795_777_200;
const STAMP = new Date(T * 1000).toISOString();
const BODY = jsonBody({ type: "webhook_event", id: "eb0c4e06-751f-442c-86f8-fd5bb404dbec", trigger: "FILE.UPLOADED", source: { id: "12345", type: "file", name: "Übersicht ✓.pdf" } });

function boxSignature(key: string, body: Buffer, stamp: string): string {
  return createHmac("sha256", key).update(body).update(stamp).digest("base64");
}

/** A delivery as Box sends it: signed with both of the app's keys. */
function boxHeaders(body: Buffer, stamp: string): HeaderPairs {
  return [
    ["box-delivery-id", "f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f"],
    ["box-delivery-timestamp", stamp],
    ["box-signature-algorithm", "HmacSHA256"],
    ["box-signature-primary", boxSignature(PRIMARY, body, stamp)],
    ["box-signature-secondary", boxSignature(SECONDARY, body, stamp)],
    ["box-signature-version", "1"],
  ];
}

function boxValidates(headers: HeaderPairs, body: Buffer, primaryKey: string, secondaryKey?: string): Promise<boolean> {
  return WebhooksManager.validateMessage(body.toString("utf8"), headerRecord(headers), primaryKey, secondaryKey === undefined ? {} : { secondaryKey });
}

describe("box × box-node-sdk (WebhooksManager.validateMessage)", () => {
  const provider = requireProvider("box");
  useFrozenClock();

  it("our signed delivery validates with the SDK", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: PRIMARY, timestamp: T });
    expect(await boxValidates(request.headers, BODY, PRIMARY)).toBe(true);
  });

  it("a delivery signed by the documented procedure with both keys verifies with ours under either key", async () => {
    freezeClockAt(T + 10);
    const headers = boxHeaders(BODY, STAMP);
    expect(await boxValidates(headers, BODY, PRIMARY, SECONDARY)).toBe(true);
    expect(verifyOurs(provider, { method: "POST", url: "/box", headers, body: BODY }, PRIMARY, T + 10)).toMatchObject({ valid: true, provider: "box" });
    // Rotation: the app only knows the secondary key (the primary was just regenerated).
    expect(await boxValidates(headers, BODY, "regenerated-primary-key-000000000", SECONDARY)).toBe(true);
    expect(verifyOurs(provider, { method: "POST", url: "/box", headers, body: BODY }, SECONDARY, T + 10)).toMatchObject({ valid: true });
  });

  it("a flipped body byte is rejected by both", async () => {
    freezeClockAt(T + 10);
    const headers = boxHeaders(BODY, STAMP);
    const tampered = flipByte(BODY, "FILE.UPLOADED");
    expect(await boxValidates(headers, tampered, PRIMARY, SECONDARY)).toBe(false);
    expect(verifyOurs(provider, { method: "POST", url: "/box", headers, body: tampered }, PRIMARY, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong key is rejected by both", async () => {
    freezeClockAt(T + 10);
    const headers = boxHeaders(BODY, STAMP);
    expect(await boxValidates(headers, BODY, "not-the-key-0000000000000000000000")).toBe(false);
    expect(verifyOurs(provider, { method: "POST", url: "/box", headers, body: BODY }, "not-the-key-0000000000000000000000", T + 10)).toMatchObject({
      valid: false,
      reason: "no_matching_signature",
    });
  });

  it("a delivery older than 10 minutes is rejected by both; exactly 10 minutes is accepted by both", async () => {
    const headers = boxHeaders(BODY, STAMP);
    freezeClockAt(T + 601);
    expect(await boxValidates(headers, BODY, PRIMARY)).toBe(false);
    expect(verifyOurs(provider, { method: "POST", url: "/box", headers, body: BODY }, PRIMARY, T + 601)).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    freezeClockAt(T + 600);
    expect(await boxValidates(headers, BODY, PRIMARY)).toBe(true);
    expect(verifyOurs(provider, { method: "POST", url: "/box", headers, body: BODY }, PRIMARY, T + 600)).toMatchObject({ valid: true });
  });

  it("a delivery dated a minute in the future is rejected by both", async () => {
    const headers = boxHeaders(BODY, STAMP);
    freezeClockAt(T - 60);
    expect(await boxValidates(headers, BODY, PRIMARY)).toBe(false);
    expect(verifyOurs(provider, { method: "POST", url: "/box", headers, body: BODY }, PRIMARY, T - 60)).toMatchObject({ valid: false, reason: "timestamp_too_new" });
  });
});
