import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

describe("the install story", () => {
  it("every dependency install script is reviewed in allowScripts: npm has nothing pending", async () => {
    const { stdout } = await run("npm", ["install-scripts", "ls"], { cwd: ROOT });
    expect(stdout.trim()).toBe("No packages with unreviewed install scripts.");
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { allowScripts: Record<string, boolean> };
    // better-sqlite3 must build; cloudflared's postinstall would download an unverified binary; esbuild (the
    // inspector page's bundler, dev only) and workerd (the relay's runtime in tests, dev only) run from their platform
    // packages without their postinstall.
    expect(manifest.allowScripts).toEqual({ "better-sqlite3": true, cloudflared: false, esbuild: false, workerd: false });
  });

  it("require('hooktape') works from CommonJS (a default export condition)", async () => {
    const { stdout } = await run(process.execPath, ["-e", "const h = require('hooktape'); process.stdout.write(typeof h.sign + ' ' + typeof h.verify)"], { cwd: ROOT });
    expect(stdout).toBe("function function");
  });

  it("the package ships a LICENSE and no source map pointing at unshipped sources", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((file) => file.path) ?? [];
    expect(files).toContain("LICENSE");
    expect(files.filter((file) => file.endsWith(".map"))).toEqual([]);
    expect(files.filter((file) => file.startsWith("src/"))).toEqual([]);
    const shipped = files.filter((file) => file.endsWith(".js")).map((file) => readFileSync(path.join(ROOT, file), "utf8"));
    expect(shipped.filter((text) => text.includes("sourceMappingURL"))).toEqual([]);
    expect(readFileSync(path.join(ROOT, "LICENSE"), "utf8")).toMatch(/^MIT License/);
  });

  it("with better-sqlite3's native module missing: one line with the fix, exit 3, no store left behind", async () => {
    // An installed copy whose better-sqlite3 never ran its install script (as with npm's script policy).
    const dir = tempDir();
    const modules = path.join(dir, "node_modules");
    mkdirSync(modules);
    for (const entry of readdirSync(path.join(ROOT, "node_modules"))) {
      if (entry !== "better-sqlite3") symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry));
    }
    for (const part of ["lib", "package.json"]) cpSync(path.join(ROOT, "node_modules/better-sqlite3", part), path.join(modules, "better-sqlite3", part), { recursive: true });
    for (const part of ["dist", "bin", "package.json"]) cpSync(path.join(ROOT, part), path.join(dir, part), { recursive: true });

    const db = path.join(dir, "store", "h.db");
    const result = await run(process.execPath, [path.join(dir, "bin/hooktape.js"), "events", "prune", "--older-than", "1d", "--db", db]).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect((result as { code?: number }).code).toBe(3);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toEqual([
      "hooktape: better-sqlite3's native module is missing (its install script did not run); run `npm rebuild better-sqlite3` " +
        "(in a project that depends on hooktape, first `npm install-scripts approve better-sqlite3`)",
    ]);
    expect(existsSync(db)).toBe(false);
  });
});
