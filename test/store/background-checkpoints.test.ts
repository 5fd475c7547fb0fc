// A capture's store checkpoints its WAL on a worker thread, but only once the capture has written enough for a
// checkpoint to matter: a listen that records a few events never starts the thread. Real SQLite files.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EventStore } from "../../src/store/index.js";
import { capturedEvent } from "../helpers/captured-event.js";
import { tempDir } from "../helpers/temp-dir.js";

const stores: EventStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function captureStore(file: string): EventStore {
  const store = new EventStore(file, { backgroundCheckpoints: true, commitTimeoutMs: 5_000 });
  stores.push(store);
  return store;
}

/** A GitHub push as GitHub sends it: pretty-printed JSON with non-ASCII text, ~100 KB with its commits. */
function pushBody(n: number): Buffer {
  const commits = Array.from({ length: 720 }, (_, i) => ({ id: `${n}-${i}`, message: `Größe geändert — ${i} ✓`, author: { name: "Zoë Müller" } }));
  return Buffer.from(JSON.stringify({ ref: "refs/heads/main", commits }, null, 2));
}

function pushEvent(n: number) {
  return capturedEvent({ provider: "github", headers: [["Content-Type", "application/json"], ["X-GitHub-Event", "push"]], body: pushBody(n) });
}

describe("background checkpoints", () => {
  it("a capture of a few events records them without a checkpoint thread", async () => {
    const store = captureStore(path.join(tempDir(), "few.db"));
    await Promise.all([1, 2, 3].map((n) => store.recordEvent(pushEvent(n))));
    expect(store.checkpointsInBackground).toBe(false);
    expect(store.listEvents({ limit: 10 })).toHaveLength(3);
  });

  it("past ~4 MiB written, it starts the thread", async () => {
    const store = captureStore(path.join(tempDir(), "busy.db"));
    let n = 0;
    while (!store.checkpointsInBackground && n < 100) await store.recordEvent(pushEvent(n++));
    expect(store.checkpointsInBackground).toBe(true);
    // ~100 KB a body: the thread starts after about 4 MiB of them, not at the first nor long after. (That the thread
    // then copies the WAL into the file is test/e2e/listen.test.ts's: it runs from the built files only.)
    expect(n).toBeGreaterThan(30);
    expect(n).toBeLessThan(50);
    expect(store.listEvents({ limit: 100 })).toHaveLength(n);
  });

  it("a read-only or non-capture store never starts one", async () => {
    const file = path.join(tempDir(), "plain.db");
    const store = new EventStore(file);
    stores.push(store);
    for (let n = 0; n < 50; n++) await store.recordEvent(pushEvent(n));
    expect(store.checkpointsInBackground).toBe(false);
  });
});
