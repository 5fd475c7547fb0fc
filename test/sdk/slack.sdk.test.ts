// Cross-check of our `slack` scheme with @slack/bolt's `verifySlackRequest` (clock injected through
// nowMilliseconds). Bolt only verifies; the signing side is Slack's documented worked example and the
// documented procedure (`v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`).
// https://api.slack.com/authentication/verifying-requests-from-slack
import { createHmac } from "node:crypto";
import { verifySlackRequest } from "@slack/bolt/dist/receivers/verify-request.js";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, headerValue, requireProvider, sdkAccepts, signRequest, verifyOurs } from "./helpers.js";

// Slack's worked example from the page above.
const DOC = {
  secret: "8f742231b10e8888abcd99yyyzzz85a5",
  timestamp: 1_531_420_618,
  body:
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar" +
    "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com" +
    "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
  signature: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
};
const SECRET = "e6b19c573432dcc6b075501d51b51bb8";
const OTHER_SECRET = "00000000000000000000000000000000";
const T = 1_795_777_200;
const BODY = Buffer.from(
  JSON.stringify({ token: "Jhj5dZrVaK7ZwHHjRyZWjbDl", type: "event_callback", event: { type: "app_mention", text: "<@U0LAN0Z89> ¿qué tal? ✓" } }),
);

function boltAccepts(headers: HeaderPairs, body: Buffer, secret: string, nowSec: number) {
  return sdkAccepts(() =>
    verifySlackRequest({
      signingSecret: secret,
      body: body.toString("utf8"),
      headers: {
        "x-slack-signature": headerValue(headers, "x-slack-signature"),
        "x-slack-request-timestamp": Number(headerValue(headers, "x-slack-request-timestamp")),
      },
      nowMilliseconds: nowSec * 1000,
    }),
  );
}

function slackSignature(secret: string, timestamp: number, body: Buffer): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`;
}

describe("slack × @slack/bolt (verifySlackRequest)", () => {
  const provider = requireProvider("slack");

  it("Slack's documented example verifies with both", async () => {
    const headers: HeaderPairs = [
      ["X-Slack-Request-Timestamp", String(DOC.timestamp)],
      ["X-Slack-Signature", DOC.signature],
    ];
    const body = Buffer.from(DOC.body);
    expect(await boltAccepts(headers, body, DOC.secret, DOC.timestamp + 10)).toEqual({ ok: true });
    expect(verifyOurs(provider, { method: "POST", url: "/slack/commands", headers, body }, DOC.secret, DOC.timestamp + 10)).toMatchObject({
      valid: true,
      provider: "slack",
    });
  });

  it("our headers verify with Bolt", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(headerValue(request.headers, "x-slack-request-timestamp")).toBe(String(T));
    expect(await boltAccepts(request.headers, BODY, SECRET, T + 10)).toEqual({ ok: true });
  });

  it("a signature made by the documented procedure verifies with ours and equals ours", () => {
    const theirs = slackSignature(SECRET, T, BODY);
    const headers: HeaderPairs = [
      ["X-Slack-Request-Timestamp", String(T)],
      ["X-Slack-Signature", theirs],
    ];
    expect(verifyOurs(provider, { method: "POST", url: "/slack/events", headers, body: BODY }, SECRET, T + 10)).toEqual({
      valid: true,
      provider: "slack",
      signedAt: T,
    });
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(headerValue(request.headers, "x-slack-signature")).toBe(theirs);
  });

  it("a flipped body byte is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const tampered = flipByte(BODY, "app_mention");
    expect(await boltAccepts(request.headers, tampered, SECRET, T + 10)).toEqual({
      ok: false,
      error: "Failed to verify authenticity: signature mismatch",
    });
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong secret is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect((await boltAccepts(request.headers, BODY, OTHER_SECRET, T + 10)).ok).toBe(false);
    expect(verifyOurs(provider, request, OTHER_SECRET, T + 10)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a timestamp more than 5 minutes old is rejected by both; exactly 5 minutes is accepted by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const stale = await boltAccepts(request.headers, BODY, SECRET, T + 301);
    expect(stale.ok).toBe(false);
    expect(stale.error).toMatch(/stale/);
    expect(verifyOurs(provider, request, SECRET, T + 301)).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    expect(await boltAccepts(request.headers, BODY, SECRET, T + 300)).toEqual({ ok: true });
    expect(verifyOurs(provider, request, SECRET, T + 300)).toMatchObject({ valid: true });
  });
});
