// Cross-check of `contentful` with @contentful/node-apps-toolkit's `signRequest` / `verifyRequest` (the signed
// header list, the normalised path, the 30 s time to live). The toolkit reads Date.now(): frozen here.
import { signRequest, verifyRequest } from "@contentful/node-apps-toolkit/requests";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, freezeClockAt, headerRecord, jsonBody, requireProvider, sdkAccepts, signRequest as signOurs, useFrozenClock, verifyOurs, withHeader } from "./helpers.js";

// The toolkit requires a 64-character signing secret, as Contentful issues them.
const SECRET = "hooktape0test0only0signing0secret0for0contentful00000000000000aa".slice(0, 64);
const T = 1_795_777_200;
const PATH = "/webhooks/contentful?space=abc def&x=ü";
const provider = requireProvider("contentful");
const body = jsonBody({ sys: { id: "5KsDBWseXY6QegucYAoacS", type: "Entry" }, fields: { title: { "en-US": "Grüße" } } });
const text = body.toString("utf8");

describe("contentful × @contentful/node-apps-toolkit", () => {
  useFrozenClock();

  it("our signature passes verifyRequest with the headers as they arrive", async () => {
    freezeClockAt(T + 5);
    const { request } = signOurs(provider, { body, secret: SECRET, timestamp: T, url: `https://hooks.example.com${PATH}` });
    const canonical = { method: "POST" as const, path: PATH, headers: headerRecord(request.headers), body: text };
    expect(await sdkAccepts(() => verifyRequest(SECRET, canonical, 30))).toEqual({ ok: true });
    expect(verifyOurs(provider, { ...request, url: PATH }, SECRET, T + 5)).toMatchObject({ valid: true, provider: "contentful" });
  });

  it("the toolkit's signRequest (with context headers) verifies with ours; one change at a time fails both", async () => {
    const signed = signRequest(SECRET, { method: "POST", path: PATH, headers: { "Content-Type": "application/json", "X-Contentful-Topic": "ContentManagement.Entry.publish" }, body: text }, T * 1000, { spaceId: "abc", envId: "master", appId: "hooktape-app" });
    const headers: HeaderPairs = [["Content-Type", "application/json"], ["X-Contentful-Topic", "ContentManagement.Entry.publish"], ...Object.entries(signed)];
    const request = { method: "POST", url: PATH, headers, body };
    expect(verifyOurs(provider, request, SECRET, T + 5)).toEqual({ valid: true, provider: "contentful", signedAt: T });
    freezeClockAt(T + 5);
    const sdk = (h: HeaderPairs, b: string, path = PATH) => sdkAccepts(() => verifyRequest(SECRET, { method: "POST", path, headers: headerRecord(h), body: b }, 30));
    expect((await sdk(headers, text)).ok).toBe(true);
    const tampered = flipByte(body, "5KsD");
    expect((await sdk(headers, tampered.toString("utf8"))).ok).toBe(false);
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 5)).toMatchObject({ reason: "no_matching_signature" });
    const topic = withHeader(headers, "X-Contentful-Topic", "ContentManagement.Entry.delete");
    expect((await sdk(topic, text)).ok).toBe(false);
    expect(verifyOurs(provider, { ...request, headers: topic }, SECRET, T + 5)).toMatchObject({ reason: "no_matching_signature" });
    expect((await sdk(headers, text, "/webhooks/other")).ok).toBe(false);
    expect(verifyOurs(provider, { ...request, url: "/webhooks/other" }, SECRET, T + 5)).toMatchObject({ reason: "no_matching_signature" });
    freezeClockAt(T + 31);
    expect((await sdk(headers, text)).ok).toBe(false);
    expect(verifyOurs(provider, request, SECRET, T + 31)).toMatchObject({ reason: "timestamp_too_old" });
  });
});
