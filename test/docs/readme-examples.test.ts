// The README's and CONTRIBUTING.md's examples run as written (see examples.ts for what counts as one, and how an
// example that needs the internet is marked).
import { describe, expect, it } from "vitest";
import { runDocument } from "./doc-runner.js";

describe("the examples run as written", () => {
  it.each(["README.md", "CONTRIBUTING.md"])("%s", { timeout: 240_000 }, async (document) => {
    const outcome = await runDocument(document);
    expect(outcome.failures).toEqual([]);
  });
});
