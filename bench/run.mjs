// `npm run bench`: runs every bench/*.bench.mjs in sequence, each in its own process, passing the arguments
// through. `--only <name>` (e.g. `--only capture`) runs one. With `--json` each benchmark prints one JSON
// document; they are gathered into one: `{ "<name>": <document>, ... }`.
// The HTTP benchmarks drive load with both wrk (native, one thread: the load generator reviewers use) and autocannon
// (Node, on the same two cores as what it measures, so it flatters the slower side); without wrk on PATH they run
// autocannon alone, and this says so.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { wrkAvailable } from "./lib/load.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const json = args.includes("--json");

let only = null;
const passThrough = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === "--only") {
    only = args[++i] ?? null;
    if (only === null) fail("--only needs a benchmark name, e.g. --only capture");
  } else if (arg.startsWith("--only=")) {
    only = arg.slice("--only=".length);
  } else {
    passThrough.push(arg);
  }
}

const all = readdirSync(here)
  .filter((file) => file.endsWith(".bench.mjs"))
  .sort()
  .map((file) => ({ name: file.slice(0, -".bench.mjs".length), file: path.join(here, file) }));
const selected = only === null ? all : all.filter((bench) => bench.name === only || `${bench.name}.bench.mjs` === only);
if (selected.length === 0) {
  fail(only === null ? "no bench/*.bench.mjs found" : `no benchmark "${only}"; there are: ${all.map((b) => b.name).join(", ")}`);
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

/** Runs one benchmark; stderr always streams through, stdout streams through unless it is collected for --json. */
function runOne(bench) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bench.file, ...passThrough], {
      stdio: ["ignore", json ? "pipe" : "inherit", "inherit"],
    });
    let stdout = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.once("error", (error) => resolve({ code: 1, stdout, error }));
    child.once("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), stdout }));
  });
}

if (!wrkAvailable()) {
  process.stderr.write("bench: wrk is not on PATH (Debian: apt-get install -y wrk): the HTTP figures are autocannon's alone\n");
}

const documents = {};
let failed = 0;
for (const bench of selected) {
  if (!json) process.stdout.write(`\n=== ${bench.name} (${path.relative(process.cwd(), bench.file)}) ===\n`);
  const { code, stdout, error } = await runOne(bench);
  if (error) process.stderr.write(`bench: could not start ${bench.name}: ${error.message}\n`);
  if (code !== 0) {
    failed++;
    process.stderr.write(`bench: ${bench.name} exited with ${code}\n`);
  }
  if (json) {
    try {
      documents[bench.name] = JSON.parse(stdout);
    } catch {
      documents[bench.name] = { exitCode: code, output: stdout };
    }
  }
}
if (json) process.stdout.write(JSON.stringify(documents, null, 2) + "\n");
process.exitCode = failed > 0 ? 1 : 0;
