// Start-up: how long the CLI takes from process start to exit, against `node -e 0` on the same machine in the
// same run (interleaved rounds, medians): `--version`, `--help`, `events list --json --limit 1` on a store of
// 100,000 events (written through the store's real insert path), `events list` as the table a person reads,
// `replay --last` of one of them to a handler in its own process, and `listen` from process start to its ready line,
// then SIGTERM to exit (no tunnel, a store of its own). `--rounds <n>` (default 15), `--json`,
// `--baseline <dir>`: another build of hooktape (e.g. main's) timed in the same rounds, for an A/B.
// `--cpu`: also each process's own CPU time (user + system, read by an `--import` hook at exit, in every row, node -e 0
// included): on a shared machine the wall clock measures the neighbours, the CPU time what the process did.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { spawnService, stopProcess } from "./lib/processes.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "bin", "hooktape.js");
const args = process.argv.slice(2);
const json = args.includes("--json");
const roundsAt = args.indexOf("--rounds");
const ROUNDS = roundsAt === -1 ? 15 : Number(args[roundsAt + 1]);
const baselineAt = args.indexOf("--baseline");
const baselineCli = baselineAt === -1 ? null : path.join(path.resolve(args[baselineAt + 1]), "bin", "hooktape.js");
const EVENTS = 100_000;
const CPU = args.includes("--cpu");
// Every process starts without the machine's extra CA bundle (NODE_EXTRA_CA_CERTS): Node reads and parses it at start,
// ~45 ms here, the same for every row, which would make each ratio to `node -e 0` look better than on a machine
// without it. Nothing here talks TLS.
const childEnv = { ...process.env, NO_COLOR: "1" };
delete childEnv.NODE_EXTRA_CA_CERTS;
const CPU_HOOK = `data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\nbench-cpu-us "+(u.user+u.system)+"\\n")})`;

const { EventStore } = await import(path.join(root, "dist", "store", "index.js"));
const { newEventId } = await import(path.join(root, "dist", "core", "ids.js"));

const dir = mkdtempSync(path.join(tmpdir(), "hooktape-startup-"));
const db = path.join(dir, "store.db");
const store = new EventStore(db);
const body = Buffer.from(JSON.stringify({ id: "evt_bench", object: "event", data: { object: { amount: 2000 } } }, null, 2));
const sha = createHash("sha256").update(body).digest("hex");
const started = Date.now() - EVENTS * 1000;
const batch = [];
for (let i = 0; i < EVENTS; i++) {
  const receivedAt = started + i * 1000;
  batch.push({
    id: newEventId(receivedAt),
    receivedAt,
    method: "POST",
    url: `/webhooks/stripe`,
    headers: [["content-type", "application/json"]],
    body,
    bodySize: body.length,
    bodySha256: sha,
    remoteAddress: "127.0.0.1",
    via: "local",
    publicUrl: null,
    provider: i % 2 === 0 ? "stripe" : "github",
    verification: { status: "valid", reason: null },
    rejected: null,
    target: null,
  });
  if (batch.length === 1000) await Promise.all(batch.splice(0).map((event) => store.recordEvent(event)));
}
store.close();

const listenDb = path.join(dir, "listen.db");
const handler = await spawnService(path.join(root, "bench/lib/handler-server.mjs"));
const handlerUrl = `http://127.0.0.1:${handler.ready.port}`;
const commandsOf = (bin, prefix) => [
  { name: `${prefix}--version`, argv: [bin, "--version"] },
  { name: `${prefix}--help`, argv: [bin, "--help"] },
  { name: `${prefix}events list --json --limit 1 (100k events)`, argv: [bin, "events", "list", "--json", "--limit", "1", "--db", db] },
  { name: `${prefix}events list --limit 20 (table)`, argv: [bin, "events", "list", "--limit", "20", "--db", db] },
  { name: `${prefix}replay --last --json (one event)`, argv: [bin, "--json", "replay", "--last", "--to", handlerUrl, "--db", db] },
  { name: `${prefix}listen: ready, then SIGTERM`, argv: [bin, "--json", "listen", "--no-tunnel", "--port", "0", "--db", listenDb], untilReady: true },
];
const commands = [
  { name: "node -e 0", argv: ["-e", "0"] },
  ...commandsOf(cli, "hooktape "),
  ...(baselineCli === null ? [] : commandsOf(baselineCli, "baseline ")),
];

/** A long-running command: started, stopped with SIGTERM once it prints its ready line; resolves with its exit. */
function runUntilReady(argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"], env: childEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (stdout.includes('"type":"ready"') && child.signalCode === null && !child.killed) child.kill("SIGTERM");
    });
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stderr }));
  });
}
const samples = new Map(commands.map((c) => [c.name, []]));
const cpuSamples = new Map(commands.map((c) => [c.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const command of commands) {
    const t0 = process.hrtime.bigint();
    const argv = CPU ? ["--import", CPU_HOOK, ...command.argv] : command.argv;
    const run = command.untilReady
      ? await runUntilReady(argv)
      : spawnSync(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"], env: childEnv });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (run.status !== 0) throw new Error(`${command.name} exited ${run.status}: ${run.stderr}`);
    samples.get(command.name).push(ms);
    if (CPU) cpuSamples.get(command.name).push(Number(/bench-cpu-us (\d+)/.exec(run.stderr.toString())[1]) / 1000);
  }
}
await stopProcess(handler.child);
rmSync(dir, { recursive: true, force: true });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const baseline = median(samples.get("node -e 0"));
const baselineCpu = CPU ? median(cpuSamples.get("node -e 0")) : 0;
const rows = commands.map((c) => ({
  name: c.name,
  medianMs: Math.round(median(samples.get(c.name)) * 10) / 10,
  ratio: Math.round((median(samples.get(c.name)) / baseline) * 100) / 100,
  ...(CPU ? { cpuMs: Math.round(median(cpuSamples.get(c.name)) * 10) / 10, cpuRatio: Math.round((median(cpuSamples.get(c.name)) / baselineCpu) * 100) / 100 } : {}),
}));
const loadAverage = os.loadavg().map((n) => n.toFixed(2)).join(" ");
if (json) process.stdout.write(JSON.stringify({ rounds: ROUNDS, events: EVENTS, node: process.version, loadAverage, rows }) + "\n");
else {
  console.log(`start-up benchmark: ${ROUNDS} interleaved rounds, medians, ${process.version}, load average ${loadAverage}`);
  for (const row of rows) {
    const cpu = CPU ? `   cpu ${String(row.cpuMs).padStart(7)} ms  ${row.cpuRatio.toFixed(2)}×` : "";
    console.log(`  ${row.name.padEnd(46)} ${String(row.medianMs).padStart(7)} ms  ${row.ratio.toFixed(2)}× node -e 0${cpu}`);
  }
}
