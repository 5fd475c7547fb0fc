import { describe, expect, it } from "vitest";
import { github } from "../../src/providers/github.js";
import { flipByte, headerOf, signedRequest, withoutHeader, withHeader } from "./helpers.js";

// The vector from https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
const SECRET = "It's a Secret to Everybody";
const BODY = Buffer.from("Hello, World!");
const SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
const docRequest = {
  method: "POST",
  url: "/webhooks/github",
  headers: [
    ["X-GitHub-Event", "push"],
    ["X-Hub-Signature-256", SIGNATURE],
  ] as Array<[string, string]>,
  body: BODY,
};
const now = 1_800_000_000;

describe("github", () => {
  it("accepts GitHub's documented test vector", () => {
    expect(github.verify(docRequest, [SECRET], { now })).toEqual({ valid: true, provider: "github", signedAt: undefined });
  });

  it("signs the documented vector to the documented header, plus the legacy sha1 header and event headers", () => {
    const out = github.sign({ body: BODY, secret: SECRET, timestamp: now, id: "d-1", method: "POST", headers: [["X-GitHub-Event", "push"]] });
    expect(headerOf(out, "X-Hub-Signature-256")).toBe(SIGNATURE);
    expect(headerOf(out, "X-Hub-Signature")).toMatch(/^sha1=[0-9a-f]{40}$/);
    expect(headerOf(out, "X-GitHub-Event")).toBe("push");
    expect(headerOf(out, "X-GitHub-Delivery")).toBe("d-1");
  });

  it("rejects a flipped body byte with a re-serialisation hint", () => {
    const result = github.verify({ ...docRequest, body: flipByte(BODY, 3) }, [SECRET], { now });
    expect(result).toMatchObject({ valid: false, provider: "github", reason: "no_matching_signature" });
    expect(result.valid || result.hint).toMatch(/re-serialised/);
  });

  it("rejects the wrong secret, and names whitespace when the secret has some", () => {
    expect(github.verify(docRequest, ["other"], { now })).toMatchObject({ valid: false, reason: "no_matching_signature" });
    const spaced = github.verify(docRequest, [`${SECRET}\n`], { now });
    expect(spaced).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect(spaced.valid || spaced.hint).toMatch(/whitespace/);
  });

  it("accepts when any of two rotated secrets matches", () => {
    expect(github.verify(docRequest, ["old-secret", SECRET], { now }).valid).toBe(true);
  });

  it("reports a missing signature header, a malformed one, and no secret", () => {
    expect(github.verify(withoutHeader(docRequest, "X-Hub-Signature-256"), [SECRET], { now })).toMatchObject({ reason: "missing_header" });
    expect(github.verify(withHeader(docRequest, "X-Hub-Signature-256", "757107ea"), [SECRET], { now })).toMatchObject({ reason: "malformed_header" });
    expect(github.verify(docRequest, [], { now })).toEqual({ valid: false, provider: "github", reason: "no_secret" });
  });

  it("falls back to the legacy sha1 header when it is the only one", () => {
    const signed = signedRequest(github, { body: BODY, secret: SECRET, timestamp: now });
    const legacyOnly = withoutHeader(signed, "X-Hub-Signature-256");
    expect(github.verify(legacyOnly, [SECRET], { now }).valid).toBe(true);
    expect(github.verify(withHeader(legacyOnly, "X-Hub-Signature", "sha1=" + "0".repeat(40)), [SECRET], { now })).toMatchObject({
      reason: "no_matching_signature",
    });
  });

  it("throws a TypeError for an empty secret (caller misuse)", () => {
    expect(() => github.verify(docRequest, [""], { now })).toThrow(TypeError);
    expect(() => github.sign({ body: BODY, secret: "", timestamp: now, id: "x", method: "POST", headers: [] })).toThrow(TypeError);
  });

  it("is detected by X-GitHub-Event, not by the signature header Meta shares", () => {
    expect(github.detect([["x-github-event", "push"]])).toBe(true);
    expect(github.detect([["x-hub-signature-256", SIGNATURE]])).toBe(false);
  });
});
