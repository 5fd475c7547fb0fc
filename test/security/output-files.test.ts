import { chmodSync, lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runProgram } from "../helpers/program.js";
import { startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { fixtureFile } from "../fixtures/shipped-secrets.js";

const SECRET = "whsec_files_test_only";

/** A store with one event, recorded through `fixtures import` (the store's real insert path). */
async function storeWithOneEvent(): Promise<{ db: string; id: string }> {
  const db = path.join(tempDir(), "h.db");
  const imported = await runProgram(["--db", db, "--json", "fixtures", "import", fixtureFile("stripe")]);
  expect(imported.code).toBe(0);
  const [record] = JSON.parse(imported.stdout) as Array<{ id: string }>;
  return { db, id: record?.id ?? "" };
}

describe("files the user names: never overwritten without --force, never written through a symlink", () => {
  it("fixtures export --force does not follow a symlink planted at the destination", async () => {
    const { db, id } = await storeWithOneEvent();
    const dir = tempDir();
    const victim = path.join(tempDir(), "bashrc");
    writeFileSync(victim, "export PATH=/usr/bin\n");
    symlinkSync(victim, path.join(dir, `${id}.json`));
    const result = await runProgram(["--db", db, "fixtures", "export", id, "--dir", dir, "--force"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/is a symbolic link; refusing to write through it/);
    expect(readFileSync(victim, "utf8")).toBe("export PATH=/usr/bin\n");
    expect(lstatSync(path.join(dir, `${id}.json`)).isSymbolicLink()).toBe(true);
  });

  it("sign --out refuses an existing file without --force, replaces it with --force", async () => {
    const out = path.join(tempDir(), "signed.json");
    writeFileSync(out, "keep me\n");
    const args = ["sign", "--provider", "stripe", "--secret", SECRET, "--body", '{"id":"evt_1"}', "--format", "fixture", "--out", out];
    const refused = await runProgram(args);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(`hooktape: ${out} already exists; pass --force to overwrite`);
    expect(readFileSync(out, "utf8")).toBe("keep me\n");
    const forced = await runProgram([...args, "--force"]);
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).provider).toBe("stripe");
  });

  it("sign --out never writes through a symlink, even with --force", async () => {
    const dir = tempDir();
    const victim = path.join(dir, "victim.txt");
    writeFileSync(victim, "original\n");
    const link = path.join(dir, "link.json");
    symlinkSync(victim, link);
    for (const extra of [[], ["--force"]]) {
      const result = await runProgram(["sign", "--provider", "stripe", "--secret", SECRET, "--body", "{}", "--format", "fixture", "--out", link, ...extra]);
      expect(result.code).toBe(2);
      expect(readFileSync(victim, "utf8")).toBe("original\n");
    }
  });

  describe("check --junit", () => {
    let server: TargetServer | null = null;
    afterEach(async () => {
      await server?.close();
      server = null;
    });

    async function anyHandler(): Promise<{ port: number; requests: () => number }> {
      const started = await startTargetServer({ kind: "answer", status: 200 });
      server = started;
      return { port: started.port, requests: () => started.received.length };
    }

    it("writes the report into a folder that does not exist yet, and rewrites it on the next run", async () => {
      const { port } = await anyHandler();
      const report = path.join(tempDir(), "reports", "ci", "check.xml");
      const first = await runProgram(["check", "--to", String(port), "--provider", "github", "--secret", "s3cret", "--junit", report]);
      expect(first.code).toBe(1);
      expect(first.stderr).not.toMatch(/ENOENT/);
      expect(readFileSync(report, "utf8")).toMatch(/^<\?xml[^]*<testsuites /);
      writeFileSync(report, "<previous/>");
      const second = await runProgram(["check", "--to", String(port), "--provider", "github", "--secret", "s3cret", "--junit", report]);
      expect(second.code).toBe(1);
      expect(readFileSync(report, "utf8")).toMatch(/<testsuites /);
    });

    it("refuses a report path that is a symlink before running, and never writes through it", async () => {
      const { port, requests } = await anyHandler();
      const dir = tempDir();
      const victim = path.join(dir, "victim.txt");
      writeFileSync(victim, "original\n");
      const link = path.join(dir, "report.xml");
      symlinkSync(victim, link);
      const result = await runProgram(["check", "--to", String(port), "--provider", "github", "--secret", "s3cret", "--junit", link]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(`hooktape: ${link} is a symbolic link; refusing to write through it (--junit)`);
      expect(readFileSync(victim, "utf8")).toBe("original\n");
      expect(requests()).toBe(0);
    });
  });
});

describe("every file hooktape writes with captured payloads in it is 0600, whatever the umask", () => {
  const modeOf = (file: string) => statSync(file).mode & 0o777;

  it("fixtures export writes 0600 files (in a 0700 folder it creates), and --force makes a replaced file 0600", async () => {
    const { db, id } = await storeWithOneEvent();
    const dir = path.join(tempDir(), "fixtures");
    const exported = await runProgram(["--db", db, "fixtures", "export", id, "--dir", dir]);
    expect(exported.code).toBe(0);
    const file = path.join(dir, `${id}.json`);
    expect(JSON.parse(readFileSync(file, "utf8")).provider).toBe("stripe");
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(dir)).toBe(0o700);

    chmodSync(file, 0o644);
    const replaced = await runProgram(["--db", db, "fixtures", "export", id, "--dir", dir, "--force"]);
    expect(replaced.code).toBe(0);
    expect(modeOf(file)).toBe(0o600);
  });

  it("events export --out --force and sign --event --format fixture --out: 0600", async () => {
    const { db, id } = await storeWithOneEvent();
    const dir = tempDir();
    const exportFile = path.join(dir, "events.ndjson");
    writeFileSync(exportFile, "old\n", { mode: 0o644 });
    chmodSync(exportFile, 0o644);
    const exported = await runProgram(["--db", db, "events", "export", "--out", exportFile, "--force"]);
    expect(exported.code).toBe(0);
    expect(readFileSync(exportFile, "utf8")).toContain(id);
    expect(modeOf(exportFile)).toBe(0o600);

    const signed = path.join(dir, "signed.json");
    const result = await runProgram(["--db", db, "sign", "--provider", "stripe", "--secret", SECRET, "--event", id, "--format", "fixture", "--out", signed]);
    expect(result.code).toBe(0);
    expect(modeOf(signed)).toBe(0o600);
  });
});
