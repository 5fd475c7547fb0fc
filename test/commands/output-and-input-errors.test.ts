// A malformed fixture is one line and exit 2, whatever V8's JSON message looks like; --out into a folder that does
// not exist yet creates it instead of failing with a raw ENOENT.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runProgram } from "../helpers/program.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("a malformed fixture", () => {
  // V8 quotes the text around an unexpected token, line breaks included: the message must still be one line.
  const broken = '{\n  "hooktape": 1,\n  "provider": "stripe",\n  "request": tru\n}\n';

  it.each([
    (file: string) => ["send", file, "--to", "3000"],
    (file: string) => ["verify", "--fixture", file, "--secret", "whsec_x"],
    (file: string) => ["check", "--to", "3000", "--provider", "stripe", "--secret", "whsec_x", file],
    (file: string) => ["fixtures", "import", file, "--db", path.join(path.dirname(file), "h.db")],
  ])("is one line naming the file, and exit 2 (%#)", async (args) => {
    const file = path.join(tempDir(), "broken.json");
    writeFileSync(file, broken);
    const run = await runProgram(args(file));
    expect(run.code).toBe(2);
    expect(run.stderr.endsWith("\n")).toBe(true);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`^hooktape: ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: not valid JSON`));
  });
});

describe("--out into a folder that does not exist", () => {
  it("sign --format fixture --out creates the folder and writes the fixture", async () => {
    const out = path.join(tempDir(), "fixtures", "new", "stripe.json");
    const run = await runProgram(["sign", "--provider", "stripe", "--secret", "whsec_x", "--body", '{\n  "id": "evt_1"\n}\n', "--format", "fixture", "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8"))).toMatchObject({ hooktape: 1, provider: "stripe" });
  });

  it("events export --out creates a private folder for captured payloads", async () => {
    const dir = tempDir();
    const db = path.join(dir, "h.db");
    // A store with one event, imported from a signed fixture through the store's real insert path.
    const fixture = path.join(dir, "f.json");
    const signed = await runProgram(["sign", "--provider", "stripe", "--secret", "whsec_x", "--body", '{"id":"evt_1"}', "--format", "fixture", "--out", fixture]);
    expect(signed.code).toBe(0);
    expect((await runProgram(["fixtures", "import", fixture, "--db", db])).code).toBe(0);
    const out = path.join(dir, "exports", "today", "events.ndjson");
    const run = await runProgram(["events", "export", "--out", out, "--db", db]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(1);
    expect(statSync(path.dirname(out)).mode & 0o777).toBe(0o700);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });
});
