// The id list is the catalogue: each id must load the provider of that id, and the registry (every provider,
// loaded) must hand back the very same objects.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { getProvider, providers, TOKEN_HEADERS } from "../../src/providers/index.js";
import { isKnownProviderId, knownProviderIds, loadProvider, SECRET_HEADER_NAMES } from "../../src/providers/provider-modules.js";

describe("the provider id list", () => {
  it("names the same secret-carrying headers as the registry, without loading it", () => {
    expect(new Set(SECRET_HEADER_NAMES)).toEqual(new Set(TOKEN_HEADERS));
  });

  it("maps each id to the module of the provider with that id, and knows no other names", async () => {
    const ids = knownProviderIds();
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect((await loadProvider(id))?.id, id).toBe(id);
    expect(providers.map((p) => p.id)).toEqual(ids);
    // The registry's imports are generated from this list and must be current.
    expect(() => execFileSync(process.execPath, ["scripts/generate-provider-list.mjs", "--check"], { stdio: "pipe" })).not.toThrow();
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
