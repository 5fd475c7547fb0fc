import { execFile } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

// What a user gets from the registry: the packed tarball, installed into an empty project, run with npx.
// Slow (better-sqlite3 builds from source on this machine), so it has its own generous timeout.
describe("npm pack", () => {
  it("produces a tarball that installs and runs", { timeout: 600_000 }, async () => {
    const dir = tempDir("hooktape-pack-");
    await run("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const tarball = readdirSync(dir).find((name) => name.endsWith(".tgz"));
    expect(tarball).toMatch(/^hooktape-\d+\.\d+\.\d+\.tgz$/);

    const project = path.join(dir, "project");
    await run("mkdir", ["-p", project]);
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "pack-check", version: "1.0.0", private: true }));
    await run("npm", ["install", path.join(dir, tarball ?? ""), "--no-audit", "--no-fund"], { cwd: project, maxBuffer: 64 * 1024 * 1024 });

    const help = await run("npx", ["--no-install", "hooktape", "--help"], { cwd: project });
    expect(help.stdout).toContain("Usage: hooktape");
    expect(help.stdout).toContain("listen");
    // The store works from the installed package: the native module built and the schema is created
    // (by a command that writes: reading commands never create a store).
    await run("npx", ["--no-install", "hooktape", "events", "prune", "--older-than", "1d"], { cwd: project });
    const list = await run("npx", ["--no-install", "hooktape", "events", "list", "--json"], { cwd: project });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});
