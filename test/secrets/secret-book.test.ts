import { describe, expect, it } from "vitest";
import { createSecretBook, parseSecretLines, secretEnvName } from "../../src/secrets/secret-book.js";

const verifying = (providerId: string, flagValues: string[], env: NodeJS.ProcessEnv = {}) => createSecretBook({ flagValues, env }).verifying(providerId);

describe("the secrets that verify", () => {
  it("applies `<provider>=` values to that provider only", () => {
    expect(verifying("github", ["github=abc", "stripe=whsec_x"])).toEqual(["abc"]);
    expect(verifying("stripe", ["github=abc", "stripe=whsec_x"])).toEqual(["whsec_x"]);
  });

  it("never splits a raw secret whose prefix is not a provider id (base64 padding, whsec_...=)", () => {
    expect(verifying("stripe", ["whsec_abc=="])).toEqual(["whsec_abc=="]);
    expect(verifying("hmac", ["c2VjcmV0=", "a=b=c"])).toEqual(["c2VjcmV0=", "a=b=c"]);
  });

  it("splits only at the first `=`, so a prefixed secret keeps its own padding", () => {
    expect(verifying("github", ["github=abc=="])).toEqual(["abc=="]);
  });

  it("keeps several values in order (rotation)", () => {
    expect(verifying("stripe", ["whsec_old", "stripe=whsec_new"])).toEqual(["whsec_old", "whsec_new"]);
  });

  it("falls back to HOOKTAPE_SECRET_<ID> only when no flag applies", () => {
    const env = { HOOKTAPE_SECRET_STANDARD_WEBHOOKS: "whsec_env", HOOKTAPE_SECRET_GITHUB: "gh" };
    expect(verifying("standard-webhooks", [], env)).toEqual(["whsec_env"]);
    expect(verifying("github", ["stripe=x"], env)).toEqual(["gh"]);
    expect(verifying("github", ["flag"], env)).toEqual(["flag"]);
    expect(verifying("stripe", [], env)).toEqual([]);
  });

  it("names the env var with the id upper-cased and - as _", () => {
    expect(secretEnvName("standard-webhooks")).toBe("HOOKTAPE_SECRET_STANDARD_WEBHOOKS");
    expect(secretEnvName("github")).toBe("HOOKTAPE_SECRET_GITHUB");
  });
});

describe("the secrets that sign or answer", () => {
  it("take an unnamed secret only for the provider --provider names, or one whose signature it verifies", () => {
    const env = { HOOKTAPE_SECRET_ZOOM: "zoom-from-env" };
    const book = createSecretBook({ flagValues: ["unnamed", "github=gh"], env, namedProvider: "Stripe " });
    expect(book.signing("stripe")).toEqual(["unnamed"]);
    expect(book.signing("github")).toEqual(["gh"]);
    // An unnamed secret never serves the provider a request's headers picked; the named one from the env does.
    expect(book.signing("zoom")).toEqual(["zoom-from-env"]);
    expect(book.signing("mailgun")).toEqual([]);
    expect(book.signing("mailgun", (secret) => secret === "unnamed")).toEqual(["unnamed"]);
    // Verifying tries it on any provider.
    expect(book.verifying("mailgun")).toEqual(["unnamed"]);
  });
});

describe("what a run learns", () => {
  it("comes first, for verifying and signing alike, each secret once, and is seen by lookups made before it was learned", () => {
    const book = createSecretBook({ flagValues: ["stripe=whsec_given", "unnamed"], env: { HOOKTAPE_SECRET_GITHUB: "gh-env" } });
    expect(book.verifying("stripe")).toEqual(["whsec_given", "unnamed"]);
    book.learn("stripe", "whsec_learned");
    book.learn("github", "gh-env");
    book.learn("github", "gh-generated");
    book.learn("github", "gh-generated");
    expect(book.verifying("stripe")).toEqual(["whsec_learned", "whsec_given", "unnamed"]);
    expect(book.signing("stripe")).toEqual(["whsec_learned", "whsec_given"]);
    expect(book.signing("github")).toEqual(["gh-env", "gh-generated"]);
    expect(book.verifying("zoom")).toEqual(["unnamed"]);
    expect(book.signing("zoom")).toEqual([]);
  });
});

describe("a --secret-file", () => {
  it("gives one value a line, trimmed, without blank lines and # comments", () => {
    expect(parseSecretLines("# stripe\nstripe=whsec_a==\r\n\n  github=gh  \n")).toEqual(["stripe=whsec_a==", "github=gh"]);
  });
});
