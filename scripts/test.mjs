// `npm test` after the build: the suite (vitest) and the tests' type-check (tsc) at the same time, the type-check at a
// low priority. The suite leaves part of the machine idle while its tests wait on the processes, sockets and timers
// they start; the type-check, ~20 s of CPU on one core, fills those gaps instead of running alone before the suite.
// Fails when either fails; the type-check's errors print after the suite's report. Arguments go to vitest.
import { spawn } from "node:child_process";
import { setPriority } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);

/** Runs a command; resolves with its exit code (1 when a signal ended it) and, when asked, what it printed. */
function run(command, args, { capture = false, nice = 0 } = {}) {
  const child = spawn(command, args, { cwd: root, stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit" });
  if (nice !== 0 && child.pid !== undefined) {
    try {
      setPriority(child.pid, nice);
    } catch {
      // Not allowed to lower it here: it runs at the normal priority, only sharing the cores more.
    }
  }
  let output = "";
  if (capture) {
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
  }
  return new Promise((resolve) => {
    child.on("error", (error) => resolve({ code: 1, output: `${command}: ${error.message}\n` }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

const typecheck = run(bin("tsc"), ["-p", "test/tsconfig.json", "--noEmit"], { capture: true, nice: 15 });
const suite = await run(bin("vitest"), ["run", ...process.argv.slice(2)]);
const types = await typecheck;
if (types.code !== 0) {
  process.stderr.write(`\nThe tests' type-check failed (tsc -p test/tsconfig.json):\n${types.output}`);
} else {
  process.stdout.write("The tests' type-check passed (tsc -p test/tsconfig.json).\n");
}
process.exit(suite.code !== 0 ? suite.code : types.code);
