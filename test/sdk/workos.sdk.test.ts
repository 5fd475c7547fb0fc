// Cross-check of our `workos` scheme with @workos-inc/node 8 (the newest major that runs on Node 20):
// `webhooks.constructEvent` / `webhooks.verifyHeader` and `webhooks.computeSignature` as the signing side —
// `WorkOS-Signature: t=<ms>, v1=<hex HMAC-SHA256 of "<t>.<body>">`, older than 180 s (the SDK's default
// tolerance, in ms) rejected, read from Date.now(): frozen here. The SDK re-serialises the parsed payload
// with JSON.stringify, so the bodies here are compact JSON, as WorkOS sends them.
// https://workos.com/docs/events/data-syncing/webhooks/3-process-the-events/b-validate-the-requests-manually
import { WorkOS } from "@workos-inc/node";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, freezeClockAt, headerValue, jsonBody, requireProvider, sdkAccepts, signRequest, useFrozenClock, verifyOurs } from "./helpers.js";

const SECRET = "hooktape_workos_webhook_secret_0123456789";
const OTHER_SECRET = "hooktape_workos_other_secret_00000000000";
const T = 1_795_777_200;
const PAYLOAD = {
  id: "event_01HQZ7N7K5E0E0E0E0E0E0E0E0",
  event: "user.created",
  data: { object: "user", id: "user_01E4ZCR3C56J083X43JQXF3JK5", email: "todd@example.com", first_name: "Tödd ✓" },
  created_at: "2026-11-27T11:00:00.000Z",
};
const BODY = jsonBody(PAYLOAD);

const workos = new WorkOS("sk_test_hooktape_cross_check");

function workosAccepts(headers: HeaderPairs, body: Buffer, secret: string) {
  return sdkAccepts(() =>
    workos.webhooks.verifyHeader({ payload: JSON.parse(body.toString("utf8")) as unknown, sigHeader: headerValue(headers, "workos-signature"), secret }),
  );
}

describe("workos × @workos-inc/node (webhooks.constructEvent / verifyHeader / computeSignature)", () => {
  const provider = requireProvider("workos");
  useFrozenClock();

  it("our WorkOS-Signature (millisecond t) verifies with constructEvent and yields the event", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const event = await workos.webhooks.constructEvent({ payload: PAYLOAD, sigHeader: headerValue(request.headers, "workos-signature"), secret: SECRET });
    expect(event.event).toBe("user.created");
  });

  it("computeSignature's value in a WorkOS-Signature header verifies with ours", async () => {
    const signature = await workos.webhooks.computeSignature(T * 1000, PAYLOAD, SECRET);
    const headers: HeaderPairs = [["WorkOS-Signature", `t=${T * 1000}, v1=${signature}`]];
    expect(verifyOurs(provider, { method: "POST", url: "/workos", headers, body: BODY }, SECRET, T + 10)).toMatchObject({ valid: true, provider: "workos" });
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(headerValue(request.headers, "workos-signature")).toContain(signature);
  });

  it("a flipped body byte is rejected by both", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const tampered = flipByte(BODY, "todd@");
    expect(await workosAccepts(request.headers, tampered, SECRET)).toEqual({
      ok: false,
      error: "Signature hash does not match the expected signature hash for payload",
    });
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong secret is rejected by both", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect((await workosAccepts(request.headers, BODY, OTHER_SECRET)).ok).toBe(false);
    expect(verifyOurs(provider, request, OTHER_SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a timestamp more than 180 s old is rejected by both; exactly 180 s is accepted by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    freezeClockAt(T + 181);
    expect(await workosAccepts(request.headers, BODY, SECRET)).toEqual({ ok: false, error: "Timestamp outside the tolerance zone" });
    expect(verifyOurs(provider, request, SECRET, T + 181)).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    freezeClockAt(T + 180);
    expect(await workosAccepts(request.headers, BODY, SECRET)).toEqual({ ok: true });
    expect(verifyOurs(provider, request, SECRET, T + 180)).toMatchObject({ valid: true });
  });
});
