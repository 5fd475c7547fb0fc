// Cross-check of `orb` with orb-billing's `webhooks.verifySignature`, from the vector in orb-node's
// tests/api-resources/webhooks.test.ts. Orb's SDK reads Date.now(): frozen here.
// https://github.com/orbcorp/orb-node/blob/main/src/resources/webhooks.ts
import Orb from "orb-billing";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, freezeClockAt, headerRecord, headerValue, jsonBody, requireProvider, sdkAccepts, signRequest, useFrozenClock, verifyOurs } from "./helpers.js";

const SECRET = "c-UGKYdnhHh436B_sMouYAPUvXyWpzOdunZBV5dFSD8";
const provider = requireProvider("orb");
const client = new Orb({ apiKey: "test", webhookSecret: SECRET });
const T = 1_795_777_200;

// The SDK test's payload, byte for byte, and the signature it expects at that timestamp.
const VECTOR_BODY = `{"id": "o4mmewpfNNTnjfZc", "created_at": "2024-03-27T15:42:29+00:00", "type": "resource_event.test", "properties": {"message": "A test webhook from Orb. Happy testing!"}}`;
const VECTOR_TS = "2024-03-27T15:42:29.551";
const VECTOR_SIG = "v1=9d25de966891ab0bc18754faf8d83d0980b44ae330fcc130b41a6cf3daf1f391";
const VECTOR_NOW = Math.floor(Date.parse(`${VECTOR_TS}Z`) / 1000);

describe("orb × orb-billing", () => {
  useFrozenClock();
  const body = jsonBody({ id: "o4mmewpfNNTnjfZc", type: "invoice.issued", properties: { customer: "Zoë Müller" } });
  const text = body.toString("utf8");

  it("the SDK test's vector verifies with ours, read as UTC", () => {
    const headers: HeaderPairs = [["X-Orb-Timestamp", VECTOR_TS], ["X-Orb-Signature", VECTOR_SIG]];
    const result = verifyOurs(provider, { method: "POST", url: "/webhooks", headers, body: Buffer.from(VECTOR_BODY) }, SECRET, VECTOR_NOW);
    // If the timestamp were read in local time, the result would be stale or in the future on any machine off UTC.
    expect(result).toEqual({ valid: true, provider: "orb", signedAt: Date.parse(`${VECTOR_TS}Z`) / 1000 });
    freezeClockAt(VECTOR_NOW);
    expect(() => client.webhooks.verifySignature(VECTOR_BODY, headerRecord(headers), SECRET)).not.toThrow();
  });

  it("our headers verify with the SDK, and the SDK's signPayload with ours", () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T });
    expect(() => client.webhooks.verifySignature(text, headerRecord(request.headers), SECRET)).not.toThrow();
    const timestamp = headerValue(request.headers, "X-Orb-Timestamp");
    // signPayload is the SDK's own signer (private in its types; the verifier calls it).
    const sdkSigner = client.webhooks as unknown as { signPayload(payload: string, opts: { timestamp: string; secret: Uint8Array }): string };
    const theirs = sdkSigner.signPayload(text, { timestamp, secret: new Uint8Array(Buffer.from(SECRET)) });
    const headers: HeaderPairs = [["X-Orb-Timestamp", timestamp], ["X-Orb-Signature", theirs]];
    expect(verifyOurs(provider, { method: "POST", url: "/webhooks", headers, body }, SECRET, T + 10).valid).toBe(true);
  });

  it("a flipped body byte, a wrong secret, and timestamps 301 s away either side are rejected by both", async () => {
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T });
    freezeClockAt(T);
    const tampered = flipByte(body, "o4mm");
    expect((await sdkAccepts(() => client.webhooks.verifySignature(tampered.toString("utf8"), headerRecord(request.headers), SECRET))).ok).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T)).toMatchObject({ reason: "no_matching_signature" });
    expect((await sdkAccepts(() => client.webhooks.verifySignature(text, headerRecord(request.headers), "other"))).ok).toBe(false);
    expect(verifyOurs(provider, request, "other", T)).toMatchObject({ reason: "no_matching_signature" });
    freezeClockAt(T + 301);
    expect(await sdkAccepts(() => client.webhooks.verifySignature(text, headerRecord(request.headers), SECRET))).toEqual({ ok: false, error: "Webhook timestamp is too old" });
    expect(verifyOurs(provider, request, SECRET, T + 301)).toMatchObject({ reason: "timestamp_too_old" });
    freezeClockAt(T - 301);
    expect(await sdkAccepts(() => client.webhooks.verifySignature(text, headerRecord(request.headers), SECRET))).toEqual({ ok: false, error: "Webhook timestamp is too new" });
    expect(verifyOurs(provider, request, SECRET, T - 301)).toMatchObject({ reason: "timestamp_too_new" });
  });
});
