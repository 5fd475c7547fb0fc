// Recording proxies side by side: hooktape listen (records every request into
// SQLite, verifies its signature, forwards it) against mitmproxy's `mitmdump -w` in reverse-proxy mode (records
// every flow into a file, forwards it), both in front of the same handler, interleaved rounds of wrk (autocannon without it),
// 2 KB signed JSON bodies, medians. Goal: hooktape >= 15x mitmdump's req/s.
// mitmdump comes from Debian (`apt-get install mitmproxy`); without it on PATH the benchmark says so and exits 0.
//
//   npm run build && node bench/recorder.bench.mjs [--json] [--rounds 3] [--duration 5] [--connections 32]
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { prepareLoad, wrkAvailable } from "./lib/load.mjs";
import { makeBody, signBody } from "./lib/payload.mjs";
import { spawnService, spawnToFile, stopProcess } from "./lib/processes.mjs";
import { fixed, formatTable, median, ratio } from "./lib/stats.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: flags } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "32" },
    keep: { type: "boolean", default: false },
  },
  // run.mjs passes every argument to every benchmark: ignore the ones meant for others.
  strict: false,
});
const rounds = Number(flags.rounds);
const durationSec = Number(flags.duration);
const connections = Number(flags.connections);
const log = (text) => process.stderr.write(text + "\n");
// wrk (Debian: apt-get install wrk) when it is there: a C load generator leaves more of the 2 cores to the proxies.
const generator = wrkAvailable() ? "wrk" : "autocannon";

if (spawnSync("mitmdump", ["--version"], { stdio: "ignore" }).error !== undefined) {
  log("recorder bench: mitmdump is not on PATH (Debian: apt-get install mitmproxy); nothing measured");
  if (flags.json) process.stdout.write(`${JSON.stringify({ skipped: "mitmdump is not on PATH" })}\n`);
  process.exit(0);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mitmdump exited with ${child.exitCode} before listening`);
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`mitmdump did not listen on ${port} within ${timeoutMs} ms`);
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hooktape-recorder-bench-"));
  const body = makeBody();
  const signature = signBody(body, "hmac");
  const run = prepareLoad({ dir, body, headers: { "content-type": "application/json", [signature.name]: signature.value } });
  const children = [];
  const db = path.join(dir, "hooktape.db");
  const flows = path.join(dir, "mitmdump.flows");
  try {
    const handler = await spawnService(path.join(root, "bench/lib/handler-server.mjs"));
    children.push(handler.child);
    const handlerPort = handler.ready.port;

    const hooktape = await spawnToFile(
      process.execPath,
      [path.join(root, "bin/hooktape.js"), "listen", String(handlerPort), "--no-tunnel", "--port", "0", "--db", db, ...signature.listenFlags, "--json"],
      {
        stdoutFile: path.join(dir, "hooktape.out"),
        stderrFile: path.join(dir, "hooktape.err"),
        env: { ...process.env, NO_COLOR: "1", CI: "1" },
        isReady: (line) => (line.startsWith("{") && JSON.parse(line).type === "ready" ? JSON.parse(line) : null),
      },
    );
    children.push(hooktape.child);

    const mitmPort = await freePort();
    const mitm = spawn(
      "mitmdump",
      ["--mode", `reverse:http://127.0.0.1:${handlerPort}`, "--listen-host", "127.0.0.1", "--listen-port", String(mitmPort), "-w", flows, "-q"],
      { stdio: "ignore" },
    );
    children.push(mitm);
    await waitForPort(mitmPort, mitm);

    const urls = { hooktape: `${hooktape.ready.url}/webhooks/bench`, mitmdump: `http://127.0.0.1:${mitmPort}/webhooks/bench` };
    const results = { hooktape: [], mitmdump: [] };
    log(`recorder bench: ${rounds} rounds x ${durationSec} s, ${connections} connections, ${generator}, hooktape and mitmdump -w interleaved`);
    for (const setup of Object.keys(urls)) await run(generator, urls[setup], { connections, durationSec: 2 }); // warm-up
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? ["hooktape", "mitmdump"] : ["mitmdump", "hooktape"];
      for (const setup of order) {
        const result = await run(generator, urls[setup], { connections, durationSec });
        results[setup].push(result);
        log(`  round ${round}  ${setup.padEnd(9)} ${fixed(result.rps).padStart(6)} req/s  p99 ${fixed(result.p99Ms, 2)} ms  non-2xx ${result.non2xx}  errors ${result.errors}`);
      }
    }

    const exit = await stopProcess(hooktape.child, { signal: "SIGTERM" });
    await stopProcess(mitm, { signal: "SIGINT" });
    const events = new Database(db, { readonly: true }).prepare("SELECT count(*) AS n FROM events").get().n;
    const medians = Object.fromEntries(
      Object.entries(results).map(([setup, list]) => [setup, { rps: median(list.map((r) => r.rps)), p99Ms: median(list.map((r) => r.p99Ms)) }]),
    );
    const report = {
      config: { generator, rounds, durationSec, connections, bodyBytes: body.length, cpus: os.cpus().length, node: process.version, load: os.loadavg() },
      medians,
      rpsHooktapeVsMitmdump: ratio(medians.hooktape.rps, medians.mitmdump.rps),
      goal: 15,
      hooktapeEventsRecorded: events,
      hooktapeExit: exit,
      mitmdumpFlowBytes: statSync(flows).size,
    };
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      console.log(
        formatTable([
          ["recorder", "req/s", "p99 ms"],
          ["hooktape listen (SQLite, verified)", fixed(medians.hooktape.rps), fixed(medians.hooktape.p99Ms, 2)],
          ["mitmdump -w (flow file)", fixed(medians.mitmdump.rps), fixed(medians.mitmdump.p99Ms, 2)],
        ]),
      );
      console.log(
        `hooktape / mitmdump: ${fixed(report.rpsHooktapeVsMitmdump, 2)}x req/s (goal >= 15x: ${report.rpsHooktapeVsMitmdump >= 15 ? "met" : "not met"}); ` +
          `load average ${report.config.load.map((l) => l.toFixed(2)).join(", ")} (${report.config.cpus} CPUs); hooktape recorded ${events} events, exit ${exit}`,
      );
    }
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    if (!flags.keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(`recorder bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
