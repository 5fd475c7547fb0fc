// Every example of docs/*.md runs as written (see examples.ts for what counts as one, and how an example that needs
// the internet is marked). The documents run at the same time, each in a session of its own (folder, store, handlers
// and ports); a document's examples run in order, as its reader runs them.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runDocument } from "./doc-runner.js";

const GUIDES = readdirSync(path.join(ROOT, "docs"))
  .filter((name) => name.endsWith(".md"))
  .map((name) => `docs/${name}`);

describe.concurrent("the examples run as written", () => {
  it.each(GUIDES)("%s", { timeout: 240_000 }, async (document) => {
    expect((await runDocument(document)).failures).toEqual([]);
  });
});
