// Figures of the entries first built from notes, as their vendors' pages and SDKs state them: each one
// here changed or was confirmed against a named source (see the entry's comment).
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getProvider } from "../../src/providers/registry.js";
import type { Provider } from "../../src/providers/types.js";
import { signedRequest } from "./helpers.js";

const NOW = 1_795_777_200;
const BODY = '{"event_id":"01E4C4CT6YDC7Y5M7FE1GWWPQJ","metric":"sent","object_type":"email","data":{"recipient":"zoë@example.com"}}';
const provider = (id: string) => getProvider(id) as Provider;

describe("entries confirmed against their vendors", () => {
  it("customer.io: a published 4 s deadline and a 7-day exponential retry window", () => {
    const cio = provider("customerio");
    expect([cio.deadlineMs, cio.deadlinePublished]).toEqual([4_000, true]);
    const total = cio.retry.delaysSec.reduce((sum, wait) => sum + wait, 0);
    expect(total).toBeGreaterThan(5 * 86_400);
    expect(total).toBeLessThanOrEqual(7 * 86_400);
    // X-CIO-Signature: hex HMAC-SHA256 over v0:<timestamp>:<body>.
    const signed = signedRequest(cio, { body: BODY, secret: "cio-key", timestamp: NOW });
    const expected = createHmac("sha256", "cio-key").update(`v0:${NOW}:${BODY}`).digest("hex");
    expect(signed.headers).toContainEqual(["X-CIO-Signature", expected]);
  });

  it("elevenlabs: refused 30 minutes after t (as the SDK's constructEvent), never for being in the future", () => {
    const el = provider("elevenlabs");
    const signed = signedRequest(el, { body: BODY, secret: "wsec_test", timestamp: NOW });
    expect(el.verify(signed, ["wsec_test"], { now: NOW + 1800 }).valid).toBe(true);
    expect(el.verify(signed, ["wsec_test"], { now: NOW + 1801 })).toMatchObject({ reason: "timestamp_too_old" });
    expect(el.verify(signed, ["wsec_test"], { now: NOW - 86_400 }).valid).toBe(true);
  });

  it("bolt and castle: base64 HMAC-SHA256 of the raw body, as Bolt's page and castle-rb compute it", () => {
    for (const [id, header] of [["bolt", "X-Bolt-Hmac-Sha256"], ["castle", "X-Castle-Signature"]] as const) {
      const signed = signedRequest(provider(id), { body: BODY, secret: "key", timestamp: NOW });
      expect(signed.headers).toContainEqual([header, createHmac("sha256", "key").update(BODY).digest("base64")]);
    }
    expect(provider("bolt").docs).toBe("https://help.bolt.com/developers/webhooks/hook-verification");
  });

  it("brex: the secret Brex's API returns is plain base64 (no whsec_), and keys the HMAC decoded", () => {
    const brex = provider("brex");
    const secret = Buffer.from("brex webhook key").toString("base64");
    const signed = signedRequest(brex, { body: BODY, secret, timestamp: NOW, id: "msg_brex" });
    const expected = createHmac("sha256", Buffer.from("brex webhook key")).update(`msg_brex.${NOW}.${BODY}`).digest("base64");
    expect(signed.headers).toContainEqual(["webhook-signature", `v1,${expected}`]);
    expect(brex.verify(signed, [secret], { now: NOW }).valid).toBe(true);
  });
});
