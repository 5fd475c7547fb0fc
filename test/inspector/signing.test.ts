// `listen --register --ui`: the inspector of the same run re-signs with the run's secret book, which holds the
// secret the run learned from the provider (in memory only) ahead of any given on the command line or in the environment.
import { describe, expect, it } from "vitest";
import { signingFrom } from "../../src/cli/commands/ui.js";
import { createSecretBook } from "../../src/secrets/secret-book.js";

describe("the inspector's signing secrets", () => {
  it("puts a secret learned by --register first, then the configured ones; none for other providers", () => {
    const book = createSecretBook({ flagValues: ["stripe=whsec_given"], env: {} });
    book.learn("stripe", "whsec_learned_from_stripe");
    const signing = signingFrom({}, book);
    expect(signing.secretsOf("stripe")).toEqual(["whsec_learned_from_stripe", "whsec_given"]);
    expect(signing.secretsOf("github")).toEqual([]);
  });

  it("sees a secret learned after the inspector started (registration finishes later)", () => {
    const book = createSecretBook({ flagValues: [], env: {} });
    const signing = signingFrom({}, book);
    expect(signing.secretsOf("github")).toEqual([]);
    book.learn("github", "generated-by-hooktape");
    expect(signing.secretsOf("github")).toEqual(["generated-by-hooktape"]);
  });
});
