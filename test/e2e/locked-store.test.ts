// Another connection holds the store's write lock (a second hooktape running `events prune`, a user's sqlite3
// shell): `listen` must not freeze. Senders whose events cannot be committed within --timeout get 503 +
// Retry-After while the lock is still held, a request already recorded keeps being forwarded and answered,
// SIGTERM still exits promptly, and once the lock is gone capture goes on — nothing lost, nothing hung.
// Assertions are about order (answered before the lock was released), not about wall-clock figures.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, startListen, type ListenProcess } from "../helpers/cli.js";
import { send, startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const require = createRequire(import.meta.url);
const running: ListenProcess[] = [];
const targets: TargetServer[] = [];
const lockers: ChildProcess[] = [];
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const listen of running.splice(0)) await listen.stop("SIGKILL");
  for (const target of targets.splice(0)) await target.close();
  for (const locker of lockers.splice(0)) locker.kill("SIGKILL");
});

/**
 * A separate process that takes the write lock (BEGIN IMMEDIATE) on the file, says "locked", holds it until it
 * reads a line on stdin, then commits and says "released".
 */
async function holdWriteLock(db: string): Promise<{ release(): Promise<void>; released: () => boolean }> {
  const script = `
    const Database = require(${JSON.stringify(require.resolve("better-sqlite3"))});
    const db = new Database(${JSON.stringify(db)});
    db.exec("BEGIN IMMEDIATE");
    process.stdout.write("locked\\n");
    process.stdin.once("data", () => { db.exec("COMMIT"); db.close(); process.stdout.write("released\\n"); process.exit(0); });`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  lockers.push(child);
  const lines = createInterface({ input: child.stdout! });
  let released = false;
  const releasedPromise = new Promise<void>((resolve) =>
    lines.on("line", (line) => {
      if (line === "released") {
        released = true;
        resolve();
      }
    }),
  );
  await new Promise<void>((resolve) => lines.once("line", () => resolve()));
  return {
    release: async () => {
      child.stdin!.write("go\n");
      await releasedPromise;
    },
    released: () => released,
  };
}

describe("listen with a locked store", () => {
  it("answers 503 within --timeout while the lock is held, keeps forwarding what it recorded, and records again after", async () => {
    const handler = await startTargetServer({ kind: "answer", status: 200, body: "handled" });
    targets.push(handler);
    const db = path.join(tempDir(), "locked.db");
    const listen = await startListen([handler.url, "--no-tunnel", "--db", db, "--timeout", "1000"]);
    running.push(listen);

    // Recorded before the lock: its forwarding must not wait for the lock to go away.
    handler.setBehaviour({ kind: "answer", status: 200, body: "slow but fine", delayMs: 700 });
    const inFlight = send(`${listen.ready.url}/before-the-lock`, { body: '{"n":0}' });
    // At the handler means recorded: listen records before it forwards.
    await handler.waitFor(1);
    const lock = await holdWriteLock(db);

    const sentAt = performance.now();
    const during = await Promise.all(
      [1, 2, 3, 4].map((n) => send(`${listen.ready.url}/during/${n}`, { body: `{"n":${n}}` }).then((r) => ({ ...r, after: performance.now() - sentAt }))),
    );
    const first = await inFlight;
    // All of it happened while the other connection still held the lock.
    expect(lock.released()).toBe(false);
    expect(during.map((r) => r.status)).toEqual([503, 503, 503, 503]);
    expect(during[0]?.headers["retry-after"]).toBe("5");
    // Within --timeout (1 s) plus scheduling slack — not after SQLite's synchronous 5 s busy wait, once per write.
    for (const answer of during) expect(answer.after).toBeLessThan(4000);
    expect(first.status).toBe(200);
    expect(first.body.toString()).toBe("slow but fine");

    await lock.release();
    handler.setBehaviour({ kind: "answer", status: 200, body: "handled" });
    const after = await send(`${listen.ready.url}/after-the-lock`, { body: '{"n":5}' });
    expect(after.status).toBe(200);
    expect(await listen.stop()).toBe(0);

    // Exactly the requests that were answered with something other than 503 are in the store.
    const list = await runCli(["events", "list", "--json", "--limit", "0", "--db", db]);
    const urls = (JSON.parse(list.stdout) as Array<{ url: string }>).map((e) => e.url).sort();
    expect(urls).toEqual(["/after-the-lock", "/before-the-lock"]);
  });

  it("gives the sender the handler's answer while the lock is held after its event was recorded, and records the attempt once the lock goes", async () => {
    const db = path.join(tempDir(), "locked.db");
    let lock: Awaited<ReturnType<typeof holdWriteLock>> | null = null;
    // The handler is reached only once the event is committed; it takes the store's lock before it answers, so the
    // forward's attempt cannot be committed until the lock goes.
    const handler = await startTargetServer(async () => {
      lock = await holdWriteLock(db);
      return { status: 200, body: "handled while locked" };
    });
    targets.push(handler);
    const handlerUrl = handler.url;
    const listen = await startListen([handlerUrl, "--no-tunnel", "--db", db, "--timeout", "30000"]);
    running.push(listen);
    // Only a guard so that a build which waits for the lock cannot hang the test: the answer comes long before it.
    const guard = setTimeout(() => void lock?.release(), 10_000);
    cleanups.push(() => clearTimeout(guard));

    const answer = await send(`${listen.ready.url}/while-locked`, { body: '{\n  "amount": 2000,\n  "note": "Café"\n}' });
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe("handled while locked");
    expect(lock).not.toBeNull();
    expect(lock!.released()).toBe(false);

    await lock!.release();
    // The attempt rode the next commit after the lock: listen announces the event once its attempt is recorded.
    await listen.waitForEvents(1);
    expect(await listen.stop()).toBe(0);
    const list = await runCli(["events", "list", "--json", "--db", db]);
    expect(JSON.parse(list.stdout)).toMatchObject([{ url: "/while-locked", delivery: { status: 200, kind: "forward" } }]);
  });

  it("exits promptly on SIGTERM while the lock is held, answering what waits with 503", async () => {
    const handler = await startTargetServer({ kind: "answer", status: 200, body: "handled" });
    targets.push(handler);
    const db = path.join(tempDir(), "locked.db");
    const listen = await startListen([handler.url, "--no-tunnel", "--db", db, "--timeout", "30000"]);
    running.push(listen);
    const lock = await holdWriteLock(db);
    const waiting = send(`${listen.ready.url}/waiting`, { body: "{}" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalledAt = performance.now();
    const code = await listen.stop("SIGTERM");
    // Promptly: the event loop is free to handle the signal (a synchronous busy wait held it for 5 s and more).
    expect(performance.now() - signalledAt).toBeLessThan(4000);
    expect(lock.released()).toBe(false);
    expect(code).toBe(0);
    expect((await waiting).status).toBe(503);
    await lock.release();
  });
});
