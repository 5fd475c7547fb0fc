import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { linear } from "../../src/providers/linear.js";

// https://linear.app/developers/webhooks#securing-webhooks: Linear-Signature = hex HMAC-SHA256 of the body;
// the body's top-level webhookTimestamp (ms) must be within 60 s.
const SECRET = "lin_wh_test_secret";
const NOW = 1_795_777_200;

function delivery(body: string) {
  const signature = createHmac("sha256", SECRET).update(body).digest("hex");
  return { method: "POST", url: "/linear", headers: [["Linear-Signature", signature]] as Array<[string, string]>, body: Buffer.from(body) };
}

describe("linear", () => {
  it("accepts a fresh delivery in either direction within 60 s, pretty-printed or compact", () => {
    const compact = delivery(JSON.stringify({ action: "create", type: "Issue", webhookTimestamp: NOW * 1000 }));
    expect(linear.verify(compact, [SECRET], { now: NOW + 60 })).toEqual({ valid: true, provider: "linear", signedAt: NOW });
    expect(linear.verify(compact, [SECRET], { now: NOW - 60 }).valid).toBe(true);
    const pretty = delivery(JSON.stringify({ action: "create", webhookTimestamp: NOW * 1000, data: { id: "1" } }, null, 2));
    expect(linear.verify(pretty, [SECRET], { now: NOW }).valid).toBe(true);
  });

  it("rejects stale and future deliveries beyond 60 s", () => {
    const req = delivery(JSON.stringify({ webhookTimestamp: NOW * 1000 }));
    expect(linear.verify(req, [SECRET], { now: NOW + 61 })).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    expect(linear.verify(req, [SECRET], { now: NOW - 61 })).toMatchObject({ valid: false, reason: "timestamp_too_new" });
  });

  it("rejects a signed body without webhookTimestamp, as @linear/sdk does", () => {
    const result = linear.verify(delivery(JSON.stringify({ action: "create" })), [SECRET], { now: NOW });
    expect(result).toMatchObject({ valid: false, reason: "malformed_header" });
    expect(result.valid || result.hint).toMatch(/webhookTimestamp/);
  });

  it("reads only the top-level webhookTimestamp, not a fresher nested one", () => {
    const body = `{"action":"update","type":"Issue","data":{"id":"2174add1","webhookTimestamp":${NOW * 1000}},"webhookTimestamp":${(NOW - 3600) * 1000}}`;
    expect(linear.verify(delivery(body), [SECRET], { now: NOW })).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    const nestedLast = `{"webhookTimestamp":${(NOW - 3600) * 1000},"data":{"webhookTimestamp":${NOW * 1000}}}`;
    expect(linear.verify(delivery(nestedLast), [SECRET], { now: NOW })).toMatchObject({ valid: false, reason: "timestamp_too_old" });
  });
});
