// What a stranger can pin in hooktape's memory with uploads they never finish: N connections each declare a large
// body (5 MB by default), send all of it but the last kilobyte, and hold. The resident memory of `hooktape listen`
// (VmRSS, Linux /proc) is read before and while they hold; meanwhile a small signed delivery must still be answered.
//
//   node bench/held-uploads.bench.mjs [--uploads 100,150] [--size 5mb] [--cli bin/hooktape.js] [--json]
//
// `--cli` runs another build (e.g. a checkout of main) for a before/after comparison. Reports per run: RSS before,
// RSS while held, the growth, how many uploads were refused (503) or left waiting, and the small delivery's status
// and time.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { setTimeout as delay } from "node:timers/promises";
import { formatTable } from "./lib/stats.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: flags } = parseArgs({
  options: {
    uploads: { type: "string", default: "100,150" },
    size: { type: "string", default: "5mb" },
    cli: { type: "string", default: path.join(root, "bin/hooktape.js") },
    json: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
  },
  strict: false,
});
const counts = (flags.quick ? "20" : flags.uploads).split(",").map(Number);
const declared = parseSize(flags.size);
const log = (text) => process.stderr.write(text + "\n");

function parseSize(text) {
  const match = /^(\d+)(kb|mb)?$/i.exec(text);
  if (!match) throw new Error(`--size ${text}: expected e.g. 5mb`);
  return Number(match[1]) * (match[2]?.toLowerCase() === "mb" ? 1024 * 1024 : match[2] ? 1024 : 1);
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

async function startListen(db) {
  const child = spawn(process.execPath, [flags.cli, "--json", "listen", "--no-tunnel", "--db", db], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4096)));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`listen did not start: ${stderr}`)), 20_000);
    lines.on("line", (line) => {
      const record = JSON.parse(line);
      if (record.type === "ready") {
        clearTimeout(timer);
        resolve(record.url);
      }
    });
    child.once("exit", (code) => reject(new Error(`listen exited ${code}: ${stderr}`)));
  });
  return { child, port: Number(new URL(url).port) };
}

/** One held upload: headers declaring `declared` bytes, then all but the last KB. Resolves once sent or answered. */
function holdUpload(port, connections) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    connections.push(socket);
    let answer = "";
    let settled = false;
    const settle = (how) => {
      if (!settled) {
        settled = true;
        resolve({ how, answer });
      }
    };
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      if (/^HTTP\/1\.1 \d{3}/.test(answer)) settle("answered");
    });
    socket.on("error", () => settle("closed"));
    socket.on("close", () => settle("closed"));
    socket.on("connect", async () => {
      socket.write(`POST /upload HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${declared}\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const total = declared - 1024;
      while (sent < total && !settled) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += piece.length;
        if (!socket.write(piece)) await new Promise((r) => socket.once("drain", r));
      }
      settle("holding");
    });
  });
}

function smallDelivery(port) {
  const body = JSON.stringify({ id: "evt_small", object: "event", data: { object: { note: "still answered" } } }, null, 2);
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.request({ host: "127.0.0.1", port, method: "POST", path: "/small", headers: { "content-type": "application/json" }, agent: false, timeout: 10_000 }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode, ms: performance.now() - started }));
    });
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", (error) => resolve({ status: error.message, ms: performance.now() - started }));
    request.end(body);
  });
}

async function run(count) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hooktape-held-uploads-"));
  const { child, port } = await startListen(path.join(dir, "h.db"));
  const connections = [];
  try {
    await smallDelivery(port); // warm: the first request loads what every request needs
    await delay(500);
    const before = rssMiB(child.pid);
    const outcomes = await Promise.all(Array.from({ length: count }, () => holdUpload(port, connections)));
    await delay(1_000);
    const held = rssMiB(child.pid);
    const small = await smallDelivery(port);
    const refused = outcomes.filter((o) => /^HTTP\/1\.1 503 /.test(o.answer)).length;
    const holding = outcomes.filter((o) => o.how === "holding").length;
    return { uploads: count, rssBeforeMiB: before, rssHeldMiB: held, growthMiB: held - before, refused503: refused, holding, small };
  } finally {
    for (const socket of connections) socket.destroy();
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
log(`held-uploads bench: ${flags.cli}, ${(declared / 1024 / 1024).toFixed(1)} MiB declared per upload, ${os.cpus().length} CPUs`);
for (const count of counts) results.push(await run(count));
if (flags.json) {
  process.stdout.write(JSON.stringify({ cli: flags.cli, declaredBytes: declared, results }, null, 2) + "\n");
} else {
  const rows = [["uploads", "RSS before (MiB)", "RSS held (MiB)", "growth (MiB)", "503", "holding", "small delivery"]];
  for (const r of results) {
    rows.push([r.uploads, r.rssBeforeMiB.toFixed(0), r.rssHeldMiB.toFixed(0), r.growthMiB.toFixed(0), r.refused503, r.holding, `${r.small.status} in ${r.small.ms.toFixed(0)} ms`]);
  }
  process.stdout.write(formatTable(rows) + "\n");
}
