// What `PRAGMA secure_delete = ON` (pruned data must not stay readable) costs the store.
// Two files with hooktape's schema, written as the capture does (events with 2 KB bodies, in group commits of 32),
// then pruned; once with secure_delete off, once on, interleaved rounds, medians reported.
//
//   npm run build && node bench/secure-delete.bench.mjs [--json] [--events 4000] [--rounds 5]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { MIGRATIONS } from "../dist/store/schema.js";

const { values: flags } = parseArgs({
  options: { json: { type: "boolean", default: false }, events: { type: "string", default: "4000" }, rounds: { type: "string", default: "5" } },
});
const EVENTS = Number(flags.events);
const ROUNDS = Number(flags.rounds);
const BATCH = 32;
const body = Buffer.from(JSON.stringify({ data: "x".repeat(2000) }).slice(0, 2048));

function run(secureDelete) {
  const dir = mkdtempSync(path.join(tmpdir(), "hooktape-bench-sd-"));
  const db = new Database(path.join(dir, "h.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma(`secure_delete = ${secureDelete ? "ON" : "OFF"}`);
  for (const sql of MIGRATIONS) db.exec(sql);
  const insertEvent = db.prepare(`INSERT INTO events (id, received_at, method, url, path, headers, body_size, body_sha256, via,
    verification_status) VALUES (?, ?, 'POST', '/hook', '/hook', '[["content-type","application/json"]]', ?, '', 'local', 'unverified')`);
  const insertBody = db.prepare(`INSERT INTO event_bodies (event_seq, body) VALUES (?, ?)`);
  const writeBatch = db.transaction((start) => {
    for (let i = start; i < start + BATCH; i++) {
      const { lastInsertRowid } = insertEvent.run(`E${String(i).padStart(25, "0")}`, i, body.length);
      insertBody.run(lastInsertRowid, body);
    }
  });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i += BATCH) writeBatch(i);
  const t1 = process.hrtime.bigint();
  db.prepare(`DELETE FROM events WHERE received_at < ?`).run(EVENTS);
  const t2 = process.hrtime.bigint();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { insertUsPerEvent: Number(t1 - t0) / 1000 / EVENTS, pruneMs: Number(t2 - t1) / 1e6 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const off = [];
const on = [];
for (let round = 0; round < ROUNDS; round++) {
  off.push(run(false));
  on.push(run(true));
}
const result = {
  events: EVENTS,
  off: { insertUsPerEvent: median(off.map((r) => r.insertUsPerEvent)), pruneMs: median(off.map((r) => r.pruneMs)) },
  on: { insertUsPerEvent: median(on.map((r) => r.insertUsPerEvent)), pruneMs: median(on.map((r) => r.pruneMs)) },
};
if (flags.json) {
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
} else {
  const fmt = (n) => n.toFixed(2);
  process.stdout.write(`secure_delete, ${EVENTS} events of 2 KB, median of ${ROUNDS} rounds\n`);
  process.stdout.write(`  insert: off ${fmt(result.off.insertUsPerEvent)} us/event, on ${fmt(result.on.insertUsPerEvent)} us/event\n`);
  process.stdout.write(`  prune all: off ${fmt(result.off.pruneMs)} ms, on ${fmt(result.on.pruneMs)} ms\n`);
}
