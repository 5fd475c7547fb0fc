// Clerk and Resend deliver through Svix; besides the svix SDK (svix.sdk.test.ts, both directions), their own
// SDKs' verifiers must accept our deliveries: @clerk/backend `verifyWebhook(request)` (reads svix-* headers from
// a Fetch Request) and resend `resend.webhooks.verify(...)`. Both read Date.now(): frozen here. Neither SDK
// signs, so the other direction is in svix.sdk.test.ts.
// https://clerk.com/docs/guides/development/webhooks/syncing · https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests
import { verifyWebhook } from "@clerk/backend/webhooks";
import { Resend } from "resend";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, freezeClockAt, headerValue, jsonBody, requireProvider, sdkAccepts, signRequest, useFrozenClock, verifyOurs } from "./helpers.js";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_SECRET = "whsec_ZmFrZV9vdGhlcl9zZWNyZXRfZm9yX2hvb2t0YXBl";
const T = 1_795_777_200;
const ID = "msg_2Lh9KRbcyy2yNw7D8xkl1GAcaNd";

describe("clerk × @clerk/backend (verifyWebhook)", () => {
  const provider = requireProvider("clerk");
  useFrozenClock();
  const body = jsonBody({
    type: "user.created",
    object: "event",
    data: { id: "user_29w83sxmDNGwOuEthce5gg56FcC", first_name: "Jürgen", email_addresses: [{ email_address: "j@example.com" }] },
    timestamp: T * 1000,
    instance_id: "ins_123",
  });

  function clerkAccepts(headers: HeaderPairs, bytes: Buffer, secret: string) {
    const request = new Request("http://127.0.0.1/api/webhooks/clerk", { method: "POST", headers, body: bytes });
    return sdkAccepts(() => verifyWebhook(request, { signingSecret: secret }));
  }

  it("our delivery verifies with verifyWebhook and yields the event", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T, id: ID });
    const evt = await verifyWebhook(new Request("http://127.0.0.1/api/webhooks/clerk", { method: "POST", headers: request.headers, body }), {
      signingSecret: SECRET,
    });
    expect(evt.type).toBe("user.created");
    expect(evt.data).toMatchObject({ id: "user_29w83sxmDNGwOuEthce5gg56FcC" });
  });

  it("a flipped body byte, a wrong secret and a stale timestamp are rejected by both", async () => {
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T, id: ID });
    freezeClockAt(T + 10);
    const tampered = flipByte(body, "user_29w");
    expect((await clerkAccepts(request.headers, tampered, SECRET)).ok).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect((await clerkAccepts(request.headers, body, OTHER_SECRET)).ok).toBe(false);
    expect(verifyOurs(provider, request, OTHER_SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
    freezeClockAt(T + 301);
    const stale = await clerkAccepts(request.headers, body, SECRET);
    expect(stale.ok).toBe(false);
    expect(stale.error).toMatch(/too old/);
    expect(verifyOurs(provider, request, SECRET, T + 301)).toMatchObject({ valid: false, reason: "timestamp_too_old" });
  });
});

describe("resend × resend (webhooks.verify)", () => {
  const provider = requireProvider("resend");
  useFrozenClock();
  const resend = new Resend("re_hooktape_cross_check");
  const body = jsonBody({
    type: "email.delivered",
    created_at: "2026-11-27T11:00:00.000Z",
    data: { email_id: "56761188-7520-42d8-8898-ff6fc54ce618", subject: "Bonjour ✓", to: ["zoe@example.com"] },
  });

  function resendAccepts(headers: HeaderPairs, bytes: Buffer, secret: string) {
    return sdkAccepts(() =>
      resend.webhooks.verify({
        payload: bytes.toString("utf8"),
        headers: { id: headerValue(headers, "svix-id"), timestamp: headerValue(headers, "svix-timestamp"), signature: headerValue(headers, "svix-signature") },
        webhookSecret: secret,
      }),
    );
  }

  it("our delivery verifies with resend.webhooks.verify and yields the event", () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T, id: ID });
    const event = resend.webhooks.verify({
      payload: body.toString("utf8"),
      headers: {
        id: headerValue(request.headers, "svix-id"),
        timestamp: headerValue(request.headers, "svix-timestamp"),
        signature: headerValue(request.headers, "svix-signature"),
      },
      webhookSecret: SECRET,
    });
    expect(event.type).toBe("email.delivered");
  });

  it("a flipped body byte, a wrong secret and a stale timestamp are rejected by both", async () => {
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T, id: ID });
    freezeClockAt(T + 10);
    const tampered = flipByte(body, "56761188");
    expect(await resendAccepts(request.headers, tampered, SECRET)).toEqual({ ok: false, error: "No matching signature found" });
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect((await resendAccepts(request.headers, body, OTHER_SECRET)).ok).toBe(false);
    expect(verifyOurs(provider, request, OTHER_SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
    freezeClockAt(T + 301);
    expect(await resendAccepts(request.headers, body, SECRET)).toEqual({ ok: false, error: "Message timestamp too old" });
    expect(verifyOurs(provider, request, SECRET, T + 301)).toMatchObject({ valid: false, reason: "timestamp_too_old" });
  });
});
