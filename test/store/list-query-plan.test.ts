// `events list` on a large store: every filter is served by an index, and nothing sorts the whole table for the
// newest-first order — so `--limit 1` reads one row whatever the store's size. Checked with SQLite's own
// EXPLAIN QUERY PLAN on a real store file made by EventStore (its schema and indexes).
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { EventFilter } from "../../src/core/event-filter.js";
import { EventStore } from "../../src/store/index.js";
import { listQuery, replayableQuery } from "../../src/store/event-store.js";

const dir = mkdtempSync(path.join(tmpdir(), "hooktape-plan-"));
const file = path.join(dir, "plan.db");
new EventStore(file).close();
const db = new Database(file, { readonly: true });
// The store registers path_matches on its own connection; this one only needs it to exist for EXPLAIN.
db.function("path_matches", (_pattern: unknown, _path: unknown) => 1);
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function plan(filter: EventFilter, query = listQuery): string {
  const { sql, params } = query(filter);
  return db
    .prepare<[Record<string, string | number>], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(params)
    .map((row) => row.detail)
    .join("\n");
}

describe("events list query plans", () => {
  it.each<[string, EventFilter, RegExp]>([
    ["no filter, --limit 1", { limit: 1 }, /SCAN events USING INDEX events_received/],
    ["--provider", { limit: 20, provider: "stripe" }, /SEARCH events USING INDEX events_provider \(provider=\?\)/],
    ["--verification", { limit: 20, verification: "invalid" }, /SEARCH events USING INDEX events_verification \(verification_status=\?\)/],
    ["--status 500", { limit: 20, status: { kind: "code", code: 500 } }, /SEARCH events USING INDEX events_status_class \(<expr>=\?\)/],
    ["--status 5xx", { limit: 1, status: { kind: "class", hundreds: 5 } }, /SEARCH events USING INDEX events_status_class \(<expr>=\?\)/],
    ["--status failed", { limit: 20, status: { kind: "failed" } }, /SEARCH events USING INDEX events_status_class \(<expr>=\?\)/],
    ["--since", { limit: 20, since: 1_700_000_000_000 }, /SEARCH events USING INDEX events_received \(received_at>\?\)/],
    ["--path", { limit: 20, pathGlob: "/stripe/**" }, /SCAN events USING INDEX events_received/],
    ["--provider and --since", { limit: 20, provider: "stripe", since: 1_700_000_000_000 }, /SEARCH events USING INDEX events_provider \(provider=\? AND received_at>\?\)/],
  ])("%s uses an index and no sort of its own", (_name, filter, expected) => {
    const text = plan(filter);
    expect(text).toMatch(expected);
    expect(text).not.toMatch(/TEMP B-TREE/);
    expect(text).not.toMatch(/^SCAN events$/m);
  });
});

describe("replay's read query plans", () => {
  it.each<[string, EventFilter, RegExp]>([
    ["--last 5000", { limit: 5000 }, /SCAN events USING INDEX events_received/],
    ["--provider", { limit: 0, provider: "stripe" }, /SEARCH events USING INDEX events_provider \(provider=\?\)/],
    ["--status 5xx --since", { limit: 0, status: { kind: "class", hundreds: 5 }, since: 1_700_000_000_000 }, /SEARCH events USING INDEX events_status_class/],
  ])("%s walks an index and finds each body by its key, with no sort of its own", (_name, filter, expected) => {
    const text = plan(filter, replayableQuery);
    expect(text).toMatch(expected);
    expect(text).toMatch(/SEARCH event_bodies USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(text).not.toMatch(/TEMP B-TREE/);
    expect(text).not.toMatch(/^SCAN events$/m);
  });
});

describe("--type query plans", () => {
  it("an exact type is a search of events_event_type, already in newest-first order", () => {
    const text = plan({ limit: 20, typeGlob: "invoice.paid" });
    expect(text).toMatch(/SEARCH events USING INDEX events_event_type \(event_type=\?\)/);
    expect(text).not.toMatch(/TEMP B-TREE/);
  });

  it("a glob with a literal head is a range of events_event_type: only the matching rows are read, then ordered", () => {
    const text = plan({ limit: 20, typeGlob: "customer.subscription.*" });
    expect(text).toMatch(/SEARCH events USING INDEX events_event_type \(event_type>\? AND event_type<\?\)/);
    expect(text).not.toMatch(/^SCAN events$/m);
  });

  it("a glob that starts with a wildcard walks newest first and stops at the limit", () => {
    const text = plan({ limit: 1, typeGlob: "*.created" });
    expect(text).toMatch(/SCAN events USING INDEX events_received/);
    expect(text).not.toMatch(/TEMP B-TREE/);
  });
});
