// Cross-check of `adyen` with @adyen/api-library's HmacValidator, both directions, from its published vectors
// (src/__tests__/hmacValidator.spec.ts: the key DFB1EB54…, the REPORT_AVAILABLE, CAPTURE and EVENT items).
import { describe, expect, it } from "vitest";
import { fixedIds, sampleSubject } from "../../src/check/sample-event.js";
import type { HeaderPairs } from "../../src/core/types.js";
import { HmacValidator } from "../helpers/adyen-hmac-validator.js";
import { headerValue, requireProvider, signRequest, verifyOurs } from "./helpers.js";

const provider = requireProvider("adyen");
const validator = new HmacValidator();
const T = 1_795_777_200;
const KEY = "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00";
type Item = Parameters<HmacValidator["validateHMAC"]>[0];

const vectorItem = (eventCode: string, hmacSignature: string) => ({
  pspReference: "pspReference",
  originalReference: "originalReference",
  merchantAccountCode: "merchantAccount",
  merchantReference: "reference",
  amount: { currency: "EUR", value: 1000 },
  eventCode,
  eventDate: "2019-09-21T11:45:24.637Z",
  paymentMethod: "VISA",
  reason: "reason",
  success: "true",
  additionalData: { hmacSignature },
});

/** A standard webhook body as Adyen writes it (two-space JSON, `/` as `\/`), with these items. */
function notification(items: unknown[]): Buffer {
  const text = JSON.stringify({ live: "false", notificationItems: items.map((item) => ({ NotificationRequestItem: item })) }, null, 2);
  return Buffer.from(text.replace(/\//g, "\\/"), "utf8");
}

function itemsOf(body: Buffer): Item[] {
  return (JSON.parse(body.toString("utf8")) as { notificationItems: Array<{ NotificationRequestItem: Item }> }).notificationItems.map((w) => w.NotificationRequestItem);
}

const request = (body: Buffer, headers: HeaderPairs = [["content-type", "application/json"]]) => ({ method: "POST", url: "/webhooks/adyen", headers, body });

describe("adyen × @adyen/api-library HmacValidator", () => {
  it("the SDK's published vectors verify with the SDK and with ours, in one batch", () => {
    const items = [
      vectorItem("REPORT_AVAILABLE", "ZNBPtI+oDyyRrLyD1XirkKnQgIAlFc07Vj27TeHsDRE="),
      vectorItem("CAPTURE", "xhpHvYq2u2Np0rstbZ6QjLGu7JWhvf7Iwaa6EviJSX0="),
      { ...vectorItem("EVENT", "ipnxGCaUZ4l8TUW75a71/ghd2Fe5ffvX0pV4TLTntIc="), eventDate: undefined, paymentMethod: undefined, reason: undefined },
    ];
    const body = notification(items);
    for (const item of itemsOf(body)) expect(validator.validateHMAC(item, KEY)).toBe(true);
    expect(verifyOurs(provider, request(body), KEY, T)).toEqual({ valid: true, provider: "adyen" });
    // The key as the Customer Area shows it, in either case.
    expect(verifyOurs(provider, request(body), KEY.toLowerCase(), T).valid).toBe(true);
  });

  it("ours (the sample event, signed in place) passes the SDK; a changed amount, a wrong key or a dropped signature fails both", () => {
    const subject = sampleSubject(provider, T * 1000, fixedIds());
    const { signed } = signRequest(provider, { body: subject.body, secret: KEY, timestamp: T });
    const body = signed.body as Buffer;
    expect(signed.headers).toEqual([]);
    for (const item of itemsOf(body)) expect(validator.validateHMAC(item, KEY)).toBe(true);
    expect(verifyOurs(provider, request(body), KEY, T).valid).toBe(true);

    const moreMoney = Buffer.from(body.toString("utf8").replace('"value": 2000', '"value": 2001'));
    expect(validator.validateHMAC(itemsOf(moreMoney)[0] as Item, KEY)).toBe(false);
    expect(verifyOurs(provider, request(moreMoney), KEY, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });

    const otherKey = "ab".repeat(32);
    expect(validator.validateHMAC(itemsOf(body)[0] as Item, otherKey)).toBe(false);
    expect(verifyOurs(provider, request(body), otherKey, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });

    const forged = provider.bodySignature?.drop(body) as Buffer;
    expect(() => validator.validateHMAC(itemsOf(forged)[0] as Item, KEY)).toThrow(/Missing hmacSignature/);
    expect(verifyOurs(provider, request(forged), KEY, T)).toMatchObject({ valid: false, reason: "missing_header" });
  });

  it("theirs (calculateHmac on a real-shaped item with non-ASCII and a colon in its reference) passes ours", () => {
    const item = { ...vectorItem("AUTHORISATION", ""), merchantReference: "Zoë:order/1", additionalData: {} as Record<string, string> };
    item.additionalData.hmacSignature = validator.calculateHmac(item as unknown as Item, KEY);
    expect(verifyOurs(provider, request(notification([item])), KEY, T).valid).toBe(true);
  });

  it("the header variant (Balance Platform, Management): ours passes validateHMACSignature, theirs passes ours", () => {
    const body = Buffer.from('{"data":{"balancePlatform":"YOUR_BALANCE_PLATFORM","accountHolder":{"description":"Zoë Müller / shop"}},"environment":"test","type":"balancePlatform.accountHolder.updated"}');
    const { request: ours } = signRequest(provider, { body, secret: KEY, timestamp: T });
    expect(headerValue(ours.headers, "Protocol")).toBe("HmacSHA256");
    expect(validator.validateHMACSignature(KEY, headerValue(ours.headers, "HmacSignature"), body.toString("utf8"))).toBe(true);
    const theirs = validator.calculateHmac(body.toString("utf8"), KEY);
    expect(verifyOurs(provider, request(body, [["HmacSignature", theirs], ["Protocol", "HmacSHA256"]]), KEY, T).valid).toBe(true);
    const changed = Buffer.from(body.toString("utf8").replace("test", "live"));
    expect(validator.validateHMACSignature(KEY, theirs, changed.toString("utf8"))).toBe(false);
    expect(verifyOurs(provider, request(changed, [["HmacSignature", theirs]]), KEY, T)).toMatchObject({ reason: "no_matching_signature" });
  });
});
