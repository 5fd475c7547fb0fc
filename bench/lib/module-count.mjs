// How many modules a command loads: ES modules through a loader hook (each URL it loads), CommonJS ones from
// require.cache at exit — the start-up cost that `--cpu-prof` shows as compile and evaluate time.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Runs `node <argv>` to its end and returns the modules it loaded: `{ total, esm, commonjs, byArea }`. */
export function countModules(argv, { env = process.env } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "hooktape-modules-"));
  const list = path.join(dir, "loaded.txt");
  writeFileSync(list, "");
  const hooks = path.join(dir, "hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";\n` +
      `export async function load(url, context, next) { if (!url.startsWith("node:")) appendFileSync(${JSON.stringify(list)}, "esm " + url + "\\n"); return next(url, context); }\n`,
  );
  const register = path.join(dir, "register.mjs");
  writeFileSync(
    register,
    `import { register, createRequire } from "node:module";\nimport { appendFileSync } from "node:fs";\n` +
      `register(${JSON.stringify(pathToFileURL(hooks).href)});\n` +
      `const require = createRequire(import.meta.url);\n` +
      `process.on("exit", () => appendFileSync(${JSON.stringify(list)}, Object.keys(require.cache).map((f) => "cjs " + f + "\\n").join("")));\n`,
  );
  try {
    const run = spawnSync(process.execPath, ["--import", pathToFileURL(register).href, ...argv], { stdio: ["ignore", "ignore", "pipe"], env });
    if (run.status !== 0) throw new Error(`module count: ${argv.join(" ")} exited ${run.status}: ${run.stderr}`);
    const lines = readFileSync(list, "utf8").split("\n").filter(Boolean);
    const esm = new Set(lines.filter((l) => l.startsWith("esm ")).map((l) => l.slice(4)));
    const commonjs = new Set(lines.filter((l) => l.startsWith("cjs ")).map((l) => pathToFileURL(l.slice(4)).href));
    const all = new Set([...esm, ...commonjs]);
    const byArea = {};
    for (const url of all) {
      const area = /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? /\/dist\/([^/]+)/.exec(url)?.[1] ?? "other";
      byArea[area] = (byArea[area] ?? 0) + 1;
    }
    return { total: all.size, esm: esm.size, commonjs: commonjs.size, byArea };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
