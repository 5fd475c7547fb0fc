// `listen --register --ui`: the inspector of the same run re-signs with the secret the run learned from the
// provider (held in memory only), ahead of any given on the command line or in the environment.
import { describe, expect, it } from "vitest";
import { signingFrom } from "../../src/cli/commands/ui.js";

describe("the inspector's signing secrets", () => {
  it("puts a secret learned by --register first, then the configured ones; none for other providers", () => {
    const learned = new Map([["stripe", ["whsec_learned_from_stripe"]]]);
    const signing = signingFrom({ secret: ["stripe=whsec_given"] }, learned);
    expect(signing.secretsOf("stripe")).toEqual(["whsec_learned_from_stripe", "whsec_given"]);
    expect(signing.secretsOf("github")).toEqual([]);
  });

  it("sees a secret learned after the inspector started (registration finishes later)", () => {
    const learned = new Map<string, string[]>();
    const signing = signingFrom({ secret: [] }, learned);
    expect(signing.secretsOf("github")).toEqual([]);
    learned.set("github", ["generated-by-hooktape"]);
    expect(signing.secretsOf("github")).toEqual(["generated-by-hooktape"]);
  });
});
