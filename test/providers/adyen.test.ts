// Adyen's signatures in the body: one per notification item, each over eight fields, every item must verify.
// From Adyen's published vector (@adyen/api-library hmacValidator.spec.ts), one change at a time.
import { describe, expect, it } from "vitest";
import { getProvider } from "../../src/providers/registry.js";
import { KeyFormatError, type Provider } from "../../src/providers/types.js";
import { signedRequest } from "./helpers.js";

const adyen = getProvider("adyen") as Provider;
const NOW = 1_795_777_200;
const KEY = "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00";
const VECTOR_SIGNATURE = "ZNBPtI+oDyyRrLyD1XirkKnQgIAlFc07Vj27TeHsDRE=";

// Adyen's vector item, written as Adyen's notifications are (two-space JSON, members in Adyen's order).
const ITEM = `{
        "additionalData": {
          "hmacSignature": "${VECTOR_SIGNATURE}"
        },
        "amount": {
          "currency": "EUR",
          "value": 1000
        },
        "eventCode": "REPORT_AVAILABLE",
        "eventDate": "2019-09-21T11:45:24.637Z",
        "merchantAccountCode": "merchantAccount",
        "merchantReference": "reference",
        "originalReference": "originalReference",
        "paymentMethod": "VISA",
        "pspReference": "pspReference",
        "reason": "reason",
        "success": "true"
      }`;
const batch = (...items: string[]) =>
  Buffer.from(`{\n  "live": "false",\n  "notificationItems": [\n${items.map((item) => `    {\n      "NotificationRequestItem": ${item}\n    }`).join(",\n")}\n  ]\n}`);
const request = (body: Buffer) => ({ method: "POST", url: "/", headers: [["content-type", "application/json"]] as Array<[string, string]>, body });
const verify = (body: Buffer, secrets = [KEY]) => adyen.verify(request(body), secrets, { now: NOW });

describe("adyen: signatures in the body", () => {
  it("accepts the published vector, and a batch only when every item verifies (the verdict names the one that fails)", () => {
    expect(verify(batch(ITEM))).toEqual({ valid: true, provider: "adyen" });
    expect(verify(batch(ITEM, ITEM))).toEqual({ valid: true, provider: "adyen" });
    const second = ITEM.replace('"value": 1000', '"value": 1001').replace('"pspReference": "pspReference"', '"pspReference": "8815"');
    const result = verify(batch(ITEM, second, ITEM));
    expect(result).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect(result.valid ? "" : result.hint).toMatch(/^notification item 2 of 3 \(pspReference 8815\) does not match: a signed field/);
  });

  it.each([
    ["amount.value", '"value": 1000', '"value": 100'],
    ["amount.currency", '"currency": "EUR"', '"currency": "USD"'],
    ["eventCode", '"REPORT_AVAILABLE"', '"AUTHORISATION"'],
    ["success", '"success": "true"', '"success": "false"'],
    ["pspReference", '"pspReference": "pspReference"', '"pspReference": "pspReferencf"'],
    ["originalReference (a missing field signs as \"\")", '"originalReference": "originalReference",', ""],
    ["the signature", VECTOR_SIGNATURE, VECTOR_SIGNATURE.replace("ZNBP", "ZNBQ")],
  ])("rejects a change of %s", (_what, from, to) => {
    expect(verify(batch(ITEM.replace(from, to)))).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("does not cover the fields Adyen leaves out of the signed string, nor the bytes' layout (as the SDK)", () => {
    expect(verify(batch(ITEM.replace('"reason": "reason"', '"reason": "other"'))).valid).toBe(true);
    expect(verify(Buffer.from(JSON.stringify(JSON.parse(batch(ITEM).toString())))).valid).toBe(true);
  });

  it("reports a missing item signature, a missing body signature, a wrong key, a key rotation and a non-hex key", () => {
    const unsigned = verify(batch(ITEM, ITEM.replace(`"hmacSignature": "${VECTOR_SIGNATURE}"`, '"authCode": "1234"')));
    expect(unsigned).toMatchObject({ valid: false, reason: "missing_header" });
    expect(unsigned.valid ? "" : unsigned.hint).toMatch(/^notification item 2 of 2 \(pspReference pspReference\) has no additionalData.hmacSignature/);
    expect(verify(Buffer.from('{"live":"false"}'))).toMatchObject({ valid: false, reason: "missing_header" });
    expect(verify(batch(ITEM), ["ab".repeat(32)])).toMatchObject({ reason: "no_matching_signature" });
    expect(verify(batch(ITEM), ["ab".repeat(32), KEY]).valid).toBe(true);
    expect(verify(batch(ITEM), ["not-hex"])).toMatchObject({ reason: "malformed_key" });
    expect(verify(batch(ITEM), [` ${KEY}`])).toMatchObject({ reason: "malformed_key" });
    expect(() => adyen.sign({ body: batch(ITEM), secret: "not-hex", timestamp: NOW, id: "m", method: "POST", headers: [] })).toThrow(KeyFormatError);
  });

  it("signs each item in place: only the hmacSignature values change, an absent one is added in the body's own layout", () => {
    const unsigned = batch(ITEM.replace(VECTOR_SIGNATURE, "old"), ITEM.replace(`"additionalData": {\n          "hmacSignature": "${VECTOR_SIGNATURE}"\n        },\n        `, ""));
    const signed = signedRequest(adyen, { body: unsigned, secret: KEY, timestamp: NOW });
    // Both items sign the same fields as the vector: the first's stale value is replaced, the second (which had no
    // additionalData) gains one as its last member, after the body's own comma and indentation.
    const expected = batch(ITEM, ITEM.replace(`"additionalData": {\n          "hmacSignature": "${VECTOR_SIGNATURE}"\n        },\n        `, "")).toString()
      .replace('"success": "true"\n      }\n    }\n  ]', `"success": "true",\n        "additionalData": {"hmacSignature": "${VECTOR_SIGNATURE}"}\n      }\n    }\n  ]`);
    expect(signed.body.toString()).toBe(expected);
    expect(adyen.verify(signed, [KEY], { now: NOW }).valid).toBe(true);
  });

  it("check's forgeries: a changed signature, a dropped one and a changed amount are each refused", () => {
    const body = batch(ITEM);
    const forgeries = adyen.bodySignature!;
    expect(verify(forgeries.tamper(body)!)).toMatchObject({ reason: "no_matching_signature" });
    expect(verify(forgeries.drop(body)!)).toMatchObject({ reason: "missing_header" });
    const changed = forgeries.tamperSigned(body)!;
    expect(changed.toString()).toBe(body.toString().replace('"value": 1000', '"value": 1001'));
    expect(verify(changed)).toMatchObject({ reason: "no_matching_signature" });
    expect(forgeries.tamper(Buffer.from('{"type":"balancePlatform.accountHolder.updated"}'))).toBeNull();
  });
});
