// The KeyObject cache the HMAC schemes key with: the same digests as a string or Buffer key, one KeyObject per
// secret, null for a secret that is not a usable key, and bounded.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKeyCache, createTextKeyCache } from "../../src/providers/hmac-key.js";

describe("createKeyCache", () => {
  it("keys an HMAC exactly as the secret's bytes would, once per secret", () => {
    const textKey = createTextKeyCache();
    const body = Buffer.from('{"note":"Grüße / ☃"}');
    for (const secret of ["plain", "Zoë's ключ", " padded "]) {
      expect(createHmac("sha256", textKey(secret)).update(body).digest("hex")).toBe(createHmac("sha256", secret).update(body).digest("hex"));
      expect(textKey(secret)).toBe(textKey(secret));
    }
    const hexKey = createKeyCache((secret) => (/^(?:[0-9a-f]{2})+$/i.test(secret) ? Buffer.from(secret, "hex") : null));
    expect(createHmac("sha256", hexKey("00ff10")!).update(body).digest("base64")).toBe(createHmac("sha256", Buffer.from([0, 255, 16])).update(body).digest("base64"));
    expect(hexKey("not hex")).toBeNull();
  });

  it("stays bounded: past its capacity it starts over, and still answers right", () => {
    let derived = 0;
    const cache = createKeyCache((secret) => {
      derived++;
      return secret;
    }, 4);
    for (let i = 0; i < 10; i++) cache(`s${i}`);
    expect(derived).toBe(10);
    cache("s9");
    expect(derived).toBe(10);
    cache("s0");
    expect(derived).toBe(11);
    expect(createHmac("sha1", cache("s0")!).update("x").digest("hex")).toBe(createHmac("sha1", "s0").update("x").digest("hex"));
  });
});
