import { writeFileSync } from "node:fs";
import path from "node:path";
import { EventStore } from "../../src/store/index.js";
import type { CapturedEvent } from "../../src/core/types.js";
import { tempDir } from "../helpers/temp-dir.js";

export { capturedEvent } from "../helpers/captured-event.js";

let counter = 0;

/** Writes fixture text to a temp file and returns its path. */
export function tempFixture(text: string, name?: string): string {
  const file = path.join(tempDir("hooktape-fixture-"), name ?? `fixture-${++counter}.json`);
  writeFileSync(file, text);
  return file;
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
