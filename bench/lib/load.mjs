// The load generators, each run as its own process: autocannon (npm, always) and wrk (Debian, when on PATH).
// Both return the same shape: { rps, p50Ms, p99Ms, completed, non2xx, errors }.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { runToEnd } from "./processes.mjs";

const require = createRequire(import.meta.url);
const AUTOCANNON_CLI = path.join(path.dirname(require.resolve("autocannon/package.json")), "autocannon.js");

export function wrkAvailable() {
  const probe = spawnSync("wrk", ["--version"], { stdio: "ignore" });
  return probe.error === undefined;
}

/**
 * Writes the files the generators read (the body, wrk's Lua script) into `dir` once, and returns a function
 * `run(generator, url, { connections, durationSec })`.
 */
export function prepareLoad({ dir, body, headers }) {
  const bodyFile = path.join(dir, "body.json");
  writeFileSync(bodyFile, body);
  const luaFile = path.join(dir, "post.lua");
  const lua = [
    'wrk.method = "POST"',
    `local f = assert(io.open(${JSON.stringify(bodyFile)}, "rb"))`,
    "wrk.body = f:read(\"*a\")",
    "f:close()",
    ...Object.entries(headers).map(([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`),
    "",
  ].join("\n");
  writeFileSync(luaFile, lua);

  return async function run(generator, url, { connections, durationSec, rate }) {
    if (generator === "autocannon") return runAutocannon(url, { bodyFile, headers, connections, durationSec, rate });
    if (generator === "wrk") return runWrk(url, { luaFile, connections, durationSec });
    throw new Error(`unknown load generator ${generator}`);
  };
}

/** `rate`: a fixed offered load in requests per second over all connections (autocannon's overallRate). */
async function runAutocannon(url, { bodyFile, headers, connections, durationSec, rate }) {
  const args = [AUTOCANNON_CLI, "-c", String(connections), "-d", String(durationSec), "-m", "POST", "-i", bodyFile, "-n", "-j"];
  if (rate) args.push("-R", String(rate));
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}=${value}`);
  args.push(url);
  const { code, stdout, stderr } = await runToEnd(process.execPath, args, { timeoutMs: (durationSec + 30) * 1000 });
  if (code !== 0) throw new Error(`autocannon failed (${code}): ${stderr.slice(-2000)}`);
  const result = JSON.parse(stdout);
  // The --json report has no totalCompletedRequests; requests.total is the same count (responses received).
  const completed = result.requests.total;
  return {
    rps: completed / result.duration,
    // autocannon records latencies in whole milliseconds: p50 of a fast path reads 0 or 1. wrk is finer.
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    completed,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function runWrk(url, { luaFile, connections, durationSec }) {
  // One thread: wrk is light enough, and on 2 cores every cycle it takes is one the proxies do not get.
  const args = ["-t", "1", "-c", String(connections), "-d", `${durationSec}s`, "--timeout", "10s", "--latency", "-s", luaFile, url];
  const { code, stdout, stderr } = await runToEnd("wrk", args, { timeoutMs: (durationSec + 30) * 1000 });
  if (code !== 0) throw new Error(`wrk failed (${code}): ${stderr.slice(-2000)}`);
  return parseWrk(stdout);
}

/** Parses wrk's text report (wrk has no JSON output without a Lua `done` hook). */
export function parseWrk(text) {
  const percentile = (p) => {
    const match = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(text);
    if (!match) return NaN;
    const value = Number(match[1]);
    return match[2] === "us" ? value / 1000 : match[2] === "s" ? value * 1000 : value;
  };
  const completed = Number(/(\d+) requests in/.exec(text)?.[1] ?? NaN);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return { rps, p50Ms: percentile(50), p99Ms: percentile(99), completed, non2xx, errors };
}
