// The capture benchmark: hooktape's capture+forward path against
//   direct   - the handler reached directly,
//   proxy    - a plain http-proxy forwarder that records nothing,
//   hooktape - the built CLI, `hooktape listen <handler> --no-tunnel`, recording every request and verifying its
//              signature,
//   base     - with `--baseline <dir>`: another build of hooktape (e.g. main's), for an A/B in one run,
// in interleaved rounds (the order reversed every other round, so that no setup always follows the same one), with
// wrk and autocannon as separate load-generator processes. 2 KB signed JSON bodies, 32 connections, medians per setup.
//
//   node bench/capture.bench.mjs [--quick] [--json] [--rounds 5] [--duration 10] [--warmup 2] [--connections 32]
//                                [--signature hmac|stripe] [--generator autocannon|wrk|all] [--profile] [--keep]
//                                [--rate <req/s>]   (adds a phase at that fixed offered load, autocannon -R)
//                                [--baseline <dir>]
//
// `--profile` runs the hooktapes under `node --cpu-prof` and prints where their capture (main) thread's CPU time went.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { formatCpuSummary, summarizeCpuProfile } from "./lib/cpu-profile.mjs";
import { prepareLoad, wrkAvailable } from "./lib/load.mjs";
import { makeBody, signBody } from "./lib/payload.mjs";
import { spawnService, spawnToFile, stopProcess } from "./lib/processes.mjs";
import { fixed, formatTable, median, ratio } from "./lib/stats.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    rounds: { type: "string" },
    duration: { type: "string" },
    warmup: { type: "string" },
    connections: { type: "string", default: "32" },
    signature: { type: "string", default: "hmac" },
    generator: { type: "string", default: "all" },
    profile: { type: "boolean", default: false },
    rate: { type: "string" },
    keep: { type: "boolean", default: false },
    baseline: { type: "string" },
  },
  // run.mjs passes every argument to every benchmark: ignore the ones meant for others.
  strict: false,
});

const rounds = positive(flags.rounds ?? (flags.quick ? "2" : "5"), "--rounds");
const durationSec = positive(flags.duration ?? (flags.quick ? "2" : "10"), "--duration");
const warmupSec = positive(flags.warmup ?? (flags.quick ? "1" : "2"), "--warmup");
const connections = positive(flags.connections, "--connections");
const generators = pickGenerators(String(flags.generator));
const log = (text) => process.stderr.write(text + "\n");
const baselineRoot = flags.baseline === undefined ? null : path.resolve(String(flags.baseline));
/** The hooktape setups: which build each runs. */
const BUILDS = { hooktape: root, ...(baselineRoot === null ? {} : { base: baselineRoot }) };
const SETUPS = ["direct", "proxy", ...Object.keys(BUILDS)];

function positive(text, name) {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`capture bench: ${name} must be a positive integer, got "${text}"\n`);
    process.exit(2);
  }
  return n;
}

function pickGenerators(choice) {
  const hasWrk = wrkAvailable();
  if (choice === "autocannon") return ["autocannon"];
  if (choice === "wrk") {
    if (!hasWrk) {
      process.stderr.write("capture bench: --generator wrk, but wrk is not on PATH\n");
      process.exit(2);
    }
    return ["wrk"];
  }
  return hasWrk ? ["autocannon", "wrk"] : ["autocannon"];
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hooktape-bench-"));
  const dbFiles = Object.fromEntries(Object.keys(BUILDS).map((setup) => [setup, path.join(dir, `${setup}.db`)]));
  const profileDir = path.join(dir, "cpu-profile");
  const body = makeBody();
  const signature = signBody(body, String(flags.signature));
  const run = prepareLoad({ dir, body, headers: { "content-type": "application/json", [signature.name]: signature.value } });
  const children = [];
  const started = Date.now();

  try {
    const handler = await spawnService(path.join(root, "bench/lib/handler-server.mjs"));
    children.push(handler.child);
    const handlerPort = handler.ready.port;
    const proxy = await spawnService(path.join(root, "bench/lib/plain-proxy.mjs"), [String(handlerPort)]);
    children.push(proxy.child);

    const hooktapes = {};
    for (const [setup, build] of Object.entries(BUILDS)) {
      const nodeFlags = flags.profile ? ["--cpu-prof", "--cpu-prof-dir", path.join(profileDir, setup)] : [];
      hooktapes[setup] = await spawnToFile(
        process.execPath,
        [
          ...nodeFlags,
          path.join(build, "bin/hooktape.js"),
          "listen",
          String(handlerPort),
          "--no-tunnel",
          "--port",
          "0",
          "--db",
          dbFiles[setup],
          // Every round records into one store: at full speed the rounds write several GiB (about 5 KiB an event),
          // past the default 1 GiB cap, after which hooktape answers 507 at once and its figures mean nothing.
          "--max-store",
          "32gb",
          ...signature.listenFlags,
          "--json",
        ],
        {
          stdoutFile: path.join(dir, `${setup}.out`),
          stderrFile: path.join(dir, `${setup}.err`),
          env: { ...process.env, NO_COLOR: "1", CI: "1" },
          isReady: (line) => {
            if (!line.startsWith("{")) return null;
            const record = JSON.parse(line);
            return record.type === "ready" ? record : null;
          },
        },
      );
      children.push(hooktapes[setup].child);
    }

    const urls = {
      direct: `http://127.0.0.1:${handlerPort}/webhooks/bench`,
      proxy: `http://127.0.0.1:${proxy.ready.port}/webhooks/bench`,
      ...Object.fromEntries(Object.keys(BUILDS).map((setup) => [setup, `${hooktapes[setup].ready.url}/webhooks/bench`])),
    };
    log(
      `capture bench: ${rounds} rounds x ${durationSec} s per setup and generator (${generators.join(", ")}), ` +
        `warm-up ${warmupSec} s, ${connections} connections, ${Buffer.byteLength(body)} B bodies signed with ${signature.name}, ` +
        `${os.cpus().length} CPUs, Node ${process.version}`,
    );

    // Everything each hooktape answered, warm-up included, must be in its database afterwards.
    const answered = Object.fromEntries(Object.keys(BUILDS).map((setup) => [setup, 0]));
    const count = (setup, result) => {
      if (setup in answered) answered[setup] += result.completed;
    };

    for (const setup of SETUPS) {
      const result = await run(generators[0], urls[setup], { connections, durationSec: warmupSec });
      count(setup, result);
      log(`  warm-up  ${setup.padEnd(8)} ${fixed(result.rps)} req/s`);
    }

    const results = Object.fromEntries(generators.map((g) => [g, Object.fromEntries(SETUPS.map((s) => [s, []]))]));
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? SETUPS : [...SETUPS].reverse();
      for (const generator of generators) {
        for (const setup of order) {
          const result = await run(generator, urls[setup], { connections, durationSec });
          count(setup, result);
          results[generator][setup].push(result);
          log(
            `  round ${round}  ${generator.padEnd(10)} ${setup.padEnd(8)} ${fixed(result.rps).padStart(6)} req/s  ` +
              `p50 ${fixed(result.p50Ms, 2)} ms  p99 ${fixed(result.p99Ms, 2)} ms` +
              (result.non2xx || result.errors ? `  non-2xx ${result.non2xx}  errors ${result.errors}` : ""),
          );
        }
      }
    }

    // With --rate: saturation above compares each at its own maximum, so here proxy and hooktape take the same fixed
    // offered load, and the CPU time each request costs is read from /proc.
    const rate = flags.rate ? positive(String(flags.rate), "--rate") : null;
    const sameLoad = { rate, proxy: [], ...Object.fromEntries(Object.keys(BUILDS).map((setup) => [setup, []])) };
    for (let round = 1; rate !== null && round <= rounds; round++) {
      for (const setup of ["proxy", ...Object.keys(BUILDS)]) {
        const pid = hooktapes[setup]?.child.pid;
        const cpuBefore = pid === undefined ? null : cpuTimes(pid);
        const result = await run("autocannon", urls[setup], { connections, durationSec, rate });
        const cpuAfter = pid === undefined ? null : cpuTimes(pid);
        if (cpuBefore && cpuAfter) {
          // CPU time, not wall time: what each request costs the capture thread and the whole process, whatever
          // else the machine is doing (a loaded machine stretches latencies, not CPU time).
          result.captureThreadCpuUsPerRequest = ((cpuAfter.mainMs - cpuBefore.mainMs) * 1000) / result.completed;
          result.processCpuUsPerRequest = ((cpuAfter.processMs - cpuBefore.processMs) * 1000) / result.completed;
        }
        count(setup, result);
        sameLoad[setup].push(result);
        log(
          `  same load ${rate} req/s  round ${round}  ${setup.padEnd(8)} p50 ${fixed(result.p50Ms, 2)} ms  p99 ${fixed(result.p99Ms, 2)} ms` +
            (result.captureThreadCpuUsPerRequest === undefined
              ? ""
              : `  CPU per request: capture thread ${fixed(result.captureThreadCpuUsPerRequest)} µs, process ${fixed(result.processCpuUsPerRequest)} µs`),
        );
      }
    }

    const exits = {};
    const database = {};
    let warnings = 0;
    for (const setup of Object.keys(BUILDS)) {
      exits[setup] = await stopProcess(hooktapes[setup].child, { signal: "SIGTERM" });
      const recorded = countRecorded(dbFiles[setup]);
      database[setup] = {
        answered: answered[setup],
        events: recorded.events,
        valid: recorded.valid,
        deliveries: recorded.deliveries,
        bytesPerEvent: recorded.events === 0 ? null : Math.round(recorded.bytes / recorded.events),
        everyAnsweredRequestRecorded: recorded.events >= answered[setup],
      };
      warnings += readFileSync(path.join(dir, `${setup}.out`), "utf8")
        .split("\n")
        .filter((line) => line.includes('"type":"warning"')).length;
    }

    const summary = summarize(results);
    const report = {
      bench: "capture",
      config: {
        rounds,
        durationSec,
        warmupSec,
        connections,
        bodyBytes: Buffer.byteLength(body),
        signature: signature.name,
        generators,
        cpus: os.cpus().length,
        node: process.version,
      },
      medians: summary.medians,
      ratios: summary.ratios,
      sameLoad: rate === null ? null : summarizeSameLoad(sameLoad),
      rounds: results,
      database,
      hooktapeExit: exits,
      hooktapeWarnings: warnings,
      elapsedSec: Math.round((Date.now() - started) / 1000),
    };

    if (flags.profile) {
      report.profile = {};
      for (const setup of Object.keys(BUILDS)) {
        const file = mainThreadProfile(path.join(profileDir, setup));
        report.profile[setup] = file ? summarizeCpuProfile(file) : null;
      }
    }

    if (flags.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
    else printHuman(report);
    const failed = Object.keys(BUILDS).some((setup) => !database[setup].everyAnsweredRequestRecorded || exits[setup] !== 0);
    if (failed) process.exitCode = 1;
  } finally {
    await Promise.all(children.map((child) => stopProcess(child, { graceMs: 5_000 })));
    if (flags.keep || flags.profile) log(`capture bench: files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `--cpu-prof` writes one profile per thread (CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile): the capture
 * thread is thread 0; the checkpoint thread has its own.
 */
function mainThreadProfile(dir) {
  const name = readdirSync(dir).find((file) => /\.\d+\.0\.\d+\.cpuprofile$/.test(file));
  return name ? path.join(dir, name) : null;
}

/** CPU time so far (ms) of a process's main thread and of the whole process, from Linux's /proc; null elsewhere. */
function cpuTimes(pid) {
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  const read = (file) => {
    try {
      // Fields after the command name (which may hold spaces, in parentheses): utime and stime are the 12th and 13th.
      const fields = readFileSync(file, "utf8").split(") ")[1].split(" ");
      return (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
    } catch {
      return null;
    }
  };
  const mainMs = read(`/proc/${pid}/task/${pid}/stat`);
  const processMs = read(`/proc/${pid}/stat`);
  return mainMs === null || processMs === null ? null : { mainMs, processMs };
}

function countRecorded(dbFile) {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const events = db.prepare("SELECT count(*) AS n, coalesce(sum(verification_status = 'valid'), 0) AS valid FROM events").get();
    const deliveries = db.prepare("SELECT count(*) AS n FROM deliveries").get();
    // The file as SQLite lays it out (the WAL folded in at exit): what each captured request costs on disk.
    const bytes = db.pragma("page_count", { simple: true }) * db.pragma("page_size", { simple: true });
    return { events: events.n, valid: events.valid, deliveries: deliveries.n, bytes };
  } finally {
    db.close();
  }
}

function summarize(results) {
  const medians = {};
  const ratios = {};
  for (const [generator, bySetup] of Object.entries(results)) {
    medians[generator] = {};
    for (const [setup, runs] of Object.entries(bySetup)) {
      medians[generator][setup] = {
        rps: median(runs.map((r) => r.rps)),
        p50Ms: median(runs.map((r) => r.p50Ms)),
        p99Ms: median(runs.map((r) => r.p99Ms)),
        non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
        errors: runs.reduce((sum, r) => sum + r.errors, 0),
      };
    }
    const m = medians[generator];
    ratios[generator] = {
      rpsHooktapeVsProxy: ratio(m.hooktape.rps, m.proxy.rps),
      rpsHooktapeVsDirect: ratio(m.hooktape.rps, m.direct.rps),
      rpsProxyVsDirect: ratio(m.proxy.rps, m.direct.rps),
      p99HooktapeVsProxy: ratio(m.hooktape.p99Ms, m.proxy.p99Ms),
      ...(m.base === undefined
        ? {}
        : {
            // Paired: the ratio within each round, then the median of those, so that a round the machine was busier
            // in weighs on both sides alike.
            rpsVsBaseline: median(bySetup.hooktape.map((r, i) => ratio(r.rps, bySetup.base[i].rps))),
            p99VsBaseline: median(bySetup.hooktape.map((r, i) => ratio(r.p99Ms, bySetup.base[i].p99Ms))),
          }),
      // The goals: at least 0.7x the plain proxy's throughput, a p99 at most 2x the proxy's.
      goalMet: m.hooktape.rps >= 0.7 * m.proxy.rps && m.hooktape.p99Ms <= 2 * m.proxy.p99Ms,
    };
  }
  return { medians, ratios };
}

function summarizeSameLoad(sameLoad) {
  const of = (runs) => ({
    captureThreadCpuUsPerRequest: median(runs.map((r) => r.captureThreadCpuUsPerRequest ?? NaN)),
    processCpuUsPerRequest: median(runs.map((r) => r.processCpuUsPerRequest ?? NaN)),
    rps: median(runs.map((r) => r.rps)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  });
  const proxy = of(sameLoad.proxy);
  const hooktape = of(sameLoad.hooktape);
  return {
    rate: sameLoad.rate,
    ...Object.fromEntries(Object.entries(sameLoad).flatMap(([setup, runs]) => (Array.isArray(runs) ? [[setup, of(runs)]] : []))),
    p99HooktapeVsProxy: ratio(hooktape.p99Ms, proxy.p99Ms),
  };
}

function printHuman(report) {
  const rows = [["generator / setup", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors", "x proxy", "x direct"]];
  for (const [generator, bySetup] of Object.entries(report.medians)) {
    for (const setup of SETUPS) {
      const m = bySetup[setup];
      rows.push([
        `${generator} ${setup}`,
        fixed(m.rps),
        fixed(m.p50Ms, 2),
        fixed(m.p99Ms, 2),
        m.non2xx,
        m.errors,
        fixed(ratio(m.rps, bySetup.proxy.rps), 2),
        fixed(ratio(m.rps, bySetup.direct.rps), 2),
      ]);
    }
  }
  const c = report.config;
  console.log(
    `\ncapture + forward, medians of ${c.rounds} rounds x ${c.durationSec} s, ${c.connections} connections, ` +
      `${c.bodyBytes} B JSON signed (${c.signature}), ${c.cpus} CPUs, Node ${c.node}\n`,
  );
  console.log(formatTable(rows));
  console.log("");
  for (const [generator, r] of Object.entries(report.ratios)) {
    console.log(
      `${generator}: hooktape/proxy ${fixed(r.rpsHooktapeVsProxy, 2)}x req/s, hooktape/direct ${fixed(r.rpsHooktapeVsDirect, 2)}x, ` +
        `p99 hooktape/proxy ${fixed(r.p99HooktapeVsProxy, 2)}x -> goal (>= 0.7x req/s, p99 <= 2x) ${r.goalMet ? "MET" : "NOT met"}` +
        (r.rpsVsBaseline === undefined
          ? ""
          : `\n${generator}: this build / baseline, median of per-round ratios: ${fixed(r.rpsVsBaseline, 3)}x req/s, p99 ${fixed(r.p99VsBaseline, 2)}x`),
    );
  }
  const same = report.sameLoad;
  if (same !== null) {
    const cpu = (setup) => `${fixed(same[setup].captureThreadCpuUsPerRequest)} µs capture thread, ${fixed(same[setup].processCpuUsPerRequest)} µs process`;
    console.log(
      `\nsame offered load, ${same.rate} req/s (autocannon -R), medians of ${c.rounds} rounds: ` +
        `proxy p50 ${fixed(same.proxy.p50Ms, 2)} ms p99 ${fixed(same.proxy.p99Ms, 2)} ms; ` +
        `hooktape p50 ${fixed(same.hooktape.p50Ms, 2)} ms p99 ${fixed(same.hooktape.p99Ms, 2)} ms ` +
        `(${fixed(same.hooktape.rps)} req/s served, ${fixed(same.p99HooktapeVsProxy, 2)}x the proxy's p99); CPU per request: ${cpu("hooktape")}` +
        (same.base === undefined ? "" : `; baseline ${cpu("base")}`),
    );
  }
  for (const [setup, d] of Object.entries(report.database)) {
    console.log(
      `database (${setup}): ${d.events} events (${d.valid} with a valid signature), ${d.deliveries} deliveries, ${d.bytesPerEvent} bytes per event; answered ` +
        `${d.answered} -> ${d.everyAnsweredRequestRecorded ? "every answered request is recorded" : `MISSING ${d.answered - d.events}`}`,
    );
  }
  console.log(`hooktape exit on SIGTERM: ${JSON.stringify(report.hooktapeExit)}; warnings printed: ${report.hooktapeWarnings}; run took ${report.elapsedSec} s`);
  for (const [setup, profile] of Object.entries(report.profile ?? {})) {
    if (profile) console.log(`\n${setup}, capture thread: ` + formatCpuSummary(profile));
  }
}

main().catch((error) => {
  process.stderr.write(`capture bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
