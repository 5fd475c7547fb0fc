// The store's group commit (src/store/event-writer.ts): everything queued in one event-loop turn is committed in one
// transaction on the capture thread's connection. Real SQLite files, real sockets, the real capture server.
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startCaptureServer, type CaptureNotice } from "../../src/capture/index.js";
import { createDeliveryAgent } from "../../src/forward/index.js";
import { EventStore, type StoreOptions } from "../../src/store/index.js";
import type { CapturedEvent } from "../../src/core/types.js";
import { newEventId } from "../../src/core/ids.js";
import { send, startTargetServer } from "../helpers/target-server.js";
import { capturedEvent } from "../helpers/captured-event.js";
import { tempDir } from "../helpers/temp-dir.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function openStore(file: string, options: StoreOptions = {}): EventStore {
  const store = new EventStore(file, { commitTimeoutMs: 5_000, ...options });
  cleanups.push(() => store.close());
  return store;
}

/** An event as the capture server builds it, for the store-level tests. */
function eventWith(body: Buffer, url = "/hooks", id = newEventId(Date.now())): CapturedEvent {
  return capturedEvent({ id, url, headers: [["Content-Type", "application/json"], ["X-Émoji", "🪝"]], body });
}

async function captureWith(store: EventStore, options: { target?: string } = {}) {
  const agent = createDeliveryAgent();
  const notices: CaptureNotice[] = [];
  const capture = await startCaptureServer({
    store,
    host: "127.0.0.1",
    port: 0,
    target: options.target ? new URL(options.target) : null,
    ack: null,
    timeoutMs: 5_000,
    maxBodyBytes: 32 * 1024 * 1024,
    dispatcher: agent,
    publicUrl: () => null,
    verify: () => ({ provider: null, verification: { status: "unverified", reason: "no_secret" } }),
    onNotice: (notice) => notices.push(notice),
  });
  cleanups.push(async () => {
    await capture.close(1_000);
    await agent.close();
  });
  return { capture, notices };
}

describe("the group commit", () => {
  it("records what the capture server receives byte for byte, and the forwarding attempts once they are committed", async () => {
    const response = Buffer.alloc(100 * 1024, "r");
    const target = await startTargetServer({ kind: "answer", status: 202, body: response.toString() });
    cleanups.push(() => target.close());
    const store = openStore(path.join(tempDir(), "hooktape.db"));
    const { capture } = await captureWith(store, { target: target.url });

    // Pretty-printed, non-ASCII JSON as providers send it, and bytes that are not UTF-8, 32 at once.
    const bodies = Array.from({ length: 32 }, (_, n) =>
      n % 4 === 3
        ? Buffer.from([0x00, 0xff, 0xfe, n, 0xc3, 0x28])
        : Buffer.from(JSON.stringify({ id: `evt_${n}`, customer: { name: "Zoë Ångström", note: "支払い済み ✓" }, amount: n * 100 }, null, 2)),
    );
    const answers = await Promise.all(bodies.map((body, n) => send(`${capture.url}/hooks/${n}`, { body })));
    expect(answers.map((answer) => answer.status)).toEqual(bodies.map(() => 202));
    // Each event was committed before its answer; the attempts ride the next group commit, done once the server has
    // finished its requests.
    await capture.close(1_000);

    const events = store.listEvents({ limit: 0 });
    expect(events).toHaveLength(32);
    for (const [n, body] of bodies.entries()) {
      const summary = events.find((event) => event.url === `/hooks/${n}`);
      const event = store.getEvent(summary?.id ?? "missing");
      expect(event.body.equals(body)).toBe(true);
      const [attempt] = store.listAttempts(event.id);
      // The response is kept up to 64 KiB, with its true size beside it.
      expect(attempt?.status).toBe(202);
      expect(attempt?.responseBody.equals(response.subarray(0, 64 * 1024))).toBe(true);
      expect(attempt?.responseSize).toBe(response.length);
    }
  });

  it("records an attempt's own request body and headers beside its response body", async () => {
    const store = openStore(path.join(tempDir(), "hooktape.db"));
    const event = eventWith(Buffer.from(JSON.stringify({ id: "evt_1", name: "Zoë" }, null, 2)));
    await store.recordEvent(event);
    const sentBody = Buffer.from(JSON.stringify({ id: "evt_1", name: "Zoë Ångström" }, null, 2));
    const headers: Array<[string, string]> = [["Content-Type", "application/json"], ["X-Émoji", "🪝"], ["X-Signature", "sha256=abc"]];
    await store.recordAttempt({
      eventId: event.id,
      kind: "replay",
      deliveryId: "dlv_1",
      attempt: 1,
      target: "http://127.0.0.1:1/hooks",
      method: "POST",
      status: 200,
      error: null,
      durationMs: 3,
      startedAt: Date.now(),
      responseHeaders: [["Content-Type", "text/plain"]],
      responseBody: Buffer.from("ok"),
      responseSize: 2,
      request: { headers, body: sentBody },
    });
    const [attempt] = store.listAttempts(event.id);
    expect(attempt?.responseBody.toString()).toBe("ok");
    expect(attempt?.request?.headers).toEqual(headers);
    expect(attempt?.request?.body?.equals(sentBody)).toBe(true);
  });

  it("counts each event's attempts of one kind in one go: other kinds, events without any and repeated ids aside", async () => {
    const store = openStore(path.join(tempDir(), "hooktape.db"));
    const events = [0, 1, 2].map((n) => eventWith(Buffer.from(JSON.stringify({ n, name: "Zoë" }, null, 2)), `/e${n}`));
    for (const event of events) await store.recordEvent(event);
    const attempt = (eventId: string, kind: "forward" | "replay", n: number) =>
      store.recordAttempt({
        eventId,
        kind,
        deliveryId: `dlv_${eventId}_${kind}_${n}`,
        attempt: n,
        target: "http://127.0.0.1:1/hooks",
        method: "POST",
        status: 200,
        error: null,
        durationMs: 1,
        startedAt: Date.now(),
        responseHeaders: [],
        responseBody: Buffer.from("ok"),
        responseSize: 2,
        request: null,
      });
    const [a, b, c] = events.map((event) => event.id) as [string, string, string];
    await Promise.all([attempt(a, "forward", 1), attempt(a, "replay", 1), attempt(a, "replay", 2), attempt(b, "forward", 1)]);
    expect(store.countAttempts([a, b, c, a], "replay")).toEqual(new Map([[a, 2]]));
    expect(store.countAttempts([a, b, c], "forward")).toEqual(new Map([[a, 1], [b, 1]]));
    expect(store.countAttempts([], "replay")).toEqual(new Map());
  });

  it("fails only the write that breaks a constraint; its neighbours in the batch are committed", async () => {
    const store = openStore(path.join(tempDir(), "hooktape.db"));
    const first = eventWith(Buffer.from('{"n":1}'), "/first");
    const duplicate = { ...eventWith(Buffer.from('{"n":2}'), "/duplicate"), id: first.id };
    const third = eventWith(Buffer.from('{"n":3}'), "/third");
    const outcomes = await Promise.allSettled([store.recordEvent(first), store.recordEvent(duplicate), store.recordEvent(third)]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed: events\.id/);
    expect(store.listEvents({ limit: 0 }).map((event) => event.url).sort()).toEqual(["/first", "/third"]);
  });

  it("gives up on a locked database at the deadline without blocking this thread, and commits again once it is free", async () => {
    const file = path.join(tempDir(), "hooktape.db");
    const store = openStore(file, { commitTimeoutMs: 300 });
    const locker = new Database(file);
    cleanups.push(() => {
      locker.close();
    });
    locker.exec("BEGIN IMMEDIATE");

    const waiting = store.recordEvent(eventWith(Buffer.from("{}"), "/while-locked"));
    // While the commit waits for the lock, this thread's timers run on time.
    const ticks: number[] = [];
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        ticks.push(performance.now() - start);
        if (ticks.length === 10) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    await expect(waiting).rejects.toThrow(/locked by another connection; gave up after 300 ms/);
    const gaps = ticks.map((at, i) => at - (ticks[i - 1] ?? 0));
    expect(Math.max(...gaps)).toBeLessThan(250);

    locker.exec("COMMIT");
    await store.recordEvent(eventWith(Buffer.from("{}"), "/after"));
    expect(store.listEvents({ limit: 0 }).map((event) => event.url)).toEqual(["/after"]);
  });

  it("close() commits what was queued before it returns", async () => {
    const file = path.join(tempDir(), "hooktape.db");
    const store = new EventStore(file, { commitTimeoutMs: 5_000 });
    const events = Array.from({ length: 200 }, (_, n) => eventWith(Buffer.from(`{"n":${n}}`), `/queued/${n}`));
    const recorded = events.map((event) => store.recordEvent(event));
    store.close();
    await Promise.all(recorded);

    const reopened = new EventStore(file, { readonly: true });
    cleanups.push(() => reopened.close());
    expect(reopened.countEvents({ limit: 0 })).toBe(200);
  });
});
