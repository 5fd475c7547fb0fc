// Capture while another connection holds the store's write lock: a separate process takes
// `BEGIN IMMEDIATE` on hooktape's file for 5 s (as a second hooktape running `events prune`, or a user's sqlite3
// shell, would) while senders keep posting signed 2 KB bodies; hooktape commits on the capture thread (group commit).
//
//   node bench/locked-store.bench.mjs [--rounds 2] [--lock 5] [--timeout 1000] [--connections 16] [--json]
//
// What it reports, per writer (medians over rounds, and the worst round for the counts):
//   - unaffected requests: requests that need no commit — a probe every 20 ms that the capture thread answers
//     without the store (a request with two Host headers, refused 400 before anything is recorded). Its latency
//     says whether the capture thread's event loop stays free during the lock (forwarding, signals, the tunnel
//     and the inspector run on that same loop). Max and p99 before the lock and while it is held.
//   - POSTs during the lock: how many were answered 503 (+ Retry-After) and the slowest answer (≈ --timeout).
//   - lost: requests answered with anything but 503 whose event is not in the file afterwards. Must be 0.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { setTimeout as delay } from "node:timers/promises";
import Database from "better-sqlite3";
import { makeBody, signBody } from "./lib/payload.mjs";
import { spawnService, spawnToFile, stopProcess } from "./lib/processes.mjs";
import { fixed, formatTable, median } from "./lib/stats.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The setups measured (one: the capture thread's group commit). */
const WRITERS = ["inline"];

const { values: flags } = parseArgs({
  options: {
    rounds: { type: "string", default: "2" },
    lock: { type: "string", default: "5" },
    timeout: { type: "string", default: "1000" },
    connections: { type: "string", default: "16" },
    json: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
  },
  strict: false,
});
const rounds = flags.quick ? 1 : Number(flags.rounds);
const lockMs = Number(flags.lock) * 1000;
const timeoutMs = Number(flags.timeout);
const connections = Number(flags.connections);
const log = (text) => process.stderr.write(text + "\n");

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hooktape-locked-bench-"));
  const handler = await spawnService(path.join(root, "bench/lib/handler-server.mjs"));
  const body = makeBody();
  const signature = signBody(body, "hmac");
  const results = Object.fromEntries(WRITERS.map((writer) => [writer, []]));
  try {
    log(
      `locked-store bench: ${rounds} round(s) per writer, lock held ${lockMs / 1000} s, --timeout ${timeoutMs} ms, ` +
        `${connections} sending connections, ${os.cpus().length} CPUs, load ${os.loadavg().map((n) => n.toFixed(2)).join(" ")}`,
    );
    for (let round = 1; round <= rounds; round++) {
      for (const writer of WRITERS) {
        const result = await runOnce({ dir: path.join(dir, `${writer}-${round}`), writer, handlerPort: handler.ready.port, body, signature });
        results[writer].push(result);
        log(
          `  round ${round}  ${writer.padEnd(6)} probe max before ${fixed(result.probe.before.maxMs, 1)} ms, during the lock ` +
            `${fixed(result.probe.during.maxMs, 1)} ms (${result.probe.during.count} probes); POSTs during the lock: ` +
            `${result.posts.duringLock} sent, ${result.posts.status503} answered 503, slowest ${fixed(result.posts.maxDuringLockMs)} ms; ` +
            `lost ${result.lost}`,
        );
      }
    }
  } finally {
    await stopProcess(handler.child, { graceMs: 5_000 });
    rmSync(dir, { recursive: true, force: true });
  }

  const summary = Object.fromEntries(
    WRITERS.map((writer) => {
      const runs = results[writer];
      return [
        writer,
        {
          probeMaxBeforeMs: median(runs.map((r) => r.probe.before.maxMs)),
          probeP99BeforeMs: median(runs.map((r) => r.probe.before.p99Ms)),
          probeMaxDuringLockMs: median(runs.map((r) => r.probe.during.maxMs)),
          probeP99DuringLockMs: median(runs.map((r) => r.probe.during.p99Ms)),
          postsDuringLock: median(runs.map((r) => r.posts.duringLock)),
          answered503: median(runs.map((r) => r.posts.status503)),
          slowest503Ms: median(runs.map((r) => r.posts.maxDuringLockMs)),
          answered2xx: median(runs.map((r) => r.posts.status2xx)),
          otherStatus: Math.max(...runs.map((r) => r.posts.other)),
          lost: Math.max(...runs.map((r) => r.lost)),
          answered503ButRecorded: Math.max(...runs.map((r) => r.recorded503)),
        },
      ];
    }),
  );
  const report = { bench: "locked-store", config: { rounds, lockMs, timeoutMs, connections, cpus: os.cpus().length, node: process.version }, summary, rounds: results };
  if (flags.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  else printHuman(report);
  if (WRITERS.some((writer) => summary[writer].lost > 0)) process.exitCode = 1;
}

/** One hooktape, one lock: 2 s of capture, the lock for `lockMs`, 2 s after. */
async function runOnce({ dir, writer, handlerPort, body, signature }) {
  mkdirSync(dir, { recursive: true });
  const db = path.join(dir, "locked.db");
  const hooktape = await spawnToFile(
    process.execPath,
    [path.join(root, "bin/hooktape.js"), "listen", String(handlerPort), "--no-tunnel", "--port", "0", "--db", db, "--timeout", String(timeoutMs), ...signature.listenFlags, "--json"],
    {
      stdoutFile: path.join(dir, "hooktape.out"),
      stderrFile: path.join(dir, "hooktape.err"),
      env: { ...process.env, NO_COLOR: "1", CI: "1" },
      isReady: (line) => (line.startsWith("{") && JSON.parse(line).type === "ready" ? JSON.parse(line) : null),
    },
  );
  const url = new URL(hooktape.ready.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const sent = [];
  const probes = [];
  let lockedAt = Infinity;
  let releasedAt = Infinity;
  let running = true;

  const senders = Array.from({ length: connections }, async (_, c) => {
    for (let n = 0; running; n++) {
      const id = `${c}-${n}`;
      const startedAt = performance.now();
      const status = await post(agent, url, `/locked/${id}`, body, signature).catch(() => 0);
      sent.push({ id, startedAt, endedAt: performance.now(), status });
      // A few hundred requests a second: a steady stream, not saturation (the capture bench measures that).
      await delay(20);
    }
  });
  const prober = (async () => {
    while (running) {
      const startedAt = performance.now();
      await probe(url).catch(() => undefined);
      probes.push({ startedAt, endedAt: performance.now() });
      await delay(20);
    }
  })();

  await delay(2_000);
  const locker = await holdWriteLock(db);
  lockedAt = performance.now();
  await delay(lockMs);
  await locker.release();
  releasedAt = performance.now();
  await delay(2_000);
  running = false;
  await Promise.all([...senders, prober]);
  agent.destroy();
  await stopProcess(hooktape.child, { signal: "SIGTERM" });

  const reader = new Database(db, { readonly: true, fileMustExist: true });
  const recordedUrls = new Set(reader.prepare("SELECT url FROM events").pluck().all());
  reader.close();
  const answered = sent.filter((r) => r.status !== 0);
  const lost = answered.filter((r) => r.status !== 503 && !recordedUrls.has(`/locked/${r.id}`)).length;
  const recorded503 = answered.filter((r) => r.status === 503 && recordedUrls.has(`/locked/${r.id}`)).length;
  const duringLock = sent.filter((r) => r.startedAt >= lockedAt && r.endedAt <= releasedAt);
  const latencies = (list) => list.map((r) => r.endedAt - r.startedAt).sort((a, b) => a - b);
  const stats = (list) => {
    const sorted = latencies(list);
    return { count: sorted.length, maxMs: sorted.at(-1) ?? NaN, p99Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? NaN };
  };
  return {
    probe: {
      before: stats(probes.filter((p) => p.endedAt < lockedAt)),
      during: stats(probes.filter((p) => p.startedAt >= lockedAt && p.endedAt <= releasedAt)),
    },
    posts: {
      total: sent.length,
      duringLock: duringLock.length,
      status503: answered.filter((r) => r.status === 503).length,
      status2xx: answered.filter((r) => r.status >= 200 && r.status < 300).length,
      other: answered.filter((r) => r.status !== 503 && (r.status < 200 || r.status >= 300)).length + (sent.length - answered.length),
      maxDuringLockMs: latencies(duringLock).at(-1) ?? NaN,
    },
    lost,
    recorded503,
  };
}

function post(agent, url, pathname, body, signature) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: pathname, method: "POST", agent, headers: { "content-type": "application/json", [signature.name]: signature.value } },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** A request the capture server refuses (400) before anything is recorded: two Host headers. */
function probe(url) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(`GET /probe HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n`);
    });
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => (text += chunk));
    socket.on("end", () => (text.startsWith("HTTP/1.1 400") ? resolve() : reject(new Error(`probe: ${text.slice(0, 40)}`))));
    socket.on("error", reject);
  });
}

/** Another process takes the write lock on `db` and holds it until told to commit. */
async function holdWriteLock(db) {
  const script = `
    const Database = require(${JSON.stringify(path.join(root, "node_modules/better-sqlite3"))});
    const db = new Database(${JSON.stringify(db)});
    db.exec("BEGIN IMMEDIATE");
    process.stdout.write("locked\\n");
    process.stdin.once("data", () => { db.exec("COMMIT"); db.close(); process.stdout.write("released\\n"); process.exit(0); });`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise((resolve) => lines.once("line", resolve));
  await next();
  return {
    async release() {
      const released = next();
      child.stdin.write("go\n");
      await released;
    },
  };
}

function printHuman(report) {
  const c = report.config;
  const rows = [["writer", "probe max before", "probe max in lock", "probe p99 in lock", "POSTs in lock", "503s", "slowest 503 ms", "2xx", "lost"]];
  for (const [writer, s] of Object.entries(report.summary)) {
    rows.push([writer, fixed(s.probeMaxBeforeMs, 1), fixed(s.probeMaxDuringLockMs, 1), fixed(s.probeP99DuringLockMs, 1), s.postsDuringLock, s.answered503, fixed(s.slowest503Ms), s.answered2xx, s.lost]);
  }
  console.log(
    `\ncapture while another process holds the write lock for ${c.lockMs / 1000} s (--timeout ${c.timeoutMs} ms, ${c.connections} senders), ` +
      `medians of ${c.rounds} round(s); probe = a request answered without the store (ms)\n`,
  );
  console.log(formatTable(rows));
  for (const [writer, s] of Object.entries(report.summary)) {
    console.log(`${writer}: lost ${s.lost} (must be 0); answered 503 but recorded anyway ${s.answered503ButRecorded}; other answers ${s.otherStatus}`);
  }
}

main().catch((error) => {
  process.stderr.write(`locked-store bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
