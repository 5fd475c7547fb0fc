// Cross-check of our `paddle` scheme with @paddle/paddle-node-sdk (`paddle.webhooks.unmarshal` and
// `paddle.webhooks.isSignatureValid`: `Paddle-Signature: ts=<s>;h1=<hex HMAC-SHA256 of "<ts>:<body>">`, 5 s
// tolerance read from Date.now(), frozen here). The SDK only verifies; the signing side is the documented
// procedure. https://developer.paddle.com/webhooks/signature-verification
import { createHmac } from "node:crypto";
import { Environment, Paddle } from "@paddle/paddle-node-sdk";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, freezeClockAt, headerValue, jsonBody, requireProvider, sdkAccepts, signRequest, useFrozenClock, verifyOurs } from "./helpers.js";

const SECRET = "pdl_ntfset_01hv8x29kz0t586xy6zn1a62ne_lOuOxnVQFvEr1NJz9Nz7O0XeTsHc4HcM";
const OTHER_SECRET = "pdl_ntfset_01hv8x29kz0t586xy6zn1a62nf_otherOtherOtherOtherOtherOther";
const T = 1_795_777_200;
const BODY = jsonBody({
  event_id: "evt_01hv8x2acma2gz3he9f9dw2xy0",
  event_type: "customer.created",
  occurred_at: "2026-11-27T11:00:00.000Z",
  notification_id: "ntf_01hv8x2af4vnfah4k7dt0dc8zm",
  data: {
    id: "ctm_01hv8wt8nffez4p2t6tn7b2xnj",
    name: "José Señor ✓",
    email: "jose@example.com",
    marketing_consent: false,
    status: "active",
    custom_data: null,
    locale: "es",
    created_at: "2026-11-27T11:00:00.000Z",
    updated_at: "2026-11-27T11:00:00.000Z",
    import_meta: null,
  },
});

function paddleSignature(secret: string, ts: number, body: Buffer): string {
  return `ts=${ts};h1=${createHmac("sha256", secret).update(`${ts}:`).update(body).digest("hex")}`;
}

describe("paddle × @paddle/paddle-node-sdk (Webhooks.unmarshal, isSignatureValid)", () => {
  const provider = requireProvider("paddle");
  // As Paddle's docs do: `paddle.webhooks` of a client (constructing it selects the Node crypto runtime; a
  // bare `new Webhooks()` has none and rejects every signature).
  const webhooks = new Paddle("pdl_sdbx_apikey_hooktape_cross_check", { environment: Environment.sandbox }).webhooks;
  useFrozenClock();

  it("our Paddle-Signature verifies with unmarshal and yields the event", async () => {
    freezeClockAt(T + 2);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const event = await webhooks.unmarshal(BODY.toString("utf8"), SECRET, headerValue(request.headers, "paddle-signature"));
    expect(event.eventId).toBe("evt_01hv8x2acma2gz3he9f9dw2xy0");
    expect(event.eventType).toBe("customer.created");
  });

  it("a signature made by the documented procedure verifies with ours and equals ours", async () => {
    freezeClockAt(T + 2);
    const theirs = paddleSignature(SECRET, T, BODY);
    expect(await webhooks.isSignatureValid(BODY.toString("utf8"), SECRET, theirs)).toBe(true);
    const headers: HeaderPairs = [["Paddle-Signature", theirs]];
    expect(verifyOurs(provider, { method: "POST", url: "/paddle", headers, body: BODY }, SECRET, T + 2)).toEqual({ valid: true, provider: "paddle", signedAt: T });
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(headerValue(request.headers, "paddle-signature")).toBe(theirs);
  });

  it("a flipped body byte is rejected by both", async () => {
    freezeClockAt(T + 2);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const tampered = flipByte(BODY, "ctm_01hv8");
    expect(await webhooks.isSignatureValid(tampered.toString("utf8"), SECRET, headerValue(request.headers, "paddle-signature"))).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 2)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong secret is rejected by both", async () => {
    freezeClockAt(T + 2);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const theirs = await sdkAccepts(() => webhooks.unmarshal(BODY.toString("utf8"), OTHER_SECRET, headerValue(request.headers, "paddle-signature")));
    expect(theirs).toEqual({ ok: false, error: "[Paddle] Webhook signature verification failed" });
    expect(verifyOurs(provider, request, OTHER_SECRET, T + 2)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a timestamp more than 5 s old is rejected by both; exactly 5 s is accepted by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const header = headerValue(request.headers, "paddle-signature");
    freezeClockAt(T + 6);
    expect(await webhooks.isSignatureValid(BODY.toString("utf8"), SECRET, header)).toBe(false);
    expect(verifyOurs(provider, request, SECRET, T + 6)).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    freezeClockAt(T + 5);
    expect(await webhooks.isSignatureValid(BODY.toString("utf8"), SECRET, header)).toBe(true);
    expect(verifyOurs(provider, request, SECRET, T + 5)).toMatchObject({ valid: true });
  });
});
