import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { twilio } from "../../src/providers/twilio.js";
import { withHeader } from "./helpers.js";

// The worked example of https://www.twilio.com/docs/usage/security#validating-requests (also in
// TwilioDevEd/api-snippets security/signature_validation).
const TOKEN = "12345";
const URL_ = "https://mycompany.com/myapp.php?foo=1&bar=2";
const FORM = "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";
const SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
const FORM_HEADERS: Array<[string, string]> = [["content-type", "application/x-www-form-urlencoded"]];
const req = { method: "POST", url: "/myapp.php?foo=1&bar=2", headers: [...FORM_HEADERS, ["X-Twilio-Signature", SIGNATURE]] as Array<[string, string]>, body: Buffer.from(FORM) };

describe("twilio", () => {
  it("accepts Twilio's worked example given the public URL, and signs it to the same value", () => {
    expect(twilio.verify(req, [TOKEN], { now: 0, url: URL_ })).toEqual({ valid: true, provider: "twilio" });
    const out = twilio.sign({ body: Buffer.from(FORM), secret: TOKEN, timestamp: 0, id: "x", url: URL_, method: "POST", headers: FORM_HEADERS });
    expect(out).toEqual({ headers: [["X-Twilio-Signature", SIGNATURE]] });
  });

  it("does not depend on the order of the form fields", () => {
    const reordered = "To=%2B18005551212&Digits=1234&CallSid=CA1234567890ABCDE&From=%2B14158675309&Caller=%2B14158675309";
    expect(twilio.verify({ ...req, body: Buffer.from(reordered) }, [TOKEN], { now: 0, url: URL_ }).valid).toBe(true);
  });

  it("accepts the URL with the default port spelled out, as twilio-node does", () => {
    expect(twilio.verify(req, [TOKEN], { now: 0, url: "https://mycompany.com:443/myapp.php?foo=1&bar=2" }).valid).toBe(true);
  });

  it("needs the public URL: a bare path is missing_url", () => {
    expect(twilio.verify(req, [TOKEN], { now: 0 })).toMatchObject({ valid: false, reason: "missing_url" });
  });

  it("rejects a changed field value, another URL, a wrong token", () => {
    const changed = FORM.replace("Digits=1234", "Digits=1235");
    expect(twilio.verify({ ...req, body: Buffer.from(changed) }, [TOKEN], { now: 0, url: URL_ })).toMatchObject({ reason: "no_matching_signature" });
    expect(twilio.verify(req, [TOKEN], { now: 0, url: "https://mycompany.com/myapp.php?foo=1&bar=3" })).toMatchObject({ reason: "no_matching_signature" });
    expect(twilio.verify(req, ["54321"], { now: 0, url: URL_ })).toMatchObject({ reason: "no_matching_signature" });
  });

  it("signs JSON bodies by adding bodySHA256 to the URL and checks the body against it", () => {
    const body = Buffer.from('{"event":"x"}');
    const out = twilio.sign({ body, secret: TOKEN, timestamp: 0, id: "x", url: "https://example.com/hook?a=1", method: "POST", headers: [["content-type", "application/json"]] });
    const hash = createHash("sha256").update(body).digest("hex");
    expect(out.url).toBe(`https://example.com/hook?a=1&bodySHA256=${hash}`);
    const signed = { method: "POST", url: out.url as string, headers: out.headers, body };
    expect(twilio.verify(signed, [TOKEN], { now: 0 })).toEqual({ valid: true, provider: "twilio" });
    const tampered = twilio.verify({ ...signed, body: Buffer.from('{"event":"y"}') }, [TOKEN], { now: 0 });
    expect(tampered).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect(tampered.valid || tampered.hint).toMatch(/bodySHA256/);
    expect(twilio.verify(withHeader(signed, "X-Twilio-Signature", SIGNATURE), [TOKEN], { now: 0 }).valid).toBe(false);
  });

  it("refuses to sign without a URL", () => {
    expect(() => twilio.sign({ body: Buffer.from(FORM), secret: TOKEN, timestamp: 0, id: "x", method: "POST", headers: FORM_HEADERS })).toThrow(/--url/);
  });
});

describe("twilio repeated fields", () => {
  it("counts a field repeated with the same value once, as twilio-node does", () => {
    const url = "https://hooks.example.com/twilio/sms";
    const once = twilio.sign({ body: Buffer.from("MessageSid=MM1&MediaUrl=a"), secret: TOKEN, timestamp: 0, id: "x", url, method: "POST", headers: FORM_HEADERS });
    const twice = twilio.sign({ body: Buffer.from("MessageSid=MM1&MediaUrl=a&MediaUrl=a"), secret: TOKEN, timestamp: 0, id: "x", url, method: "POST", headers: FORM_HEADERS });
    expect(twice.headers).toEqual(once.headers);
    const different = twilio.sign({ body: Buffer.from("MessageSid=MM1&MediaUrl=b&MediaUrl=a"), secret: TOKEN, timestamp: 0, id: "x", url, method: "POST", headers: FORM_HEADERS });
    expect(different.headers).not.toEqual(once.headers);
  });
});

describe("twilio URL normalisation (as twilio-node validateRequest)", () => {
  const form = Buffer.from("MessageSid=MM1&Body=hi");
  const signAt = (url: string) => twilio.sign({ body: form, secret: TOKEN, timestamp: 0, id: "x", url, method: "POST", headers: FORM_HEADERS });
  it.each([
    ["https://hooks.example.com/sms?name=O%27Brien", "https://hooks.example.com/sms?name=O'Brien"],
    ["https://hooks.example.com/sms?a=b%20c", "https://hooks.example.com/sms?a=b+c"],
    ["https://hooks.example.com/sms?name=Zo%C3%AB", "https://hooks.example.com/sms?name=Zoë"],
  ])("a delivery signed for %s verifies at %s", (signed, seen) => {
    const out = signAt(signed);
    const req = { method: "POST", url: "/sms", headers: [...FORM_HEADERS, ...out.headers], body: form };
    expect(twilio.verify(req, [TOKEN], { now: 0, url: seen })).toEqual({ valid: true, provider: "twilio" });
    expect(twilio.verify(req, [TOKEN], { now: 0, url: seen.replace("sms", "smz") })).toMatchObject({ reason: "no_matching_signature" });
  });
});
