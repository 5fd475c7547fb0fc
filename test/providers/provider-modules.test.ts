// The lazy table of the catalogue (what `replay` loads instead of the registry) must name exactly the registry's
// providers and hand back the very same objects, so that a provider added to one and not the other fails here.
import { describe, expect, it } from "vitest";
import { getProvider, providers, TOKEN_HEADERS } from "../../src/providers/index.js";
import { isKnownProviderId, knownProviderIds, loadProvider, SECRET_HEADER_NAMES } from "../../src/providers/provider-modules.js";

describe("the lazy provider table", () => {
  it("names the same secret-carrying headers as the registry, without loading it", () => {
    expect(new Set(SECRET_HEADER_NAMES)).toEqual(new Set(TOKEN_HEADERS));
  });

  it("has exactly the registry's ids", () => {
    expect([...knownProviderIds()].sort()).toEqual(providers.map((p) => p.id).sort());
    for (const { id } of providers) expect(isKnownProviderId(id), id).toBe(true);
    for (const id of ["nope", "Stripe", "constructor", "__proto__", "toString", ""]) expect(isKnownProviderId(id), id).toBe(false);
  });

  it("loads, for every id, the object getProvider returns (aliases from their scheme's module)", async () => {
    for (const { id } of providers) {
      const loaded = await loadProvider(id);
      if (id === "hmac") continue; // built anew from the flags: compared below
      expect(loaded, id).toBe(getProvider(id));
    }
    expect(await loadProvider("nope")).toBeUndefined();
    expect(await loadProvider("toString")).toBeUndefined();
  });

  it("builds the generic hmac scheme from the --hmac-* settings, as getProvider does", async () => {
    const hmac = { header: "X-Acme-Signature", algorithm: "sha1" as const, encoding: "base64" as const, prefix: "sha1=" };
    const body = Buffer.from('{\n  "name": "Zoë"\n}');
    const input = { body, secret: "s3cret", timestamp: 1_700_000_000, id: "msg_1", method: "POST", headers: [] };
    const lazy = await loadProvider("hmac", { hmac });
    const eager = getProvider("hmac", { hmac });
    expect(lazy?.headers).toEqual(eager?.headers);
    expect(lazy?.sign(input)).toEqual(eager?.sign(input));
    expect((await loadProvider("hmac"))?.sign(input)).toEqual(getProvider("hmac")?.sign(input));
    expect(lazy?.sign(input)).not.toEqual(getProvider("hmac")?.sign(input));
  });
});
