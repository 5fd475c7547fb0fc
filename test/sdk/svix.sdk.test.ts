// Cross-check of `svix` and the senders that deliver through Svix (`clerk`, `resend`) with the `svix` SDK's
// `Webhook` — the class Clerk's and Resend's docs tell handlers to use. Svix reads Date.now(): frozen here.
// https://docs.svix.com/receiving/verifying-payloads/how-manual
import { Webhook } from "svix/dist/webhook.js";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import {
  flipByte,
  freezeClockAt,
  headerRecord,
  headerValue,
  jsonBody,
  requireProvider,
  sdkAccepts,
  signRequest,
  useFrozenClock,
  verifyOurs,
} from "./helpers.js";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_SECRET = "whsec_ZmFrZV9vdGhlcl9zZWNyZXRfZm9yX2hvb2t0YXBl";
const T = 1_795_777_200;
const ID = "msg_2Lh9KRbcyy2yNw7D8xkl1GAcaNd";

const SENDERS = [
  { id: "svix", body: jsonBody({ eventType: "invoice.paid", payload: { id: "inv_42", note: "naïve café" } }), marker: "inv_42" },
  { id: "clerk", body: jsonBody({ type: "user.created", object: "event", data: { id: "user_29w83sxmDNGwOuEthce5gg56FcC", first_name: "Jürgen" } }), marker: "user_29w" },
  { id: "resend", body: jsonBody({ type: "email.delivered", created_at: "2026-11-27T11:00:00.000Z", data: { email_id: "56761188-7520-42d8-8898-ff6fc54ce618", subject: "Bonjour ✓" } }), marker: "56761188" },
] as const;

describe.each(SENDERS)("$id × svix SDK (Webhook.sign / Webhook.verify)", ({ id, body, marker }) => {
  const provider = requireProvider(id);
  useFrozenClock();
  const text = body.toString("utf8");

  it("our svix-* headers verify with the SDK", () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T, id: ID });
    expect(headerValue(request.headers, "svix-id")).toBe(ID);
    expect(headerValue(request.headers, "svix-timestamp")).toBe(String(T));
    expect(new Webhook(SECRET).verify(text, headerRecord(request.headers))).toEqual(JSON.parse(text));
  });

  it("the SDK's sign() in svix-* headers verifies with ours", () => {
    const headers: HeaderPairs = [
      ["svix-id", ID],
      ["svix-timestamp", String(T)],
      ["svix-signature", new Webhook(SECRET).sign(ID, new Date(T * 1000), text)],
    ];
    const ours = verifyOurs(provider, { method: "POST", url: "/webhooks", headers, body }, SECRET, T + 10);
    expect(ours).toEqual({ valid: true, provider: id, signedAt: T });
  });

  it("a flipped body byte is rejected by both", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T, id: ID });
    const tampered = flipByte(body, marker);
    expect(await sdkAccepts(() => new Webhook(SECRET).verify(tampered.toString("utf8"), headerRecord(request.headers)))).toEqual({
      ok: false,
      error: "No matching signature found",
    });
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong secret is rejected by both", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T, id: ID });
    expect((await sdkAccepts(() => new Webhook(OTHER_SECRET).verify(text, headerRecord(request.headers)))).ok).toBe(false);
    expect(verifyOurs(provider, request, OTHER_SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a stale (301 s) and a future (301 s ahead) timestamp are rejected by both", async () => {
    const { request } = signRequest(provider, { body, secret: SECRET, timestamp: T, id: ID });
    freezeClockAt(T + 301);
    expect(await sdkAccepts(() => new Webhook(SECRET).verify(text, headerRecord(request.headers)))).toEqual({ ok: false, error: "Message timestamp too old" });
    expect(verifyOurs(provider, request, SECRET, T + 301)).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    freezeClockAt(T - 301);
    expect(await sdkAccepts(() => new Webhook(SECRET).verify(text, headerRecord(request.headers)))).toEqual({ ok: false, error: "Message timestamp too new" });
    expect(verifyOurs(provider, request, SECRET, T - 301)).toMatchObject({ valid: false, reason: "timestamp_too_new" });
  });
});
