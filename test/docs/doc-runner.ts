// Runs a document's examples as a reader would: in a project folder of their own, with `hooktape` on PATH (the built
// bin/hooktape.js), hooktape in node_modules, the shipped fixtures, and a handler on the port the examples call 3000.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { startBuggyStripeHandler } from "../handlers/buggy-stripe-handler.js";
import { startCorrectHandler } from "../handlers/correct-handler.js";
import { serveOnLoopback, type Served } from "../helpers/target-server.js";
import { mask } from "../helpers/cli.js";
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { expectedExit, extractExamples, parseWorkflow, type Example } from "./examples.js";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** The secrets the examples use; the handlers verify with the same ones. */
export const STRIPE_SECRET = "whsec_test_only";
export const GITHUB_SECRET = "hooktape-test-only-github-secret";

export interface Outcome {
  found: number;
  run: number;
  offline: number;
  failures: string[];
}

interface Backend {
  port: number;
  close(): Promise<void>;
}

/**
 * One port for "the handler on 3000": GitHub's deliveries (by header or path) go to a GitHub handler built on
 * @octokit/webhooks-methods, everything else to a Stripe handler built on stripe-node — the correct one, or one that
 * never verifies a signature. Its GET /state, like one app's, shows what both have processed.
 */
async function startHandler(kind: "correct" | "broken"): Promise<Backend> {
  const stripe = kind === "correct" ? await startCorrectHandler("stripe", STRIPE_SECRET) : await startBuggyStripeHandler(STRIPE_SECRET, { skipsVerification: true });
  const github = await startCorrectHandler("github", GITHUB_SECRET);
  const stripePort = Number(new URL(stripe.url).port);
  const stateOf = async (url: string): Promise<unknown> => (await fetch(`${url}/state`)).json();
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/state") {
      void Promise.all([stateOf(stripe.url), stateOf(github.url)]).then(
        ([stripeState, githubState]) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ stripe: stripeState, github: githubState })),
        () => res.writeHead(502).end(),
      );
      return;
    }
    const toGithub = req.headers["x-github-event"] !== undefined || (req.url ?? "").includes("github");
    const upstream = http.request(
      { host: "127.0.0.1", port: toGithub ? github.port : stripePort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  const served = await serveOnLoopback(server);
  return {
    port: served.port,
    close: async () => {
      await served.close();
      await stripe.close();
      await github.close();
    },
  };
}

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** A handler that answers 200 to anything: the examples' other ports (3001, 3002). */
async function startPlainHandler(): Promise<Served> {
  return serveOnLoopback(http.createServer((req, res) => req.resume().on("end", () => res.writeHead(200).end("{}"))));
}

/**
 * hooktape as `npm install` lays it out in a project: the package's files (package.json's `files`) in a folder of
 * node_modules, its dependencies beside it, its bin in node_modules/.bin. The files are hard links (copies across file
 * systems), not a link to the checkout: a tool that treats what lies outside node_modules as the project's own source
 * (vitest transforms it, where it loads an installed package as it is) sees hooktape as a reader's project would.
 */
function installHooktape(nodeModules: string): void {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { files: string[]; dependencies: Record<string, string> };
  const shipped = (relative: string) => !relative.endsWith(".map") && relative !== "dist/cli/meta.json";
  const place = (from: string, to: string) => {
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
  };
  const copy = (relative: string) => {
    const from = path.join(ROOT, relative);
    if (statSync(from).isDirectory()) {
      mkdirSync(path.join(nodeModules, "hooktape", relative), { recursive: true });
      for (const name of readdirSync(from)) copy(path.join(relative, name));
    } else if (shipped(relative)) place(from, path.join(nodeModules, "hooktape", relative));
  };
  mkdirSync(path.join(nodeModules, "hooktape"), { recursive: true });
  for (const entry of ["package.json", ...manifest.files.filter((entry) => !entry.startsWith("!"))]) copy(entry);
  for (const name of Object.keys(manifest.dependencies)) symlinkSync(path.join(ROOT, "node_modules", name), path.join(nodeModules, name));
  symlinkSync("../hooktape/bin/hooktape.js", path.join(nodeModules, ".bin/hooktape"));
}

/**
 * `npx hooktape …` as npm runs it in a project with hooktape installed: the nearest node_modules/.bin/hooktape, run
 * directly (npm itself costs ~0.7 s of CPU per call). Anything else goes to the real npx; test/e2e/pack.test.ts runs
 * the real `npx hooktape` of an installed tarball.
 */
function npxShortcut(): string {
  return `#!/bin/sh
if [ "$1" = hooktape ]; then
  dir=$PWD
  while :; do
    if [ -x "$dir/node_modules/.bin/hooktape" ]; then shift; exec "$dir/node_modules/.bin/hooktape" "$@"; fi
    [ "$dir" = / ] && break
    dir=$(dirname "$dir")
  done
fi
exec "${installed("npx")}" "$@"
`;
}

/**
 * `npm start` (a workflow's step) in a project whose package.json has a start script and no prestart or poststart:
 * that script, as npm runs it (by sh, the project's node_modules/.bin first on PATH), without npm's own ~0.4 s of
 * CPU. Anything else goes to the real npm.
 */
function npmStartShortcut(): string {
  return `#!/bin/sh
if [ "$#" = 1 ] && [ "$1" = start ] && [ -f package.json ]; then
  script=$(jq -r 'if .scripts.prestart or .scripts.poststart then "" else .scripts.start // "" end' package.json)
  if [ -n "$script" ]; then PATH="$PWD/node_modules/.bin:$PATH" exec sh -c "$script"; fi
fi
exec "${installed("npm")}" "$@"
`;
}

/** The tool's executable on this process's PATH (the sessions' own bin folder is not on it). */
function installed(tool: string): string {
  return (process.env.PATH ?? "").split(path.delimiter).map((dir) => path.join(dir, tool)).find((file) => existsSync(file)) ?? tool;
}

/** What vitest's json reporter says of each test file. */
interface VitestReport {
  testResults: Array<{ name: string; status: string; assertionResults: Array<{ failureMessages: string[] }> }>;
}

interface Background {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

export class DocSession {
  readonly dir: string;
  readonly project: string;
  env: NodeJS.ProcessEnv;
  private handlers = new Map<string, number>();
  private closers: Array<() => Promise<void>> = [];
  private background: Background[] = [];
  private groups: number[] = [];

  private constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), "hooktape-docs-"));
    this.project = path.join(this.dir, "shop");
    const bin = path.join(this.dir, "bin");
    mkdirSync(bin);
    mkdirSync(path.join(this.project, "node_modules/.bin"), { recursive: true });
    writeFileSync(path.join(bin, "hooktape"), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, "bin/hooktape.js")}" "$@"\n`, { mode: 0o755 });
    writeFileSync(path.join(bin, "npx"), npxShortcut(), { mode: 0o755 });
    writeFileSync(path.join(bin, "npm"), npmStartShortcut(), { mode: 0o755 });
    installHooktape(path.join(this.project, "node_modules"));
    for (const name of ["vitest", "stripe"]) symlinkSync(path.join(ROOT, "node_modules", name), path.join(this.project, "node_modules", name));
    symlinkSync(path.join(ROOT, "fixtures"), path.join(this.project, "fixtures"));
    writeFileSync(path.join(this.project, ".secrets"), `stripe=${STRIPE_SECRET}\ngithub=${GITHUB_SECRET}\n`, { mode: 0o600 });
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("HOOKTAPE_") && name !== "STRIPE_API_KEY" && name !== "GITHUB_TOKEN"));
    this.env = {
      ...inherited,
      PATH: `${bin}:${path.dirname(process.execPath)}:${process.env.PATH ?? ""}`,
      HOME: this.dir,
      XDG_CACHE_HOME: path.join(this.dir, "cache"),
      XDG_CONFIG_HOME: path.join(this.dir, "config"),
      NO_COLOR: "1",
      FORCE_COLOR: undefined,
      // No cloudflared here: a tunnel that cannot start is a warning and capture goes on locally.
      CLOUDFLARED_BIN: path.join(this.dir, "no-cloudflared"),
    };
  }

  static async start(): Promise<DocSession> {
    const session = new DocSession();
    for (const kind of ["correct", "broken"] as const) {
      const handler = await startHandler(kind);
      session.handlers.set(kind, handler.port);
      session.closers.push(handler.close);
    }
    for (const port of ["3001", "3002"]) {
      const plain = await startPlainHandler();
      session.handlers.set(port, plain.port);
      session.closers.push(plain.close);
    }
    // The inspector's default port, 4040, as a free port of this session's (a `hooktape ui --port 4040` example).
    session.handlers.set("4040", await freePort());
    return session;
  }

  /** The example's ports as this session's: 3000 is the correct (or broken) handler, 3001 and 3002 plain ones. */
  localise(text: string, handler: "correct" | "broken"): string {
    return text
      .replace(/\b3000\b/g, String(this.handlers.get(handler)))
      .replace(/\b3001\b/g, String(this.handlers.get("3001")))
      .replace(/\b3002\b/g, String(this.handlers.get("3002")))
      .replace(/\b4040\b/g, String(this.handlers.get("4040")));
  }

  /** Output as the documents show it: this session's ports and folder as the examples name them, the rest masked. */
  normalise(text: string): string {
    let out = text;
    for (const [name, port] of this.handlers) out = out.replace(new RegExp(`:${port}\\b`, "g"), `:${name === "correct" || name === "broken" ? "3000" : name}`);
    return mask(out.split(this.project).join("~/shop"));
  }

  async run(example: Example, outcome: Outcome, label: string): Promise<void> {
    outcome.found++;
    if (example.offline !== null) {
      outcome.offline++;
      return;
    }
    outcome.run++;
    const where = `${label}:${example.line}`;
    if (example.kind === "sh") {
      for (const command of example.commands) {
        const want = expectedExit(command);
        const result = await this.command(this.localise(command, example.handler));
        if (result !== null && result.code !== want) outcome.failures.push(`${where}: \`${command}\` exited ${result.code}, not ${want}: ${lastLines(result.output)}`);
      }
    } else if (example.kind === "console") {
      for (const { command, expected } of example.transcript) {
        const result = await this.command(this.localise(command, example.handler));
        const output = result?.output ?? "";
        const shown = new Set(this.normalise(output).split("\n").map(collapse));
        const missing = expected.map((line) => collapse(mask(line))).filter((line) => !shown.has(line));
        if (missing.length > 0) outcome.failures.push(`${where}: \`${command}\` did not print:\n  ${missing.join("\n  ")}\nit printed:\n${this.normalise(output)}`);
      }
    } else if (example.kind === "ts") {
      const failure = example.code.includes('from "vitest"') ? (await this.vitestExample(example.code, ["correct"])).correct : await this.scriptExample(example.code);
      if (failure !== null) outcome.failures.push(`${where}: ${failure}`);
    } else {
      const failure = await this.workflow(example.code, "correct");
      if (failure !== null) outcome.failures.push(`${where}: ${failure}`);
    }
  }

  /**
   * Runs one command line through bash in the project. `export` lines change the session's environment; `hooktape
   * listen`, `ui` and `relay serve` keep running (as in a second terminal) until the session closes: their output so
   * far is returned once they are ready, or null when they never were.
   */
  async command(line: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string } | null> {
    if (/^\s*export\s+[A-Za-z_]/.test(line) || /^\s*[A-Za-z_]\w*=("[^"]*"|'[^']*'|\$\(.*\)|\S*)\s*(#.*)?$/.test(line)) {
      const result = await this.exec(`set -a\n${line}\nenv -0`, env);
      this.env = Object.fromEntries(result.stdout.split("\0").filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
      return { code: result.code, output: result.stderr };
    }
    if (/^\s*([A-Z_]+=\S+\s+)*hooktape\s+(listen|ui|relay\s+serve)\b/.test(line) && !/--help\b/.test(line)) return this.startBackground(line, env);
    const result = await this.exec(line, env);
    return { code: result.code, output: result.stdout + result.stderr };
  }

  private exec(script: string, env: NodeJS.ProcessEnv, cwd = this.project, ownGroup = false): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn("bash", ["-c", script], { cwd, env: { ...this.env, ...env }, detached: ownGroup });
      if (ownGroup && child.pid !== undefined) this.groups.push(child.pid);
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      child.stdin.end();
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  private startBackground(line: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string } | null> {
    const child = spawn("bash", ["-c", `exec ${line}`], { cwd: this.project, env: { ...this.env, ...env }, detached: true });
    let output = "";
    const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
    const ready = new Promise<boolean>((resolve) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        if (/Ctrl-C to stop|Inspector: http|listening on http/.test(output)) resolve(true);
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      void exited.then(() => resolve(false));
    });
    this.background.push({ child, output: () => output, exited });
    return ready.then((ok) => (ok ? { code: 0, output } : { code: child.exitCode, output }));
  }

  /** The TypeScript example, types stripped, run with node in the project (where `import "hooktape"` resolves). */
  async scriptExample(code: string): Promise<string | null> {
    // esbuild is loaded for the documents that have such an example only.
    const { transform } = await import("esbuild");
    const { code: js } = await transform(code, { loader: "ts", format: "esm" });
    const file = path.join(this.project, `example-${Date.now()}.mjs`);
    writeFileSync(file, js);
    const result = await this.exec(`node ${JSON.stringify(file)}`, {});
    return result.code === 0 ? null : `the TypeScript example exited ${result.code}: ${lastLines(result.stdout + result.stderr)}`;
  }

  /**
   * A vitest example, as its reader runs it: in a project whose app (`src/server.js`, `startServer`) is a Stripe
   * handler with stripe-node — verifying (`correct`), or one that skips verification (`broken`). The apps asked for
   * are projects side by side under one folder, run by one vitest. Returns, for each app, null when its test passes,
   * else what vitest said.
   */
  async vitestExample<App extends "correct" | "broken">(code: string, apps: readonly App[]): Promise<Record<App, string | null>> {
    const folder = mkdtempSync(path.join(this.dir, "vitest-"));
    symlinkSync(path.join(this.project, "node_modules"), path.join(folder, "node_modules"));
    writeFileSync(path.join(folder, "package.json"), JSON.stringify({ name: "shop", type: "module", private: true }));
    for (const app of apps) {
      mkdirSync(path.join(folder, app, "test"), { recursive: true });
      mkdirSync(path.join(folder, app, "src"), { recursive: true });
      writeFileSync(path.join(folder, app, "src/server.js"), stripeApp(app === "broken"));
      writeFileSync(path.join(folder, app, "test/webhook.test.ts"), code);
    }
    const vitest = path.join(ROOT, "node_modules/vitest/vitest.mjs");
    const report = path.join(folder, "report.json");
    const result = await this.exec(`node ${JSON.stringify(vitest)} run --root . --reporter dot --reporter json --outputFile.json=report.json`, { CI: "1" }, folder);
    const said = `vitest failed (exit ${result.code}): ${lastLines(result.stdout + result.stderr, 30)}`;
    const files = existsSync(report) ? (JSON.parse(readFileSync(report, "utf8")) as VitestReport).testResults : [];
    const verdicts = {} as Record<App, string | null>;
    for (const app of apps) {
      const file = files.find((entry) => entry.name === path.join(folder, app, "test/webhook.test.ts"));
      const failures = file?.assertionResults.flatMap((assertion) => assertion.failureMessages) ?? [];
      verdicts[app] = file?.status === "passed" ? null : failures.length > 0 ? `vitest failed: ${failures.join("\n")}` : said;
    }
    return verdicts;
  }

  /**
   * A workflow's `run:` steps in order, in the project, with the job's env (`${{ secrets.X }}` are the test secrets):
   * `npm start` starts the `handler` app on `$PORT`. Steps marked as needing the internet are skipped (the project
   * already has hooktape in node_modules). Returns null when every step exits 0, else the first that did not.
   */
  async workflow(yaml: string, handler: "correct" | "broken"): Promise<string | null> {
    const { env, steps } = parseWorkflow(yaml);
    // The app the workflow starts gets a free port of its own where the workflow says 3000.
    const probe = await serveOnLoopback(http.createServer());
    await probe.close();
    const onAppPort = (text: string) => text.replace(/\b3000\b/g, String(probe.port));
    const jobEnv: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(env)) jobEnv[name] = onAppPort(value.replace(/\$\{\{\s*secrets\.[A-Z_]*STRIPE[A-Z_]*\s*\}\}/g, STRIPE_SECRET));
    writeFileSync(path.join(this.project, "package.json"), JSON.stringify({ name: "shop", type: "module", private: true, scripts: { start: "node server.js" } }));
    writeFileSync(path.join(this.project, "server.js"), `${stripeApp(handler === "broken")}\nawait startServer({ port: Number(process.env.PORT), stripeWebhookSecret: process.env.STRIPE_WEBHOOK_SECRET });\n`);
    for (const step of steps) {
      if (step.run === null || step.offline !== null) continue;
      // Each step in a process group of its own, so that what it leaves running (`npm start &`) is stopped at the end.
      const result = await this.exec(onAppPort(step.run), jobEnv, this.project, true);
      if (result.code !== 0) return `step "${step.name}" exited ${result.code}: ${lastLines(result.stdout + result.stderr, 40)}`;
    }
    return null;
  }

  async close(): Promise<void> {
    for (const { child, exited } of this.background) {
      if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
      await exited;
    }
    // What a workflow's steps left running (`npm start &`) outlives the step, as on a runner: stop each step's group.
    for (const group of this.groups.splice(0)) {
      try {
        process.kill(-group, "SIGTERM");
      } catch {
        // the group has already exited
      }
    }
    for (const close of this.closers.splice(0)) await close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A Stripe webhook app as a reader's `src/server.js` would be: stripe-node's constructEvent over the raw body. */
function stripeApp(skipsVerification: boolean): string {
  return `import http from "node:http";
import Stripe from "stripe";

const stripe = new Stripe("sk_test_shop");

export async function startServer({ port, stripeWebhookSecret }) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      try {
        ${skipsVerification ? "JSON.parse(body.toString());" : 'stripe.webhooks.constructEvent(body, req.headers["stripe-signature"] ?? "", stripeWebhookSecret);'}
      } catch (error) {
        res.writeHead(400, { "content-type": "text/plain" }).end("Webhook Error: " + error.message);
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
    });
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: "http://127.0.0.1:" + server.address().port,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
`;
}

function collapse(line: string): string {
  return line.replace(/\s+/g, " ").trim();
}

function lastLines(text: string, count = 8): string {
  return text.trim().split("\n").slice(-count).join("\n");
}

/** A document of the repository, as text. */
export function readDocument(document: string): string {
  return readFileSync(path.join(ROOT, document), "utf8");
}

/** Runs every example of a document, in order, in one session; returns what was found, run, skipped and failed. */
export async function runDocument(document: string): Promise<Outcome> {
  const examples = extractExamples(readDocument(document));
  const outcome: Outcome = { found: 0, run: 0, offline: 0, failures: [] };
  // A document whose examples all need the internet (or that has none) needs no session.
  if (examples.every((example) => example.offline !== null)) return { ...outcome, found: examples.length, offline: examples.length };
  const session = await DocSession.start();
  try {
    for (const example of examples) await session.run(example, outcome, document);
  } finally {
    await session.close();
  }
  return outcome;
}
