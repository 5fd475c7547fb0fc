// sizeBytes() (`--max-store`) is read once per event-loop turn: it must still see every commit made before the turn.
import path from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { EventStore } from "../../src/store/index.js";
import { capturedEvent } from "../helpers/captured-event.js";
import { tempDir } from "../helpers/temp-dir.js";

const stores: EventStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

describe("EventStore.sizeBytes", () => {
  it("grows by what the group commit wrote, as soon as the commit's turn is over", async () => {
    const store = new EventStore(path.join(tempDir(), "hooktape.db"), { commitTimeoutMs: 5_000 });
    stores.push(store);
    const before = store.sizeBytes();
    const body = Buffer.from(JSON.stringify({ data: "é".repeat(100_000) }, null, 2));
    await store.recordEvent(capturedEvent({ url: "/hooks", headers: [["Content-Type", "application/json"]], body }));
    await nextTurn();
    // The file had free pages to start with: the new figure is at least half the body more (a stale one: no more).
    expect(store.sizeBytes()).toBeGreaterThan(before + body.length / 2);
  });
});
