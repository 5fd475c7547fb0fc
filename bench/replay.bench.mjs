// The replay benchmark: 5,000 recorded events replayed against a local handler at
// --concurrency 32 by
//   hooktape - the built CLI, `hooktape replay --last 5000 --concurrency 32 --to <handler> --json`: reads the events
//              from SQLite, plans, delivers with undici, and records every attempt;
//   node     - a plain Node http client (node:http, a keep-alive agent of 32 sockets, 32 requests in flight)
//              sending the same 5,000 requests (same bodies and headers), recording nothing;
// interleaved (hooktape, node, hooktape, node, ...) for several rounds, each a fresh process, medians per setup.
// The end-to-end row is the wall clock of each process, spawn to exit (start-up, reading, sending, output); its goal
// is hooktape ≥ 1.0× the plain client. The sending row is the window from the first request to the last
// answer (hooktape's from the attempts it recorded, the plain client's from its own clock).
// `--profile` runs hooktape once more under `node --cpu-prof` and prints where its wall clock went, by phase, with
// the number of modules it loads.
// With `wrk` on PATH, wrk's rate on the same request at 32 connections is reported as the native ceiling.
// The handler is a minimal node:http server in its own process.
//
//   node bench/replay.bench.mjs [--quick] [--json] [--rounds 5] [--events 5000] [--concurrency 32] [--profile] [--keep]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync, readdirSync, openSync, closeSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { formatCpuSummary, summarizeCpuProfile, summarizePhases } from "./lib/cpu-profile.mjs";
import { prepareLoad, wrkAvailable } from "./lib/load.mjs";
import { countModules } from "./lib/module-count.mjs";
import { makeBody, signBody } from "./lib/payload.mjs";
import { runToEnd, spawnService, stopProcess } from "./lib/processes.mjs";
import { fixed, formatTable, median, ratio } from "./lib/stats.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(root, "bin", "hooktape.js");

// `--client <requests.json> <url> <concurrency>`: the plain Node client, run as its own process like hooktape.
if (process.argv[2] === "--client") {
  await runPlainClient(process.argv[3], process.argv[4], Number(process.argv[5]));
  process.exit(0);
}

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    rounds: { type: "string" },
    events: { type: "string", default: "5000" },
    concurrency: { type: "string", default: "32" },
    keep: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
  },
  // run.mjs passes every argument to every benchmark: ignore the ones meant for others.
  strict: false,
});

const rounds = positive(flags.rounds ?? (flags.quick ? "2" : "5"), "--rounds");
const eventCount = positive(flags.events, "--events");
const concurrency = positive(flags.concurrency, "--concurrency");
const log = (text) => process.stderr.write(text + "\n");

function positive(text, name) {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`replay bench: ${name} must be a positive integer, got "${text}"\n`);
    process.exit(2);
  }
  return n;
}

/** 5,000 distinct Stripe-like events, 2 KB each, signed, recorded as `listen` records them (through the built store). */
async function recordEvents(dbFile, handlerUrl) {
  const { EventStore } = await import(path.join(root, "dist", "store", "index.js"));
  const { newEventId } = await import(path.join(root, "dist", "core", "ids.js"));
  const { createHash } = await import("node:crypto");
  const store = new EventStore(dbFile);
  const template = makeBody();
  const requests = [];
  const start = Date.now() - eventCount;
  for (let i = 0; i < eventCount; i++) {
    const body = template.replace("evt_1BenchmarkHooktape000001", `evt_1BenchmarkHooktape${String(i).padStart(6, "0")}`);
    const signature = signBody(body, "stripe");
    const headers = [
      ["Content-Type", "application/json; charset=utf-8"],
      ["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"],
      [signature.name, signature.value],
    ];
    const bytes = Buffer.from(body);
    store.insertEvent({
      id: newEventId(start + i),
      method: "POST",
      url: "/webhooks/stripe",
      headers,
      body: bytes,
      receivedAt: start + i,
      remoteAddress: "127.0.0.1",
      via: "local",
      provider: "stripe",
      verification: { status: "valid", reason: null },
      rejected: null,
      bodySize: bytes.length,
      bodySha256: createHash("sha256").update(bytes).digest("hex"),
      publicUrl: null,
      target: handlerUrl,
    });
    requests.push({ path: "/webhooks/stripe", headers, body });
  }
  store.close();
  return requests;
}

/** The plain client: node:http, keep-alive, `concurrency` requests in flight, every response drained. */
async function runPlainClient(requestsFile, url, limit) {
  const requests = JSON.parse(readFileSync(requestsFile, "utf8"));
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: limit });
  let next = 0;
  let ok = 0;
  const started = performance.now();
  const sendOne = (request) =>
    new Promise((resolve, reject) => {
      const body = Buffer.from(request.body);
      const headers = Object.fromEntries(request.headers);
      headers["content-length"] = String(body.length);
      const req = http.request({ host: target.hostname, port: target.port, method: "POST", path: request.path, headers, agent }, (res) => {
        res.on("data", () => {});
        res.on("end", () => {
          if (res.statusCode >= 200 && res.statusCode < 300) ok++;
          resolve();
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  const worker = async () => {
    while (next < requests.length) await sendOne(requests[next++]);
  };
  await Promise.all(Array.from({ length: limit }, worker));
  const sendMs = performance.now() - started;
  agent.destroy();
  process.stdout.write(JSON.stringify({ ok, sendMs }) + "\n");
}

function countReplayAttempts(dbFile) {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare("SELECT count(*) AS n FROM deliveries WHERE kind = 'replay'").get().n;
  } finally {
    db.close();
  }
}

function replayArgs(dbFile, handlerUrl, last = eventCount) {
  return [BIN, "--db", dbFile, "replay", "--last", String(last), "--concurrency", String(concurrency), "--to", handlerUrl, "--json"];
}

async function runHooktape(dbFile, handlerUrl, dir, nodeFlags = []) {
  const outFile = path.join(dir, "replay.json");
  const started = performance.now();
  // stdout to a file: 5,000 attempts of --json would otherwise be timed through a pipe we read ourselves.
  const out = openSync(outFile, "w");
  try {
    execFileSync(
      process.execPath,
      [...nodeFlags, ...replayArgs(dbFile, handlerUrl)],
      { stdio: ["ignore", out, "pipe"], env: { ...process.env, NO_COLOR: "1", CI: "1" }, maxBuffer: 64 * 1024 * 1024 },
    );
  } finally {
    closeSync(out);
  }
  const wallMs = performance.now() - started;
  const doc = JSON.parse(readFileSync(outFile, "utf8"));
  const ok = doc.attempts.filter((a) => a.status >= 200 && a.status < 300).length;
  // The send phase: first attempt's start to last attempt's end, from what hooktape recorded.
  const starts = doc.attempts.map((a) => Date.parse(a.startedAt));
  const ends = doc.attempts.map((a) => Date.parse(a.startedAt) + a.durationMs);
  return { wallMs, sendMs: Math.max(...ends) - Math.min(...starts), ok };
}

async function runNode(requestsFile, handlerUrl) {
  const started = performance.now();
  const { code, stdout, stderr } = await runToEnd(process.execPath, [fileURLToPath(import.meta.url), "--client", requestsFile, handlerUrl, String(concurrency)]);
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`plain client failed (${code}): ${stderr.slice(-2000)}`);
  const { ok, sendMs } = JSON.parse(stdout);
  return { wallMs, sendMs, ok };
}

/** The phases of a replay process, for `--profile`: a sample goes to the first phase one of its frames belongs to. */
const inDist = (frame, name) => frame.url.includes("/dist/") && frame.functionName === name;
const PHASES = [
  ["reading events (SQLite)", (f) => inDist(f, "replayableEvents") || inDist(f, "selectEvents")],
  ["planning", (f) => inDist(f, "planReplay")],
  ["recording attempts (SQLite)", (f) => inDist(f, "insertAttempts") || (f.url.includes("/dist/replay/run") && f.functionName === "flush")],
  ["--json document", (f) => inDist(f, "replayJson") || inDist(f, "document")],
  ["opening/closing the store", (f) => f.url.includes("/dist/store/") && ["openDatabase", "EventStore", "close"].includes(f.functionName)],
  [
    "sending (undici, sockets, the run's loop)",
    (f) => f.url.includes("/undici/") || f.url.includes("/dist/forward/") || f.url.includes("/dist/replay/run") || /^node:(net|internal\/stream|internal\/timers|timers)/.test(f.url) || f.functionName === "writev",
  ],
  ["loading modules", (f) => f.url.startsWith("node:internal/modules/") || f.functionName === "compileForInternalLoader" || f.functionName === "requireBuiltin"],
];

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hooktape-replay-bench-"));
  const dbFile = path.join(dir, "bench.db");
  const handler = await spawnService(path.join(root, "bench", "lib", "handler-server.mjs"));
  const handlerUrl = `http://127.0.0.1:${handler.ready.port}`;
  try {
    log(`replay bench: recording ${eventCount} events (2 KB, Stripe-signed) in ${dbFile}`);
    const requests = await recordEvents(dbFile, handlerUrl);
    const requestsFile = path.join(dir, "requests.json");
    writeFileSync(requestsFile, JSON.stringify(requests));

    // Warm-up: one of each, not counted (disk cache, JIT of the handler).
    log("replay bench: warm-up");
    await runHooktape(dbFile, handlerUrl, dir);
    await runNode(requestsFile, handlerUrl);

    const results = { hooktape: [], node: [] };
    for (let round = 1; round <= rounds; round++) {
      for (const setup of round % 2 === 1 ? ["hooktape", "node"] : ["node", "hooktape"]) {
        const result = setup === "hooktape" ? await runHooktape(dbFile, handlerUrl, dir) : await runNode(requestsFile, handlerUrl);
        if (result.ok !== eventCount) throw new Error(`${setup}: ${result.ok} of ${eventCount} requests got a 2xx`);
        results[setup].push(result);
        log(`  round ${round} ${setup.padEnd(8)} ${fixed(result.wallMs)} ms wall, ${fixed(result.sendMs)} ms sending`);
      }
    }
    let profile = null;
    if (flags.profile) {
      const profileDir = path.join(dir, "cpu-profile");
      await runHooktape(dbFile, handlerUrl, dir, ["--cpu-prof", "--cpu-prof-dir", profileDir]);
      const file = path.join(profileDir, readdirSync(profileDir).find((name) => name.endsWith(".cpuprofile")));
      profile = {
        phases: summarizePhases(file, PHASES),
        cpu: summarizeCpuProfile(file),
        modules: countModules(replayArgs(dbFile, handlerUrl, 1)),
      };
    }
    const recorded = countReplayAttempts(dbFile);
    const expectedRecorded = eventCount * (rounds + 1 + (flags.profile ? 1 : 0)) + (flags.profile ? 1 : 0);

    let wrk = null;
    if (wrkAvailable()) {
      const run = prepareLoad({ dir, body: requests[0].body, headers: Object.fromEntries(requests[0].headers) });
      const rates = [];
      for (let round = 1; round <= Math.min(rounds, 3); round++) rates.push((await run("wrk", `${handlerUrl}/webhooks/stripe`, { connections: concurrency, durationSec: 3 })).rps);
      wrk = { rps: median(rates), sendMs: (eventCount / median(rates)) * 1000 };
    }

    const summary = (setup) => {
      const wallMs = median(results[setup].map((r) => r.wallMs));
      const sendMs = median(results[setup].map((r) => r.sendMs));
      return { wallMs, sendMs, wallRps: (eventCount / wallMs) * 1000, sendRps: (eventCount / sendMs) * 1000 };
    };
    const hooktape = summary("hooktape");
    const node = summary("node");
    const report = {
      events: eventCount,
      concurrency,
      rounds,
      hooktape,
      node,
      wrk,
      ratioWall: ratio(hooktape.wallRps, node.wallRps),
      ratioSend: ratio(hooktape.sendRps, node.sendRps),
      ratioToWrk: wrk ? ratio(hooktape.sendRps, wrk.rps) : null,
      recorded,
      expectedRecorded,
      goalWall: 1.0,
      loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
      profile,
    };
    if (flags.json) {
      process.stdout.write(JSON.stringify(report, null, 2) + "\n");
    } else {
      const rows = [
        ["setup", "wall ms", "wall req/s", "send ms", "send req/s"],
        ["hooktape replay", fixed(hooktape.wallMs), fixed(hooktape.wallRps), fixed(hooktape.sendMs), fixed(hooktape.sendRps)],
        ["plain node:http", fixed(node.wallMs), fixed(node.wallRps), fixed(node.sendMs), fixed(node.sendRps)],
      ];
      if (wrk) rows.push(["wrk (ceiling)", "", "", fixed(wrk.sendMs), fixed(wrk.rps)]);
      process.stdout.write(`${eventCount} events, --concurrency ${concurrency}, medians of ${rounds} interleaved rounds\n`);
      process.stdout.write(formatTable(rows) + "\n");
      process.stdout.write(
        `hooktape / plain node: ${fixed(report.ratioWall, 2)}× end to end (whole process: start-up, reading SQLite, sending, ` +
          `recording, output; goal ≥ ${fixed(report.goalWall, 1)}×: ${report.ratioWall >= report.goalWall ? "met" : "not met"}), ` +
          `${fixed(report.ratioSend, 2)}× (sending window)\n`,
      );
      process.stdout.write(`load average when done: ${report.loadAverage.join(", ")} (${os.cpus().length} CPUs)\n`);
      process.stdout.write(wrk ? `hooktape / wrk: ${fixed(report.ratioToWrk, 2)}× (sending)\n` : "wrk: not on PATH, no native ceiling measured\n");
      process.stdout.write(`attempts recorded: ${recorded} of ${expectedRecorded} sent by hooktape\n`);
      if (profile) {
        process.stdout.write(`\nhooktape replay under --cpu-prof (one run, ${fixed(profile.phases.wallMs)} ms profiled), by phase:\n`);
        for (const { phase, ms, pct } of profile.phases.phases) process.stdout.write(`  ${fixed(ms).padStart(6)} ms  ${fixed(pct, 1).padStart(5)}%  ${phase}\n`);
        const areas = Object.entries(profile.modules.byArea).sort((a, b) => b[1] - a[1]).map(([area, n]) => `${area} ${n}`);
        process.stdout.write(`modules loaded by replay: ${profile.modules.total} (${areas.join(", ")})\n\n`);
        process.stdout.write(formatCpuSummary(profile.cpu) + "\n");
      }
    }
    if (recorded !== expectedRecorded) process.exitCode = 1;
  } finally {
    await stopProcess(handler.child);
    if (flags.keep) log(`replay bench: kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
