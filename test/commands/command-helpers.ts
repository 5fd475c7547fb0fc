import { writeFileSync } from "node:fs";
import path from "node:path";
import { EventStore } from "../../src/store/index.js";
import type { CapturedEvent } from "../../src/core/types.js";
import { newEventId } from "../../src/core/ids.js";
import { tempDir } from "../helpers/temp-dir.js";

let counter = 0;

/** Writes fixture text to a temp file and returns its path. */
export function tempFixture(text: string, name?: string): string {
  const file = path.join(tempDir("hooktape-fixture-"), name ?? `fixture-${++counter}.json`);
  writeFileSync(file, text);
  return file;
}

/** A captured event as the capture server records it; override what the test is about. */
export function capturedEvent(overrides: Partial<CapturedEvent> & { body: Buffer }): CapturedEvent {
  const receivedAt = overrides.receivedAt ?? Date.now();
  return {
    id: newEventId(receivedAt),
    method: "POST",
    url: "/webhooks",
    headers: [],
    receivedAt,
    remoteAddress: "127.0.0.1",
    via: "local",
    provider: null,
    verification: { status: "unverified", reason: "no_secret" },
    rejected: null,
    bodySize: overrides.body.length,
    bodySha256: "",
    publicUrl: null,
    target: null,
    ...overrides,
  };
}

/** A real SQLite store in a temp folder with these events in it; returns the --db path. */
export function storeWith(events: readonly CapturedEvent[]): string {
  const db = path.join(tempDir("hooktape-db-"), "hooktape.db");
  const store = new EventStore(db);
  try {
    for (const event of events) store.insertEvent(event);
  } finally {
    store.close();
  }
  return db;
}
