// What a command loads before it works: a `--json` replay prints no spinner and no table, so it loads neither ora nor
// string-width, of undici only the Agent it sends through (not fetch, WebSocket, the cache...), and the hundred
// providers as one chunk, not a module each; its human summary is a table of one-column characters, measured without
// string-width; `--help` opens no store; `events list --json` loads no provider. Counted with a module loader hook on the built CLI (ES modules as they load, CommonJS ones from
// require.cache at exit); a chunk of the bundled CLI stands for the src/ modules esbuild put in it (dist/cli/meta.json).
// The time it saves is measured in bench/startup.bench.mjs and bench/replay.bench.mjs, not here.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { getProvider } from "../../src/providers/index.js";
import { startTargetServer } from "../helpers/target-server.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { recordEvent, tempStore } from "../replay/helpers.js";

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The loaded files, each chunk of the bundled CLI followed by the src/ modules it holds. */
function withSources(loaded: string): string {
  const meta = JSON.parse(readFileSync(path.join(ROOT, "dist/cli/meta.json"), "utf8")) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  return loaded
    .split("\n")
    .flatMap((line) => {
      const file = line.startsWith("file:") ? fileURLToPath(line) : line;
      const output = meta.outputs[path.relative(ROOT, file).split(path.sep).join("/")];
      return output === undefined ? [line] : [line, ...Object.keys(output.inputs)];
    })
    .join("\n");
}

/** Whether the bundle's chunk `file` holds a src/ module whose path matches `source`. */
function chunkHolds(file: string, source: RegExp): boolean {
  const meta = JSON.parse(readFileSync(path.join(ROOT, "dist/cli/meta.json"), "utf8")) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const output = meta.outputs[path.relative(ROOT, file.startsWith("file:") ? fileURLToPath(file) : file).split(path.sep).join("/")];
  return output !== undefined && Object.keys(output.inputs).some((input) => source.test(input));
}

/** Runs the built CLI with a module loader hook; returns every file it loaded, with the src/ modules behind each chunk. */
async function modulesLoadedBy(args: string[]): Promise<string> {
  const list = path.join(tempDir(), "loaded.txt");
  writeFileSync(list, "");
  const run = await runCli(args, { env: { NODE_OPTIONS: `--import ${moduleListHook(list)}` } });
  expect(run.code, run.stderr).toBe(0);
  return withSources(readFileSync(list, "utf8"));
}

/** A `--import` script that writes every module the process loads to `list`. */
function moduleListHook(list: string): string {
  const dir = tempDir();
  const hooks = path.join(dir, "hooks.mjs");
  writeFileSync(hooks, `import { appendFileSync } from "node:fs";\nexport async function load(url, context, next) { appendFileSync(${JSON.stringify(list)}, url + "\\n"); return next(url, context); }\n`);
  const register = path.join(dir, "register.mjs");
  writeFileSync(
    register,
    `import { register, createRequire } from "node:module";\nimport { appendFileSync } from "node:fs";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n` +
      `const require = createRequire(import.meta.url);\nprocess.on("exit", () => appendFileSync(${JSON.stringify(list)}, Object.keys(require.cache).map((file) => file + "\\n").join("")));\n`,
  );
  return pathToFileURL(register).href;
}

describe("start-up", () => {
  it("loads no spinner library, no text-width tables and only undici's Agent and the events' provider module for a --json run; the human summary loads its table", async () => {
    const db = tempStore();
    const server = await startTargetServer({ kind: "answer", status: 200 });
    cleanups.push(() => db.remove(), () => server.close());
    const body = '{\n  "id": "evt_startup",\n  "object": "event",\n  "data": { "object": { "description": "Café" } }\n}';
    const signed = getProvider("stripe")!.sign({ body: Buffer.from(body), secret: "whsec_startup", timestamp: Math.floor(Date.now() / 1000), id: "x", method: "POST", headers: [] });
    recordEvent(db.store, { provider: "stripe", headers: [["Content-Type", "application/json"], ...signed.headers], body, url: "/stripe", target: server.url });

    const loaded = (args: string[]) => modulesLoadedBy(["--db", db.file, "replay", "--last", ...args]);

    const json = await loaded(["--json"]);
    expect(json).toMatch(/node_modules\/undici\/lib\/dispatcher\/agent\.js/); // the hook sees CommonJS too
    expect(json).toMatch(/node_modules\/better-sqlite3\//);
    expect(json).not.toMatch(/node_modules\/undici\/index\.js/);
    expect(json).not.toMatch(/node_modules\/ora\//);
    expect(json).not.toMatch(/node_modules\/string-width\//);
    // The provider catalogue comes as one chunk of the bundle (loading a hundred small chunks cost more than one).
    const catalogueChunks = json.split("\n").filter((line) => /dist\/cli\/.*\.js$/.test(line) && chunkHolds(line, /^src\/providers\/(stripe|adyen|github|zoom)\.ts$/));
    expect(catalogueChunks).toHaveLength(1);
    expect(json).toMatch(/src\/providers\/registry\.ts/);

    const human = await loaded([]);
    expect(human).toMatch(/src\/cli\/views\/table\.ts/); // it prints a table
    expect(human).not.toMatch(/node_modules\/string-width\//); // of ids, times, statuses and arrows: one column each
    expect(server.received).toHaveLength(2);
  });

  it("--help opens no store and loads no provider; events list --json loads no provider, colours, spinner, table or HTTP client", async () => {
    const help = await modulesLoadedBy(["--help"]);
    expect(help).toMatch(/src\/cli\/program\/build-program\.ts/); // the hook sees the bundle's chunks
    expect(help).not.toMatch(/node_modules\/better-sqlite3\//);
    expect(help).not.toMatch(/src\/store\//);
    expect(help).not.toMatch(/src\/providers\/(?!types\.ts)/); // the error classes main.ts maps to exit codes, no provider
    expect(help).not.toMatch(/src\/cli\/commands\//);

    const db = tempStore();
    cleanups.push(() => db.remove());
    recordEvent(db.store, { provider: "stripe", headers: [["Content-Type", "application/json"]], body: '{"id":"evt_list"}', url: "/stripe" });
    const list = await modulesLoadedBy(["--db", db.file, "events", "list", "--json", "--limit", "1"]);
    expect(list).toMatch(/node_modules\/better-sqlite3\//);
    expect(list).toMatch(/src\/cli\/commands\/events\.ts/);
    expect(list).not.toMatch(/src\/cli\/commands\/(listen|replay|check|trigger|ui)\.ts/);
    expect(list).not.toMatch(/src\/providers\/(registry|stripe|github)\.ts/);
    expect(list).not.toMatch(/src\/inspector\//);
    expect(list).not.toMatch(/node_modules\/(chalk|ora|string-width|undici|jose)\//); // no colour in a JSON document
  });
});
