// Cross-check of our `zoom` scheme with Zoom's own SDK, @zoom/rivet (0.x): its AwsLambdaReceiver verifies
// `x-zm-signature: v0=<hex HMAC-SHA256 of "v0:<x-zm-request-timestamp>:<body>">` with the secret token and
// answers 200 or 400. Rivet re-serialises the parsed body (JSON.stringify) before hashing, so the bodies here
// are compact JSON, as Zoom sends them. Rivet checks no timestamp age: the stale case is a changed timestamp
// header, which both must reject. The SDK only verifies; the signing side is the documented procedure.
// https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
import { createHmac } from "node:crypto";
import { AwsLambdaReceiver } from "@zoom/rivet/meetings";
import { describe, expect, it, vi } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, headerRecord, jsonBody, requireProvider, signRequest, verifyOurs, withHeader } from "./helpers.js";

const SECRET = "hooktapeZoomSecretToken0123";
const OTHER_SECRET = "hooktapeZoomOtherToken00000";
const T = 1_795_777_200;
const BODY = jsonBody({
  event: "meeting.started",
  event_ts: T * 1000,
  payload: { account_id: "AAAAAABBBB", object: { id: "1234567890", topic: "Réunion d'équipe ✓", host_id: "x1yCzABCDEfg23HiJKl4mN" } },
});

/** Rivet's Lambda handler, the way AWS would call it; returns the status Zoom would see. */
async function rivetStatus(headers: HeaderPairs, body: Buffer, secret: string): Promise<number> {
  // Rivet logs every event it processes with console.debug; keep the test output readable.
  const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
  try {
    const receiver = new AwsLambdaReceiver({ webhooksSecretToken: secret });
    receiver.init({ eventEmitter: { emit: async () => {} } } as never);
    const handler = receiver.start() as unknown as (event: object, context: object) => Promise<{ statusCode: number }>;
    const result = await handler({ body: body.toString("utf8"), headers: headerRecord(headers), isBase64Encoded: false }, {});
    return result.statusCode;
  } finally {
    debug.mockRestore();
  }
}

describe("zoom × @zoom/rivet (AwsLambdaReceiver verification)", () => {
  const provider = requireProvider("zoom");

  it("our x-zm-signature is accepted by Rivet (200)", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(await rivetStatus(request.headers, BODY, SECRET)).toBe(200);
  });

  it("a signature made by the documented procedure verifies with ours and equals ours", async () => {
    const theirs = `v0=${createHmac("sha256", SECRET).update(`v0:${T}:${BODY.toString("utf8")}`).digest("hex")}`;
    const headers: HeaderPairs = [
      ["x-zm-request-timestamp", String(T)],
      ["x-zm-signature", theirs],
    ];
    expect(await rivetStatus(headers, BODY, SECRET)).toBe(200);
    expect(verifyOurs(provider, { method: "POST", url: "/zoom", headers, body: BODY }, SECRET, T + 5)).toMatchObject({ valid: true, provider: "zoom" });
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(request.headers).toContainEqual(["x-zm-signature", theirs]);
  });

  it("a flipped body byte is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const tampered = flipByte(BODY, "1234567890");
    expect(await rivetStatus(request.headers, tampered, SECRET)).toBe(400);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 5)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong secret token is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(await rivetStatus(request.headers, BODY, OTHER_SECRET)).toBe(400);
    expect(verifyOurs(provider, request, OTHER_SECRET, T + 5)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a replayed signature with an older x-zm-request-timestamp is rejected by both (the timestamp is signed)", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const headers = withHeader(request.headers, "x-zm-request-timestamp", String(T - 3600));
    expect(await rivetStatus(headers, BODY, SECRET)).toBe(400);
    expect(verifyOurs(provider, { ...request, headers }, SECRET, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });
});
