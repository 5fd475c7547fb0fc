// The relay, two figures on this machine:
// 1. ingest: req/s and p99 of senders posting to a channel of `hooktape relay serve` (the worker in workerd; each
//    request stored in the channel's Durable Object before the 200) against `hooktape listen --no-tunnel` direct (each
//    request recorded in SQLite and forwarded to a handler before the answer), interleaved rounds of wrk (autocannon
//    without it), 2 KB signed JSON bodies, medians;
// 2. backlog drain: 10,000 events stored in a channel while nobody follows, then `listen --relay` records each one in its
//    store, forwards it to a handler and acknowledges it: events/s from "connected" to "caught up". Goal: >= 2,000/s.
//
//   npm run build && node bench/relay.bench.mjs [--json] [--rounds 3] [--duration 5] [--connections 32] [--events 10000]
//                                               [--profile]  (the follower under `node --cpu-prof`: where the drain's time goes)
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { Pool } from "undici";
import { formatCpuSummary, summarizeCpuProfile } from "./lib/cpu-profile.mjs";
import { prepareLoad, wrkAvailable } from "./lib/load.mjs";
import { makeBody, signBody } from "./lib/payload.mjs";
import { runToEnd, spawnService, spawnToFile, stopProcess } from "./lib/processes.mjs";
import { fixed, formatTable, median, ratio } from "./lib/stats.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "bin/hooktape.js");
const { values: flags } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "32" },
    events: { type: "string", default: "10000" },
  },
  strict: false,
});
const rounds = Number(flags.rounds);
const durationSec = Number(flags.duration);
const connections = Number(flags.connections);
const drainEvents = Number(flags.events);
const log = (text) => process.stderr.write(text + "\n");
const generator = wrkAvailable() ? "wrk" : "autocannon";

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hooktape-relay-bench-"));
  const env = { ...process.env, NO_COLOR: "1", CI: "1", XDG_CONFIG_HOME: path.join(dir, "config"), XDG_CACHE_HOME: path.join(dir, "cache") };
  const body = makeBody();
  const signature = signBody(body, "hmac");
  const run = prepareLoad({ dir, body, headers: { "content-type": "application/json", [signature.name]: signature.value } });
  const children = [];
  try {
    const handler = await spawnService(path.join(root, "bench/lib/handler-server.mjs"));
    children.push(handler.child);
    const handlerPort = handler.ready.port;
    const isReady = (line) => (line.startsWith("{") && JSON.parse(line).type === "ready" ? JSON.parse(line) : null);

    const relay = await spawnToFile(process.execPath, [cli, "--json", "relay", "serve", "--data", path.join(dir, "relay")], {
      stdoutFile: path.join(dir, "relay.out"),
      stderrFile: path.join(dir, "relay.err"),
      env,
      isReady,
      readyTimeoutMs: 30_000,
    });
    children.push(relay.child);
    const channel = async () => {
      const created = await runToEnd(process.execPath, [cli, "--json", "relay", "channel", "create", "--relay", relay.ready.url, "--max-size", "1gb"], { env });
      if (created.code !== 0) throw new Error(`channel create failed: ${created.stderr}`);
      return JSON.parse(created.stdout);
    };
    const ingestChannel = await channel();
    const listen = await spawnToFile(
      process.execPath,
      [cli, "listen", String(handlerPort), "--no-tunnel", "--port", "0", "--db", path.join(dir, "direct.db"), ...signature.listenFlags, "--json"],
      { stdoutFile: path.join(dir, "listen.out"), stderrFile: path.join(dir, "listen.err"), env, isReady },
    );
    children.push(listen.child);

    // 1. Ingest.
    const urls = { "relay (workerd)": `${ingestChannel.url}/webhooks/bench`, "listen --no-tunnel": `${listen.ready.url}/webhooks/bench` };
    const results = Object.fromEntries(Object.keys(urls).map((name) => [name, []]));
    log(`relay bench: ingest, ${rounds} rounds x ${durationSec} s, ${connections} connections, ${generator}, interleaved`);
    for (const url of Object.values(urls)) await run(generator, url, { connections, durationSec: 2 });
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? Object.keys(urls) : Object.keys(urls).reverse();
      for (const setup of order) {
        const result = await run(generator, urls[setup], { connections, durationSec });
        results[setup].push(result);
        log(`  round ${round}  ${setup.padEnd(20)} ${fixed(result.rps).padStart(6)} req/s  p99 ${fixed(result.p99Ms, 2)} ms  non-2xx ${result.non2xx}  errors ${result.errors}`);
      }
    }
    await stopProcess(listen.child);
    const ingest = Object.fromEntries(
      Object.entries(results).map(([setup, list]) => [setup, { rps: median(list.map((r) => r.rps)), p99Ms: median(list.map((r) => r.p99Ms)) }]),
    );

    // 2. Backlog drain.
    const drainChannel = await channel();
    log(`relay bench: storing ${drainEvents} events in a channel nobody follows…`);
    const pool = new Pool(new URL(drainChannel.url).origin, { connections: 16, pipelining: 1 });
    let next = 0;
    const headers = { "content-type": "application/json", [signature.name]: signature.value };
    const path_ = new URL(drainChannel.url).pathname + "/webhooks/drain";
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < drainEvents) {
          next++;
          const response = await pool.request({ method: "POST", path: path_, headers, body });
          await response.body.dump();
          if (response.statusCode !== 200) throw new Error(`the relay answered ${response.statusCode}`);
        }
      }),
    );
    await pool.close();
    const db = path.join(dir, "drain.db");
    log("relay bench: draining into listen --relay…");
    const profileDir = path.join(dir, "cpu-profile");
    const nodeFlags = flags.profile ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
    const follower = spawn(process.execPath, [...nodeFlags, cli, "listen", String(handlerPort), "--db", db, "--relay", drainChannel.url, ...signature.listenFlags, "--json"], {
      env: { ...env, HOOKTAPE_RELAY_TOKEN: drainChannel.token },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(follower);
    const started = performance.now();
    const times = await new Promise((resolve, reject) => {
      let connectedAt = null;
      follower.once("exit", (code) => reject(new Error(`listen --relay exited (${code}) before catching up`)));
      createInterface({ input: follower.stdout }).on("line", (line) => {
        if (!line.includes('"type":"relay"')) return;
        const record = JSON.parse(line);
        if (record.state === "connected") connectedAt = performance.now();
        if (record.state === "caught-up") resolve({ connectedAt, caughtUpAt: performance.now() });
      });
    });
    await stopProcess(follower);
    const recorded = new Database(db, { readonly: true }).prepare("SELECT count(*) AS n, count(DISTINCT id) AS ids FROM events").get();
    const forwarded = new Database(db, { readonly: true }).prepare("SELECT count(*) AS n FROM deliveries WHERE kind = 'forward' AND status = 200").get().n;
    const drainSec = (times.caughtUpAt - times.connectedAt) / 1000;
    const drain = {
      events: drainEvents,
      seconds: drainSec,
      eventsPerSec: drainEvents / drainSec,
      fromStartSec: (times.caughtUpAt - started) / 1000,
      recorded: recorded.n,
      distinctIds: recorded.ids,
      forwarded200: forwarded,
      goal: 2000,
    };

    const report = {
      config: { generator, rounds, durationSec, connections, bodyBytes: body.length, cpus: os.cpus().length, node: process.version, load: os.loadavg() },
      ingest,
      rpsRelayVsListen: ratio(ingest["relay (workerd)"].rps, ingest["listen --no-tunnel"].rps),
      drain,
    };
    if (flags.profile) {
      // The capture thread's profile is thread 0's (the checkpoint thread writes its own).
      const name = readdirSync(profileDir).find((file) => /\.\d+\.0\.\d+\.cpuprofile$/.test(file));
      report.profile = name ? summarizeCpuProfile(path.join(profileDir, name), { top: 25 }) : null;
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      console.log(
        formatTable([
          ["ingest (2 KB signed JSON)", "req/s", "p99 ms"],
          ...Object.entries(ingest).map(([setup, figures]) => [setup, fixed(figures.rps), fixed(figures.p99Ms, 2)]),
        ]),
      );
      console.log(
        `backlog drain: ${drainEvents} events recorded (${recorded.n} rows, ${recorded.ids} ids), forwarded (${forwarded} × 200) and acknowledged in ` +
          `${fixed(drainSec, 2)} s = ${fixed(drain.eventsPerSec)} events/s (goal >= 2,000: ${drain.eventsPerSec >= 2000 ? "met" : "not met"}); ` +
          `${fixed(drain.fromStartSec, 2)} s from starting listen; load average ${report.config.load.map((l) => l.toFixed(2)).join(", ")} (${report.config.cpus} CPUs)`,
      );
      if (report.profile) console.log(`\nlisten --relay while draining: ${formatCpuSummary(report.profile)}`);
    }
  } finally {
    for (const child of children.reverse()) await stopProcess(child, { signal: "SIGTERM", graceMs: 5_000 });
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
