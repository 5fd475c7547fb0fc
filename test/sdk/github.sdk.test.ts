// Cross-check of our `github` scheme with @octokit/webhooks-methods (`sign`, `verify`, `verifyWithFallback`),
// the library @octokit/webhooks and Probot verify with. GitHub signs no timestamp, so there is no stale case.
// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
import { sign, verify, verifyWithFallback } from "@octokit/webhooks-methods";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, headerValue, jsonBody, requireProvider, signRequest, verifyOurs } from "./helpers.js";

const SECRET = "hooktape-github-test-secret";
const OTHER_SECRET = "hooktape-github-other-secret";
const T = 1_795_777_200;
const BODY = jsonBody({
  action: "opened",
  number: 7,
  pull_request: { title: "Füge Übersetzung hinzu ✓", head: { sha: "6dcb09b5b57875f334f61aebed695e2e4193db5e" } },
  repository: { full_name: "octo-org/hello-world" },
});

function githubRequest(signature: string, body: Buffer): { method: string; url: string; headers: HeaderPairs; body: Buffer } {
  return {
    method: "POST",
    url: "/webhooks/github",
    headers: [
      ["content-type", "application/json"],
      ["X-GitHub-Event", "pull_request"],
      ["X-Hub-Signature-256", signature],
    ],
    body,
  };
}

describe("github × @octokit/webhooks-methods (sign, verify, verifyWithFallback)", () => {
  const provider = requireProvider("github");

  it("GitHub's documented vector verifies with both", async () => {
    // The example from the GitHub docs page above: secret, payload and expected signature.
    const secret = "It's a Secret to Everybody";
    const payload = "Hello, World!";
    const expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    expect(await verify(secret, payload, expected)).toBe(true);
    expect(verifyOurs(provider, githubRequest(expected, Buffer.from(payload)), secret, T)).toMatchObject({ valid: true, provider: "github" });
  });

  it("our X-Hub-Signature-256 verifies with octokit's verify", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const signature = headerValue(request.headers, "x-hub-signature-256");
    expect(await verify(SECRET, BODY.toString("utf8"), signature)).toBe(true);
    // GitHub deliveries name their event; octokit's middleware refuses a request without it.
    expect(headerValue(request.headers, "x-github-event")).not.toBe("");
  });

  it("octokit's sign() verifies with ours and equals our header byte for byte", async () => {
    const theirs = await sign(SECRET, BODY.toString("utf8"));
    expect(verifyOurs(provider, githubRequest(theirs, BODY), SECRET, T)).toMatchObject({ valid: true, provider: "github" });
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(headerValue(request.headers, "x-hub-signature-256")).toBe(theirs);
  });

  it("a flipped body byte is rejected by both", async () => {
    const theirs = await sign(SECRET, BODY.toString("utf8"));
    const tampered = flipByte(BODY, "hello-world");
    expect(await verify(SECRET, tampered.toString("utf8"), theirs)).toBe(false);
    expect(verifyOurs(provider, githubRequest(theirs, tampered), SECRET, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong secret is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const signature = headerValue(request.headers, "x-hub-signature-256");
    expect(await verify(OTHER_SECRET, BODY.toString("utf8"), signature)).toBe(false);
    expect(verifyOurs(provider, request, OTHER_SECRET, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("during a secret rotation both accept the signature under the additional secret", async () => {
    const theirs = await sign(SECRET, BODY.toString("utf8"));
    expect(await verifyWithFallback(OTHER_SECRET, BODY.toString("utf8"), theirs, [SECRET])).toBe(true);
    expect(provider.verify(githubRequest(theirs, BODY), [OTHER_SECRET, SECRET], { now: T })).toMatchObject({ valid: true });
  });

  it("the generic hmac default (X-Signature: sha256=<hex>) matches octokit's sign() format", async () => {
    const generic = requireProvider("hmac");
    const theirs = await sign(SECRET, BODY.toString("utf8"));
    const request = { method: "POST", url: "/hook", headers: [["X-Signature", theirs]] as HeaderPairs, body: BODY };
    expect(verifyOurs(generic, request, SECRET, T)).toMatchObject({ valid: true, provider: "hmac" });
    const ours = signRequest(generic, { body: BODY, secret: SECRET, timestamp: T });
    expect(headerValue(ours.request.headers, "x-signature")).toBe(theirs);
  });
});
