import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { providers } from "../../src/index.js";

const root = path.resolve(import.meta.dirname, "../..");

describe("docs/providers.md", () => {
  it("is what `npm run docs:providers` writes from the registry today (regenerate and commit it when this fails)", () => {
    const check = spawnSync(process.execPath, [path.join(root, "scripts/docs-providers.mjs"), "--check"], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("lists every provider hooktape knows, one row each", () => {
    const doc = readFileSync(path.join(root, "docs/providers.md"), "utf8");
    const rows = doc.split("\n").filter((line) => line.startsWith("| `"));
    expect(rows.map((row) => /^\| `([^`]+)`/.exec(row)?.[1])).toEqual(providers().map((provider) => provider.id));
  });
});
