// What a replay loads before its first request: a `--json` run prints no spinner and no table, so it loads neither
// ora nor string-width, of undici only the Agent it sends through (not fetch, WebSocket, the cache...), and of the
// hundred providers only the module of its events' one (not the registry). Counted with a module loader hook on the
// built CLI (ES modules as they load, CommonJS ones from require.cache at exit); the time it saves is measured in
// bench/replay.bench.mjs, not here.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
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

describe("replay start-up", () => {
  it("loads no spinner library, no text-width tables and only undici's Agent and the events' provider module for a --json run; the human summary loads its table", async () => {
    const db = tempStore();
    const server = await startTargetServer({ kind: "answer", status: 200 });
    cleanups.push(() => db.remove(), () => server.close());
    const body = '{\n  "id": "evt_startup",\n  "object": "event",\n  "data": { "object": { "description": "Café" } }\n}';
    const signed = getProvider("stripe")!.sign({ body: Buffer.from(body), secret: "whsec_startup", timestamp: Math.floor(Date.now() / 1000), id: "x", method: "POST", headers: [] });
    recordEvent(db.store, { provider: "stripe", headers: [["Content-Type", "application/json"], ...signed.headers], body, url: "/stripe", target: server.url });

    const loaded = async (args: string[]) => {
      const list = path.join(tempDir(), "loaded.txt");
      writeFileSync(list, "");
      const run = await runCli(["--db", db.file, "replay", "--last", ...args], { env: { NODE_OPTIONS: `--import ${moduleListHook(list)}` } });
      expect(run.code, run.stderr).toBe(0);
      return readFileSync(list, "utf8");
    };

    const json = await loaded(["--json"]);
    expect(json).toMatch(/node_modules\/undici\/lib\/dispatcher\/agent\.js/); // the hook sees CommonJS too
    expect(json).toMatch(/node_modules\/better-sqlite3\//);
    expect(json).not.toMatch(/node_modules\/undici\/index\.js/);
    expect(json).not.toMatch(/node_modules\/ora\//);
    expect(json).not.toMatch(/node_modules\/string-width\//);
    // Of the provider catalogue, only the module of the events' provider: not the other schemes, nor jose.
    expect(json).toMatch(/dist\/providers\/stripe\.js/);
    expect(json).not.toMatch(/dist\/providers\/registry\.js/);
    expect(json).not.toMatch(/dist\/providers\/certificate\.js/);
    expect(json).not.toMatch(/dist\/providers\/adyen\.js/);
    expect(json).not.toMatch(/node_modules\/jose\//);

    const human = await loaded([]);
    expect(human).toMatch(/node_modules\/string-width\/index\.js/); // it prints a table
    expect(server.received).toHaveLength(2);
  });
});
