// The inspector benchmark, on a store of 100,000 recorded events (2 KB Stripe-like
// bodies, each with a forward attempt, written through the built store's group-commit path as `listen` writes):
//   bundle      - the page's JavaScript and CSS, minified and gzipped;
//   api         - GET /api/events latency (first page, a deep page by cursor, filtered, text search), sequential,
//                 keep-alive, against `hooktape ui` (the built CLI);
//   first paint - in Chromium (when /usr/bin/chromium exists): from navigation (the printed URL, its token in the
//                 fragment) to the page's "hooktape:list-rendered" mark (set once the first rows are painted), a
//                 fresh browser context each round;
//   start-up    - `listen --no-tunnel` to its ready line vs `listen --no-tunnel --ui` to its inspector line,
//                 interleaved rounds, medians;
//   capture     - `listen --no-tunnel` (capture only) under autocannon, 32 connections, 2 KB signed bodies, vs
//                 `listen --no-tunnel --ui` with a page's event stream open and receiving every event; interleaved.
//
//   node bench/inspector.bench.mjs [--quick] [--json] [--events 100000] [--rounds 5]
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { prepareLoad } from "./lib/load.mjs";
import { makeBody, signBody } from "./lib/payload.mjs";
import { fixed, formatTable, median } from "./lib/stats.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(root, "bin", "hooktape.js");
const CHROMIUM = process.env.HOOKTAPE_CHROMIUM ?? "/usr/bin/chromium";

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    events: { type: "string" },
    rounds: { type: "string" },
  },
  strict: false,
});
const eventCount = Number(flags.events ?? (flags.quick ? "20000" : "100000"));
const rounds = Number(flags.rounds ?? (flags.quick ? "3" : "5"));
const log = (text) => process.stderr.write(text + "\n");

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function fillStore(file) {
  const { EventStore } = await import(path.join(root, "dist", "store", "index.js"));
  const { newEventId } = await import(path.join(root, "dist", "core", "ids.js"));
  const store = new EventStore(file);
  const template = makeBody();
  const start = Date.now() - eventCount * 10;
  const batch = 5000;
  for (let from = 0; from < eventCount; from += batch) {
    const writes = [];
    const attempts = [];
    for (let i = from; i < Math.min(eventCount, from + batch); i++) {
      const body = Buffer.from(template.replace("evt_1BenchmarkHooktape000001", `evt_1BenchmarkHooktape${String(i).padStart(6, "0")}`));
      const signature = signBody(body.toString(), "stripe");
      const id = newEventId(start + i * 10);
      writes.push(
        store.recordEvent({
          id,
          method: "POST",
          url: i % 7 === 0 ? "/webhooks/github" : "/webhooks/stripe",
          headers: [["Content-Type", "application/json; charset=utf-8"], ["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"], [signature.name, signature.value]],
          body,
          receivedAt: start + i * 10,
          remoteAddress: "127.0.0.1",
          via: "local",
          provider: "stripe",
          verification: { status: i % 50 === 0 ? "invalid" : "valid", reason: i % 50 === 0 ? "no_matching_signature" : null },
          rejected: null,
          bodySize: body.length,
          bodySha256: createHash("sha256").update(body).digest("hex"),
          publicUrl: null,
          target: "http://127.0.0.1:3000/webhooks",
        }),
      );
      attempts.push({
        eventId: id, kind: "forward", deliveryId: `dlv_${i}`, attempt: 1, target: "http://127.0.0.1:3000/webhooks/stripe", method: "POST",
        status: i % 40 === 0 ? 500 : 200, error: null, durationMs: 3 + (i % 17), startedAt: start + i * 10 + 1,
        responseHeaders: [["content-type", "application/json"]], responseBody: Buffer.from('{"ok":true}'), responseSize: 11,
      });
    }
    await Promise.all(writes);
    store.insertAttempts(attempts);
  }
  store.close();
}

/** The token of a printed inspector URL: in its fragment (`/#t=<token>`). */
function tokenOf(url) {
  return /^#t=(.+)$/.exec(new URL(url).hash)?.[1] ?? "";
}

function startUi(db) {
  const child = spawn(process.execPath, [BIN, "--json", "ui", "--db", db, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("hooktape ui did not start")), 30_000);
    createInterface({ input: child.stdout }).on("line", (line) => {
      const record = JSON.parse(line);
      if (record.type === "inspector") {
        clearTimeout(timer);
        resolve({ child, url: record.url });
      }
    });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function get(url, token) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
        response.on("data", () => {});
        response.on("end", () => resolve({ ms: performance.now() - started, status: response.statusCode }));
      })
      .on("error", reject);
  });
}

async function apiLatency(origin, token, route, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const { ms, status } = await get(`${origin}${route}`, token);
    if (status !== 200) throw new Error(`${route}: HTTP ${status}`);
    times.push(ms);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Start-up to the line that says the process is serving: `ready` without --ui, `inspector` with it. */
function startupMs(db, withUi) {
  const args = [BIN, "--json", "listen", "--no-tunnel", "--db", db, ...(withUi ? ["--ui", "--ui-port", "0"] : [])];
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("listen did not start")), 30_000);
    createInterface({ input: child.stdout }).on("line", (line) => {
      const record = JSON.parse(line);
      if (record.type === (withUi ? "inspector" : "ready")) {
        const ms = performance.now() - started;
        clearTimeout(timer);
        child.once("exit", () => resolve(ms));
        child.kill("SIGTERM");
      }
    });
  });
}

/** Capture throughput of `listen`, alone or with --ui and an open event stream (what a browser tab holds). */
async function captureRps(run, withStream, durationSec) {
  const db = path.join(dir, `capture-${withStream ? "ui" : "plain"}-${Date.now()}.db`);
  const args = [BIN, "--json", "listen", "--no-tunnel", "--db", db, ...(withStream ? ["--ui", "--ui-port", "0"] : [])];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
  const lines = createInterface({ input: child.stdout });
  const { captureUrl, inspectorUrl } = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("listen did not start")), 30_000);
    let captureUrl = null;
    lines.on("line", (line) => {
      if (!line.startsWith("{")) return;
      const record = JSON.parse(line);
      if (record.type === "ready") captureUrl = record.url;
      if ((record.type === "ready" && !withStream) || record.type === "inspector") {
        clearTimeout(timer);
        resolve({ captureUrl, inspectorUrl: record.type === "inspector" ? record.url : null });
      }
    });
  });
  let streamed = 0;
  let stream = null;
  if (inspectorUrl) {
    const { origin } = new URL(inspectorUrl);
    stream = http.get(`${origin}/api/stream`, { headers: { authorization: `Bearer ${tokenOf(inspectorUrl)}` } }, (response) => {
      response.setEncoding("utf8");
      let pending = "";
      response.on("data", (chunk) => {
        // Whole messages only: a chunk may end inside one.
        const messages = (pending + chunk).split("\n\n");
        pending = messages.pop() ?? "";
        streamed += messages.filter((message) => message.includes("\nevent: event\n")).length;
      });
    });
    stream.on("error", () => {});
  }
  try {
    const result = await run("autocannon", `${captureUrl}/webhooks/stripe`, { connections: 32, durationSec });
    return { rps: result.rps, p99Ms: result.p99Ms, streamed };
  } finally {
    stream?.destroy();
    await new Promise((resolve) => {
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), "hooktape-bench-inspector-"));
const results = {};
try {
  const page = path.join(root, "dist", "inspector", "page");
  const js = readFileSync(path.join(page, "app.js"));
  const css = readFileSync(path.join(page, "app.css"));
  results.bundle = { jsBytes: js.length, jsGzipBytes: gzipSync(js, { level: 9 }).length, cssGzipBytes: gzipSync(css, { level: 9 }).length };

  const db = path.join(dir, "store.db");
  log(`filling a store with ${eventCount} events…`);
  const fillStart = performance.now();
  await fillStore(db);
  log(`  ${fixed((performance.now() - fillStart) / 1000, 1)} s`);

  const ui = await startUi(db);
  const { origin } = new URL(ui.url);
  const token = tokenOf(ui.url);
  try {
    await apiLatency(origin, token, "/api/events", 20);
    const first = await apiLatency(origin, token, "/api/events", 200);
    // A deep page: the cursor of the event 50,000 rows down (half the store).
    let cursor = null;
    const deepRow = Math.floor(eventCount / 2);
    {
      const { EventStore } = await import(path.join(root, "dist", "store", "index.js"));
      const store = new EventStore(db, { readonly: true });
      const page = store.listEventsPage({ limit: deepRow });
      cursor = `${page.next.receivedAt}.${page.next.seq}`;
      store.close();
    }
    const deep = await apiLatency(origin, token, `/api/events?cursor=${cursor}`, 100);
    const filtered = await apiLatency(origin, token, "/api/events?path=%2Fwebhooks%2Fgithub&status=5xx", 50);
    const search = await apiLatency(origin, token, "/api/events?q=evt_1BenchmarkHooktape000123", 10);
    const searchMany = await apiLatency(origin, token, "/api/events?q=BenchmarkHooktape", 50);
    results.api = { firstPage: first, deepPage: deep, filtered, searchRare: search, searchCommon: searchMany };

    if (existsSync(CHROMIUM)) {
      const { chromium } = await import("playwright-core");
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      });
      const paints = [];
      for (let i = 0; i < rounds + 1; i++) {
        const context = await browser.newContext();
        const tab = await context.newPage();
        await tab.goto(ui.url, { waitUntil: "commit" });
        await tab.waitForSelector("tbody tr.row");
        // The page marks the moment its first rows are painted; time 0 is the navigation to the printed URL.
        const ms = await tab.evaluate(() => performance.getEntriesByName("hooktape:list-rendered")[0]?.startTime ?? NaN);
        const rows = await tab.locator("tbody tr.row").count();
        if (i > 0) paints.push(ms); // the first round warms the server's page cache and the browser
        if (rows === 0) throw new Error("no rows rendered");
        await context.close();
      }
      await browser.close();
      results.firstPaintMs = { median: median(paints), all: paints.map((v) => Math.round(v)) };
    } else {
      log(`no Chromium at ${CHROMIUM}: first paint not measured`);
    }
  } finally {
    ui.child.kill("SIGTERM");
    agent.destroy();
  }

  const plain = [];
  const withUi = [];
  const startDb = path.join(dir, "startup.db");
  await startupMs(startDb, false);
  for (let i = 0; i < rounds * 2; i++) {
    plain.push(await startupMs(startDb, false));
    withUi.push(await startupMs(startDb, true));
  }
  results.startup = { listenMs: median(plain), listenUiMs: median(withUi), deltaMs: median(withUi) - median(plain) };

  const body = makeBody();
  const signature = signBody(body, "stripe");
  const run = prepareLoad({ dir, body, headers: { "content-type": "application/json; charset=utf-8", [signature.name]: signature.value } });
  const alone = [];
  const streaming = [];
  let streamedEvents = 0;
  const durationSec = flags.quick ? 3 : 5;
  for (let i = 0; i < Math.max(2, Math.ceil(rounds / 2)); i++) {
    alone.push((await captureRps(run, false, durationSec)).rps);
    const measured = await captureRps(run, true, durationSec);
    streaming.push(measured.rps);
    streamedEvents += measured.streamed;
  }
  results.capture = { aloneRps: median(alone), withStreamRps: median(streaming), ratio: median(streaming) / median(alone), streamedEvents };
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (flags.json) {
  process.stdout.write(JSON.stringify({ events: eventCount, ...results }, null, 2) + "\n");
} else {
  const ms = (v) => `${fixed(v, 1)} ms`;
  const rows = [
    ["measure", "value"],
    ["page JS, gzipped", `${fixed(results.bundle.jsGzipBytes / 1024, 1)} KB (${fixed(results.bundle.jsBytes / 1024, 1)} KB minified)`],
    ["page CSS, gzipped", `${fixed(results.bundle.cssGzipBytes / 1024, 1)} KB`],
    [`GET /api/events p50 / p99 (${eventCount} events)`, `${ms(results.api.firstPage.p50)} / ${ms(results.api.firstPage.p99)}`],
    ["  a page halfway down, by cursor", `${ms(results.api.deepPage.p50)} / ${ms(results.api.deepPage.p99)}`],
    ["  path + status filters", `${ms(results.api.filtered.p50)} / ${ms(results.api.filtered.p99)}`],
    ["  q= matching one event (full scan)", `${ms(results.api.searchRare.p50)} / ${ms(results.api.searchRare.p99)}`],
    ["  q= matching every event", `${ms(results.api.searchCommon.p50)} / ${ms(results.api.searchCommon.p99)}`],
    ["first paint in Chromium, median", results.firstPaintMs ? ms(results.firstPaintMs.median) : "n/a (no Chromium)"],
    ["capture req/s: listen / listen --ui with a stream open", `${fixed(results.capture.aloneRps)} / ${fixed(results.capture.withStreamRps)} (${fixed(results.capture.ratio * 100)}%; ${results.capture.streamedEvents} events streamed)`],
    ["listen start-up / listen --ui start-up", `${ms(results.startup.listenMs)} / ${ms(results.startup.listenUiMs)} (+${ms(results.startup.deltaMs)})`],
  ];
  process.stdout.write(formatTable(rows) + "\n");
}
