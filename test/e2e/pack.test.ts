import { execFile, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createInterface } from "node:readline";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

// What a user gets from the registry: the packed tarball, installed into an empty project, run through npx and the bin it links.
//
// The install skips install scripts and takes better-sqlite3's native module from this checkout (the same version,
// built for this Node) instead of compiling SQLite again, about a minute on two cores. So this test proves what the
// tarball holds and that the installed package runs from its own files; it does not prove that npm's script policy
// lets better-sqlite3 build on a fresh install. That is proven where a clean clone is installed: `npm ci
// --strict-allow-scripts` (CI, the README's quick start) builds it from source, and test/security/install.test.ts
// checks that allowScripts approves it and what a user sees when the module is missing.
describe("npm pack", () => {
  it("produces a tarball that installs and runs", { timeout: 300_000 }, async () => {
    const dir = tempDir("hooktape-pack-");
    // --ignore-scripts: pack the dist/ that `npm test` built; `prepare` would rebuild it in place while other test
    // files run the CLI from it.
    await run("npm", ["pack", "--pack-destination", dir, "--silent", "--ignore-scripts"], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const tarball = readdirSync(dir).find((name) => name.endsWith(".tgz"));
    expect(tarball).toMatch(/^hooktape-\d+\.\d+\.\d+\.tgz$/);
    // The inspector's page is built by `prepare` and shipped; its source is not.
    const files = (await run("tar", ["-tzf", path.join(dir, tarball ?? "")], { maxBuffer: 16 * 1024 * 1024 })).stdout.split("\n");
    for (const file of ["index.html", "app.js", "app.css"]) expect(files).toContain(`package/dist/inspector/page/${file}`);
    // The body editor (CodeMirror), loaded on first use from its own chunk.
    expect(files.filter((file) => /^package\/dist\/inspector\/page\/chunks\/code-editor-[\w-]+\.js$/.test(file))).toHaveLength(1);
    expect(files.filter((file) => file.endsWith(".tsx"))).toEqual([]);
    // trigger's payloads are extracted at build time: the catalogues ship, the example packages (devDependencies) do not.
    for (const file of ["github.json.br", "shopify.json.br", "stripe.json.br", "NOTICE.md"]) expect(files).toContain(`package/dist/trigger/catalogues/${file}`);
    expect(files.filter((file) => file.startsWith("package/data/"))).toEqual([]);
    // The store's checkpoint thread is loaded by file name at run time: it must ship beside the code that starts it.
    expect(files).toContain("package/dist/store/checkpoint-worker.js");
    // `relay serve` and `relay deploy` read the worker's bundle beside the code.
    expect(files).toContain("package/dist/worker/relay-worker.js");

    const project = path.join(dir, "project");
    await run("mkdir", ["-p", project]);
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "pack-check", version: "1.0.0", private: true }));
    // better-sqlite3 pinned to this checkout's version, so that the module copied in below is the one its code expects.
    const sqlite = path.join(ROOT, "node_modules/better-sqlite3");
    const { version: sqliteVersion } = JSON.parse(readFileSync(path.join(sqlite, "package.json"), "utf8")) as { version: string };
    await run(
      "npm",
      ["install", path.join(dir, tarball ?? ""), `better-sqlite3@${sqliteVersion}`, "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"],
      { cwd: project, maxBuffer: 64 * 1024 * 1024 },
    );
    const installed = path.join(project, "node_modules/better-sqlite3");
    expect(JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8"))).toMatchObject({ version: sqliteVersion });
    mkdirSync(path.join(installed, "build/Release"), { recursive: true });
    copyFileSync(path.join(sqlite, "build/Release/better_sqlite3.node"), path.join(installed, "build/Release/better_sqlite3.node"));

    // `npx hooktape` finds the installed package's bin; the other runs call that bin, node_modules/.bin/hooktape,
    // directly (npx runs the same file after ~1 s of npm's own start). They go at once: --help, the store, and trigger.
    const bin = path.join(project, "node_modules/.bin/hooktape");
    const [help, list, types, fixture] = await Promise.all([
      run("npx", ["--no-install", "hooktape", "--help"], { cwd: project }),
      // The store works from the installed package: the native module built and the schema is created
      // (by a command that writes: reading commands never create a store).
      run(bin, ["events", "prune", "--older-than", "1d"], { cwd: project }).then(() =>
        run(bin, ["events", "list", "--json"], { cwd: project }),
      ),
      // `trigger` from the installed package reads the shipped catalogues (no example package is installed there).
      run(bin, ["trigger", "shopify", "--list", "--json"], { cwd: project }),
      run(bin, ["trigger", "stripe", "invoice.paid", "--format", "fixture", "--secret", "whsec_pack"], { cwd: project }),
    ]);
    expect(help.stdout).toContain("Usage: hooktape");
    expect(help.stdout).toContain("listen");
    expect(JSON.parse(list.stdout)).toEqual([]);
    expect((JSON.parse(types.stdout) as { types: unknown[] }).types.length).toBeGreaterThanOrEqual(100);
    expect(JSON.parse(fixture.stdout)).toMatchObject({ provider: "stripe", meta: { eventType: "invoice.paid" } });

    // `hooktape listen` from the installed package records before it answers (its checkpoint thread's script is found
    // beside the code that starts it).
    const listen = spawn(bin, ["--json", "listen", "--no-tunnel", "--port", "0"], {
      cwd: project,
      detached: true,
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("hooktape listen did not print its URL")), 30_000);
        createInterface({ input: listen.stdout }).on("line", (line) => {
          const record = JSON.parse(line) as { type: string; url: string };
          if (record.type === "ready") {
            clearTimeout(timer);
            resolve(record.url);
          }
        });
      });
      expect((await post(`${url}/from-the-package`, '{"packed":"✓"}')).status).toBe(200);
    } finally {
      if (listen.pid !== undefined) process.kill(-listen.pid, "SIGTERM");
    }
    await new Promise((resolve) => listen.once("close", resolve));
    const recorded = await run(bin, ["events", "list", "--json"], { cwd: project });
    expect((JSON.parse(recorded.stdout) as Array<{ url: string }>).map((event) => event.url)).toEqual(["/from-the-package"]);

    // `hooktape ui` from the installed package serves the shipped page.
    const ui = spawn(bin, ["--json", "ui", "--port", "0"], { cwd: project, detached: true });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("hooktape ui did not print its URL")), 30_000);
        createInterface({ input: ui.stdout }).on("line", (line) => {
          const record = JSON.parse(line) as { type: string; url: string };
          if (record.type === "inspector") {
            clearTimeout(timer);
            resolve(record.url);
          }
        });
      });
      // The page is the package's own file; the events behind it need the token from the URL's fragment.
      const { origin, hash } = new URL(url);
      const token = /^#t=(.+)$/.exec(hash)?.[1] ?? "";
      const page = await get(`${origin}/`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('src="/app.js"');
      const script = await get(`${origin}/app.js`);
      expect(script.status).toBe(200);
      expect(script.body).toBe(readFileSync(path.join(project, "node_modules/hooktape/dist/inspector/page/app.js"), "utf8"));
      expect(script.body.length).toBeGreaterThan(1000);
      expect((await get(`${origin}/api/events`, token)).status).toBe(200);
      expect((await get(`${origin}/api/events`)).status).toBe(401);
    } finally {
      if (ui.pid !== undefined) process.kill(-ui.pid, "SIGTERM");
    }
  });
});

function get(url: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, agent: false }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

function post(url: string, body: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0 }));
    });
    request.on("error", reject);
    request.end(body);
  });
}
