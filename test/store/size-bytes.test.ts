// sizeBytes() (`--max-store`) is read once per event-loop turn: it must still see every commit made before the turn.
import { createHash } from "node:crypto";
import path from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { newEventId } from "../../src/core/ids.js";
import { EventStore } from "../../src/store/index.js";
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
    const receivedAt = Date.now();
    await store.recordEvent({
      id: newEventId(receivedAt),
      method: "POST",
      url: "/hooks",
      headers: [["Content-Type", "application/json"]],
      body,
      receivedAt,
      remoteAddress: "127.0.0.1",
      via: "local",
      provider: null,
      verification: { status: "unverified", reason: "no_secret" },
      rejected: null,
      bodySize: body.length,
      bodySha256: createHash("sha256").update(body).digest("hex"),
      publicUrl: null,
      target: null,
    });
    await nextTurn();
    // The file had free pages to start with: the new figure is at least half the body more (a stale one: no more).
    expect(store.sizeBytes()).toBeGreaterThan(before + body.length / 2);
  });
});
