import { describe, expect, it } from "vitest";
import { clerk } from "../../src/providers/clerk.js";
import { resend } from "../../src/providers/resend.js";
import { standardWebhooks } from "../../src/providers/standard-webhooks.js";
import { svix } from "../../src/providers/svix.js";
import { flipByte, headerOf, signedRequest, withHeader, withoutHeader } from "./helpers.js";

// The vector shared by the Standard Webhooks and Svix libraries (e.g. standard-webhooks
// `libraries/javascript/src/index.test.ts`, svix `javascript/src/webhook.test.ts`).
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const T = 1614265330;
const BODY = '{"test": 2432232314}';
const SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

function vector(prefix: "webhook" | "svix") {
  return {
    method: "POST",
    url: "/hooks",
    headers: [
      [`${prefix}-id`, ID],
      [`${prefix}-timestamp`, String(T)],
      [`${prefix}-signature`, SIGNATURE],
    ] as Array<[string, string]>,
    body: Buffer.from(BODY),
  };
}

describe("standard-webhooks", () => {
  const req = vector("webhook");

  it("accepts the shared library vector and signs it to the same header", () => {
    expect(standardWebhooks.verify(req, [SECRET], { now: T })).toEqual({ valid: true, provider: "standard-webhooks", signedAt: T });
    const out = standardWebhooks.sign({ body: Buffer.from(BODY), secret: SECRET, timestamp: T, id: ID, method: "POST", headers: [] });
    expect(out.headers).toEqual([
      ["webhook-id", ID],
      ["webhook-timestamp", String(T)],
      ["webhook-signature", SIGNATURE],
    ]);
  });

  it("accepts the secret without the whsec_ prefix, as the libraries do", () => {
    expect(standardWebhooks.verify(req, [SECRET.slice(6)], { now: T }).valid).toBe(true);
  });

  it("finds the matching signature in a space-separated list (rotation) and ignores other versions", () => {
    const multi = withHeader(req, "webhook-signature", `v1,${"A".repeat(43)}= v1a,xyz ${SIGNATURE}`);
    expect(standardWebhooks.verify(multi, [SECRET], { now: T }).valid).toBe(true);
  });

  it("rejects timestamps more than 300 s away in BOTH directions", () => {
    expect(standardWebhooks.verify(req, [SECRET], { now: T + 301 })).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    expect(standardWebhooks.verify(req, [SECRET], { now: T - 301 })).toMatchObject({ valid: false, reason: "timestamp_too_new" });
    expect(standardWebhooks.verify(req, [SECRET], { now: T - 300 }).valid).toBe(true);
  });

  it("rejects a changed id, a flipped body byte and a wrong secret", () => {
    expect(standardWebhooks.verify(withHeader(req, "webhook-id", "msg_other"), [SECRET], { now: T })).toMatchObject({ reason: "no_matching_signature" });
    expect(standardWebhooks.verify({ ...req, body: flipByte(req.body, 2) }, [SECRET], { now: T })).toMatchObject({ reason: "no_matching_signature" });
    expect(standardWebhooks.verify(req, ["whsec_" + Buffer.from("other").toString("base64")], { now: T })).toMatchObject({ reason: "no_matching_signature" });
  });

  it("reports missing headers, a malformed signature list and an unusable secret", () => {
    expect(standardWebhooks.verify(withoutHeader(req, "webhook-signature"), [SECRET], { now: T })).toMatchObject({ reason: "missing_header" });
    expect(standardWebhooks.verify(withoutHeader(req, "webhook-id"), [SECRET], { now: T })).toMatchObject({ reason: "missing_header" });
    expect(standardWebhooks.verify(withHeader(req, "webhook-signature", "g0hM9SsE"), [SECRET], { now: T })).toMatchObject({ reason: "malformed_header" });
    expect(standardWebhooks.verify(withHeader(req, "webhook-timestamp", "soon"), [SECRET], { now: T })).toMatchObject({ reason: "malformed_header" });
    expect(standardWebhooks.verify(req, ["whsec_not base64!"], { now: T })).toMatchObject({ reason: "malformed_key" });
  });

  it("throws a KeyFormatError when asked to sign with a non-base64 secret", () => {
    expect(() => standardWebhooks.sign({ body: Buffer.from(""), secret: "whsec_***", timestamp: T, id: ID, method: "POST", headers: [] })).toThrow(/whsec_/);
  });
});

describe("svix and its aliases", () => {
  it("svix accepts Svix's vector under svix-* headers", () => {
    expect(svix.verify(vector("svix"), [SECRET], { now: T })).toEqual({ valid: true, provider: "svix", signedAt: T });
    expect(svix.verify(vector("webhook"), [SECRET], { now: T })).toMatchObject({ reason: "missing_header" });
  });

  it("clerk and resend verify the same deliveries but are never auto-detected over svix", () => {
    const signed = signedRequest(clerk, { body: BODY, secret: SECRET, timestamp: T, id: ID });
    expect(headerOf(signed, "svix-signature")).toBe(SIGNATURE);
    expect(resend.verify(signed, [SECRET], { now: T }).valid).toBe(true);
    expect(svix.detect(signed.headers)).toBe(true);
    expect(clerk.detect(signed.headers)).toBe(false);
    expect(resend.detect(signed.headers)).toBe(false);
  });
});
