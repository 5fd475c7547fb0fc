import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

// Four projects, each file in exactly one, chosen by what the file does rather than by where it lives (test folders
// follow src/'s rooms):
//   browser      drives the inspector's page in Chromium
//   e2e          starts processes: the built CLI (runCli, startListen), workerd, a packed tarball; test/e2e, test/docs
//   integration  real sockets, SQLite files and worker threads, in process
//   unit         the rest: pure code, and the CLI program run in process (runProgram): no build, seconds
// `npm test` runs all four; `npm run test:unit` is the inner loop.
const root = import.meta.dirname;

// The suite talks to 127.0.0.1 only. A machine's extra CA certificates (NODE_EXTRA_CA_CERTS: a bundle of some 140
// certificates that every Node process reads and parses at start, ~45 ms of CPU each) are for the internet, which only
// the opt-in real-tunnel test reaches; the workers and every process the tests start inherit this environment.
if (process.env.HOOKTAPE_REAL_TUNNEL !== "1") delete process.env.NODE_EXTRA_CA_CERTS;

const BROWSER = /\bplaywright-core\b|browser-helpers\.js/;
const PROCESS =
  /helpers\/cli\.js|replay\/cli\.js|listen-session\.js|relay-helpers\.js|inspector\/helpers\.js|node:child_process|\bworkerd\b/;
const REAL_IO =
  /node:http|node:net|node:worker_threads|\bundici\b|EventStore|storeWith|openStore|capture-server|inspector\/server|target-server|\.\.\/handlers\/|createServer|startTunnel|\bfetch\(/;

type Project = "unit" | "integration" | "e2e" | "browser";

function projectOf(file: string): Project {
  const relative = path.relative(root, file).split(path.sep).join("/");
  const text = readFileSync(file, "utf8");
  if (BROWSER.test(text)) return "browser";
  if (relative.startsWith("test/e2e/") || relative.startsWith("test/docs/") || PROCESS.test(text)) return "e2e";
  if (REAL_IO.test(text)) return "integration";
  return "unit";
}

function testFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : testFiles(file);
    return entry.name.endsWith(".test.ts") ? [file] : [];
  });
}

const files = new Map<Project, string[]>([
  ["unit", []],
  ["integration", []],
  ["e2e", []],
  ["browser", []],
]);
for (const file of testFiles(path.join(root, "test"))) {
  files.get(projectOf(file))?.push(path.relative(root, file).split(path.sep).join("/"));
}

function project(
  name: Project,
  settings: TestProjectInlineConfiguration["test"] & { built?: boolean; setup?: string[] },
): TestProjectInlineConfiguration {
  const { built = false, setup = [], ...test } = settings;
  const globalSetup = ["test/helpers/global-setup.ts", ...(built ? ["test/helpers/built-cli-setup.ts"] : []), ...setup];
  // Runs before every file, also where files share a worker's modules: the helpers' after-each clean-up.
  const setupFiles = ["test/helpers/per-file-setup.ts"];
  return { extends: true, test: { name, include: files.get(name), globalSetup, setupFiles, ...test } };
}

export default defineConfig({
  test: {
    // Two cores, four workers in all: most e2e and integration files spend their time waiting on processes, sockets
    // and timeouts they start, so two more workers fill the cores while those wait (the 21 slowest files: 319 s
    // against 367 s with two, the same CPU time). Files in one project are independent; the projects run at the same
    // time, longest files first once vitest has timed them.
    maxWorkers: 4,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // expect.poll waits for something to happen (a row, a search on its worker thread); on two loaded cores 1 s,
    // the default, is not always enough. A poll that succeeds returns at once; only a failing one waits this long.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      // Pure code, most of its time spent importing the providers' SDKs: files share a worker's module cache
      // (isolate: false) instead of importing them again for each file.
      project("unit", { pool: "forks", isolate: false }),
      // Sockets, SQLite, worker threads and spawned processes in forks: a crash or a stuck handle stays in its worker
      // process. Their files share a worker's modules too (importing the program and the providers again for each
      // file was a third of the suite's time); helpers hand their clean-up to the per-file setup, not to a hook they
      // register when first imported. e2e and browser need the built CLI (their setup says so when it is missing).
      project("integration", { pool: "forks", isolate: false }),
      project("e2e", { pool: "forks", built: true, isolate: false }),
      // One Chromium for all its files (test/inspector/chromium-setup.ts): each file connects to it. Its files share a
      // worker's modules too (each worker imports playwright-core once, a second of CPU).
      project("browser", { pool: "forks", built: true, isolate: false, setup: ["test/inspector/chromium-setup.ts"] }),
    ],
  },
});
