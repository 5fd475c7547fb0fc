import { describe, expect, it } from "vitest";
import { resolveSecrets, secretEnvName } from "../../src/providers/secrets.js";

describe("resolveSecrets", () => {
  it("applies `<provider>=` values to that provider only", () => {
    expect(resolveSecrets("github", ["github=abc", "stripe=whsec_x"], {})).toEqual(["abc"]);
    expect(resolveSecrets("stripe", ["github=abc", "stripe=whsec_x"], {})).toEqual(["whsec_x"]);
  });

  it("never splits a raw secret whose prefix is not a provider id (base64 padding, whsec_...=)", () => {
    expect(resolveSecrets("stripe", ["whsec_abc=="], {})).toEqual(["whsec_abc=="]);
    expect(resolveSecrets("hmac", ["c2VjcmV0=", "a=b=c"], {})).toEqual(["c2VjcmV0=", "a=b=c"]);
  });

  it("splits only at the first `=`, so a prefixed secret keeps its own padding", () => {
    expect(resolveSecrets("github", ["github=abc=="], {})).toEqual(["abc=="]);
  });

  it("keeps several values in order (rotation)", () => {
    expect(resolveSecrets("stripe", ["whsec_old", "stripe=whsec_new"], {})).toEqual(["whsec_old", "whsec_new"]);
  });

  it("falls back to HOOKTAPE_SECRET_<ID> only when no flag applies", () => {
    const env = { HOOKTAPE_SECRET_STANDARD_WEBHOOKS: "whsec_env", HOOKTAPE_SECRET_GITHUB: "gh" };
    expect(resolveSecrets("standard-webhooks", [], env)).toEqual(["whsec_env"]);
    expect(resolveSecrets("github", ["stripe=x"], env)).toEqual(["gh"]);
    expect(resolveSecrets("github", ["flag"], env)).toEqual(["flag"]);
    expect(resolveSecrets("stripe", [], env)).toEqual([]);
  });

  it("names the env var with the id upper-cased and - as _", () => {
    expect(secretEnvName("standard-webhooks")).toBe("HOOKTAPE_SECRET_STANDARD_WEBHOOKS");
    expect(secretEnvName("github")).toBe("HOOKTAPE_SECRET_GITHUB");
  });
});
