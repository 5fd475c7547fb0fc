// Cross-check of our `hubspot` scheme (v3) with @hubspot/api-client 13 (the newest major that runs on Node 20):
// `Signature.isValid({ signatureVersion: "v3", ... })` and `Signature.getSignature` as the signing side —
// `X-HubSpot-Signature-v3`: base64 HMAC-SHA256 of method + URL + body + timestamp, the timestamp in
// milliseconds (`X-HubSpot-Request-Timestamp`), older than 5 minutes rejected (read from Date.now(): frozen here).
// https://developers.hubspot.com/docs/guides/apps/authentication/validating-requests
import { Signature } from "@hubspot/api-client/lib/src/utils/signature.js";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, freezeClockAt, headerValue, jsonBody, requireProvider, sdkAccepts, signRequest, useFrozenClock, verifyOurs } from "./helpers.js";

const SECRET = "7a0f2f1e-9a4d-4a4b-8c8e-hooktape-client-secret";
const OTHER_SECRET = "00000000-0000-0000-0000-hooktape-other";
const URL_ = "https://hooks.example.com/hubspot/webhook?portal=62515";
const T = 1_795_777_200;
const BODY = jsonBody([
  { eventId: 1, subscriptionId: 12345, portalId: 62515, occurredAt: T * 1000, subscriptionType: "contact.propertyChange", propertyName: "firstname", propertyValue: "Zoë ✓" },
]);

function hubspotAccepts(headers: HeaderPairs, body: Buffer, secret: string, url: string) {
  return sdkAccepts(() =>
    Signature.isValid({
      signatureVersion: "v3",
      method: "POST",
      signature: headerValue(headers, "x-hubspot-signature-v3"),
      clientSecret: secret,
      requestBody: body.toString("utf8"),
      url,
      timestamp: Number(headerValue(headers, "x-hubspot-request-timestamp")),
    }),
  );
}

describe("hubspot × @hubspot/api-client (Signature.isValid v3, Signature.getSignature)", () => {
  const provider = requireProvider("hubspot");
  useFrozenClock();

  it("our v3 signature and millisecond timestamp verify with Signature.isValid", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, url: URL_ });
    expect(headerValue(request.headers, "x-hubspot-request-timestamp")).toBe(String(T * 1000));
    expect(await hubspotAccepts(request.headers, BODY, SECRET, URL_)).toEqual({ ok: true });
  });

  it("Signature.getSignature verifies with ours and equals ours", () => {
    const theirs = Signature.getSignature("POST", "v3", {
      signature: "",
      clientSecret: SECRET,
      requestBody: BODY.toString("utf8"),
      url: URL_,
      timestamp: T * 1000,
    });
    const headers: HeaderPairs = [
      ["X-HubSpot-Signature-v3", theirs],
      ["X-HubSpot-Request-Timestamp", String(T * 1000)],
    ];
    expect(verifyOurs(provider, { method: "POST", url: "/hubspot/webhook?portal=62515", headers, body: BODY }, SECRET, T + 10, URL_)).toMatchObject({
      valid: true,
      provider: "hubspot",
    });
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, url: URL_ });
    expect(headerValue(request.headers, "x-hubspot-signature-v3")).toBe(theirs);
  });

  it("a flipped body byte is rejected by both", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, url: URL_ });
    const tampered = flipByte(BODY, "firstname");
    expect(await hubspotAccepts(request.headers, tampered, SECRET, URL_)).toEqual({ ok: false, error: "returned false" });
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T + 10, URL_)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong client secret is rejected by both", async () => {
    freezeClockAt(T + 10);
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, url: URL_ });
    expect(await hubspotAccepts(request.headers, BODY, OTHER_SECRET, URL_)).toEqual({ ok: false, error: "returned false" });
    expect(verifyOurs(provider, request, OTHER_SECRET, T + 10, URL_)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a timestamp more than 5 minutes old is rejected by both; exactly 5 minutes is accepted by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, url: URL_ });
    freezeClockAt(T + 301);
    expect(await hubspotAccepts(request.headers, BODY, SECRET, URL_)).toEqual({ ok: false, error: "Timestamp is invalid, reject request" });
    expect(verifyOurs(provider, request, SECRET, T + 301, URL_)).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    freezeClockAt(T + 300);
    expect(await hubspotAccepts(request.headers, BODY, SECRET, URL_)).toEqual({ ok: true });
    expect(verifyOurs(provider, request, SECRET, T + 300, URL_)).toMatchObject({ valid: true });
  });

  it("a URL with percent-encoded characters: ours decodes the ones HubSpot lists, as the SDK's caller must before isValid", async () => {
    // HubSpot's docs: decode %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B in the URI before signing.
    // The SDK hashes `url` as given, so an app passes it decoded; our sign/verify take the URL as it arrived.
    freezeClockAt(T + 10);
    const encoded = "https://hooks.example.com/hubspot/webhook?email=zoe%40example.com&tags=a%2Cb";
    const decoded = "https://hooks.example.com/hubspot/webhook?email=zoe@example.com&tags=a,b";
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, url: encoded });
    expect(await hubspotAccepts(request.headers, BODY, SECRET, decoded)).toEqual({ ok: true });
    expect(verifyOurs(provider, request, SECRET, T + 10, encoded)).toMatchObject({ valid: true });
  });
});
