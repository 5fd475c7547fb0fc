// Cross-check of our `linear` scheme with @linear/sdk's `LinearWebhookClient.verify` / `parseData`
// (`Linear-Signature`: hex HMAC-SHA256 of the raw body; freshness from `webhookTimestamp`, in milliseconds,
// inside the signed body, within 60 s of Date.now() in either direction — the clock is frozen here).
// The SDK only verifies; the signing side is the documented procedure.
// https://linear.app/developers/webhooks#securing-webhooks
import { createHmac } from "node:crypto";
import { LinearWebhookClient } from "@linear/sdk/webhooks";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, freezeClockAt, headerValue, jsonBody, requireProvider, sdkAccepts, signRequest, useFrozenClock, verifyOurs } from "./helpers.js";

const SECRET = "lin_wh_hooktape_cross_check_0123456789abcdef";
const OTHER_SECRET = "lin_wh_hooktape_other_0123456789abcdef0000";
const T = 1_795_777_200;

/** A Linear delivery body; Linear stamps `webhookTimestamp` (ms) into every payload it signs. */
function linearBody(webhookTimestampMs: number | undefined): Buffer {
  return jsonBody({
    action: "create",
    type: "Issue",
    data: { id: "2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9", identifier: "ENG-42", title: "Überprüfen ✓" },
    url: "https://linear.app/acme/issue/ENG-42",
    organizationId: "f9b8a6c4-0d2e-4c1a-9b3e-5d7f8a6b4c2e",
    webhookId: "000042e3-d123-4980-b49f-8e140eef9329",
    ...(webhookTimestampMs === undefined ? {} : { webhookTimestamp: webhookTimestampMs }),
  });
}

function linearSignature(secret: string, body: Buffer): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

function linearAccepts(headers: HeaderPairs, body: Buffer, secret: string) {
  return sdkAccepts(() => new LinearWebhookClient(secret).verify(body, headerValue(headers, "linear-signature")));
}

describe("linear × @linear/sdk (LinearWebhookClient.verify / parseData)", () => {
  const provider = requireProvider("linear");
  useFrozenClock();
  const BODY = linearBody(T * 1000);

  it("our Linear-Signature verifies with parseData and yields the payload", () => {
    freezeClockAt(T + 5);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const data = new LinearWebhookClient(SECRET).parseData(BODY, headerValue(request.headers, "linear-signature"));
    expect(data).toMatchObject({ type: "Issue", action: "create", webhookTimestamp: T * 1000 });
  });

  it("a signature made by the documented procedure verifies with ours and equals ours", () => {
    const theirs = linearSignature(SECRET, BODY);
    const headers: HeaderPairs = [["Linear-Signature", theirs]];
    expect(verifyOurs(provider, { method: "POST", url: "/linear", headers, body: BODY }, SECRET, T + 5)).toMatchObject({ valid: true, provider: "linear" });
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(headerValue(request.headers, "linear-signature")).toBe(theirs);
  });

  it("a flipped body byte is rejected by both", async () => {
    freezeClockAt(T + 5);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const tampered = flipByte(BODY, "ENG-42");
    expect(await linearAccepts(request.headers, tampered, SECRET)).toEqual({ ok: false, error: "Invalid webhook signature" });
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 5)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong secret is rejected by both", async () => {
    freezeClockAt(T + 5);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(await linearAccepts(request.headers, BODY, OTHER_SECRET)).toEqual({ ok: false, error: "Invalid webhook signature" });
    expect(verifyOurs(provider, request, OTHER_SECRET, T + 5)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a webhookTimestamp more than 60 s old is rejected by both; exactly 60 s is accepted by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    freezeClockAt(T + 61);
    expect(await linearAccepts(request.headers, BODY, SECRET)).toEqual({ ok: false, error: "Invalid webhook timestamp" });
    expect(verifyOurs(provider, request, SECRET, T + 61)).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    freezeClockAt(T + 60);
    expect(await linearAccepts(request.headers, BODY, SECRET)).toEqual({ ok: true });
    expect(verifyOurs(provider, request, SECRET, T + 60)).toMatchObject({ valid: true });
  });

  it("a webhookTimestamp more than 60 s in the future is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    freezeClockAt(T - 61);
    expect(await linearAccepts(request.headers, BODY, SECRET)).toEqual({ ok: false, error: "Invalid webhook timestamp" });
    expect(verifyOurs(provider, request, SECRET, T - 61)).toMatchObject({ valid: false, reason: "timestamp_too_new" });
  });

  it("a correctly signed body without webhookTimestamp is rejected by both", async () => {
    freezeClockAt(T);
    const body = linearBody(undefined);
    const headers: HeaderPairs = [["Linear-Signature", linearSignature(SECRET, body)]];
    expect(await linearAccepts(headers, body, SECRET)).toEqual({ ok: false, error: "Missing webhook timestamp" });
    expect(verifyOurs(provider, { method: "POST", url: "/linear", headers, body }, SECRET, T)).toMatchObject({ valid: false });
  });

  it("only the top-level webhookTimestamp counts: a fresh one nested in data does not make a stale delivery fresh", async () => {
    // @linear/sdk reads `JSON.parse(body).webhookTimestamp` (the top-level field) — see its verify().
    freezeClockAt(T);
    const body = jsonBody({
      action: "update",
      type: "Issue",
      data: { id: "2174add1", webhookTimestamp: T * 1000 },
      webhookTimestamp: (T - 3600) * 1000,
    });
    const headers: HeaderPairs = [["Linear-Signature", linearSignature(SECRET, body)]];
    expect(await linearAccepts(headers, body, SECRET)).toEqual({ ok: false, error: "Invalid webhook timestamp" });
    expect(verifyOurs(provider, { method: "POST", url: "/linear", headers, body }, SECRET, T)).toMatchObject({ valid: false, reason: "timestamp_too_old" });
  });
});
