// Ctrl-C as a person presses it: the built CLI runs in a real pseudo-terminal (util-linux `script`), and the test
// types a real ^C byte into it. The terminal's line discipline turns that byte into SIGINT for the foreground
// process group — unless something (ora's stdin discarder did) has put the terminal in raw mode.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EventStore } from "../../src/store/index.js";
import { getProvider } from "../../src/providers/index.js";
import { CLI } from "../helpers/cli.js";
import { startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { recordEvent } from "../replay/helpers.js";

const FAKE_CLOUDFLARED = path.resolve(import.meta.dirname, "../fake-cloudflared/cloudflared.mjs");
const CTRL_C = "\u0003";

interface Terminal {
  screen(): string;
  /** Types bytes on the keyboard. */
  type(text: string): void;
  /** Resolves when `text` has appeared on the screen; rejects after `ms`. */
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
  /** The command's exit code (script -e passes it on), or "timeout" if it did not end within `ms`. */
  exit(ms: number): Promise<number | null | "timeout">;
  kill(): void;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Runs the built CLI with `args` in a 100-column pseudo-terminal, colours and spinners on, as in a person's shell. */
function runInTerminal(args: readonly string[], env: NodeJS.ProcessEnv = {}): Terminal {
  const command = `stty cols 100; exec ${shellQuote(process.execPath)} ${shellQuote(CLI)} ${args.map(shellQuote).join(" ")}`;
  const fullEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: "xterm-256color", ...env };
  delete fullEnv.CI; // spinners are off in CI on purpose; this is about a person's terminal
  const child = spawn("script", ["-qfec", command, "/dev/null"], { env: fullEnv, stdio: ["pipe", "pipe", "pipe"] });
  let screen = "";
  const watchers: Array<() => void> = [];
  child.stdout.on("data", (chunk: Buffer) => {
    screen += chunk.toString("utf8");
    for (const watcher of [...watchers]) watcher();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    screen: () => screen,
    type: (text) => void child.stdin.write(text),
    waitFor: (text, ms = 20_000) =>
      new Promise((resolve, reject) => {
        const seen = () => (typeof text === "string" ? screen.includes(text) : text.test(screen));
        if (seen()) return resolve();
        const timer = setTimeout(() => reject(new Error(`${String(text)} did not appear; the terminal shows ${JSON.stringify(screen.slice(-600))}`)), ms);
        const watcher = () => {
          if (!seen()) return;
          clearTimeout(timer);
          watchers.splice(watchers.indexOf(watcher), 1);
          resolve();
        };
        watchers.push(watcher);
      }),
    exit: (ms) => Promise.race([exited, new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), ms))]),
    kill: () => child.kill("SIGKILL"),
  };
}

const terminals: Terminal[] = [];
const servers: TargetServer[] = [];
afterEach(async () => {
  for (const terminal of terminals.splice(0)) terminal.kill();
  for (const server of servers.splice(0)) await server.close();
});

function terminal(args: readonly string[], env: NodeJS.ProcessEnv = {}): Terminal {
  const t = runInTerminal(args, env);
  terminals.push(t);
  return t;
}

/** One Stripe event in a real store file, recorded through the store's insert path with listen's target shape. */
async function storedEvent(handlerUrl: string): Promise<{ db: string; id: string }> {
  const db = path.join(tempDir(), "hooktape.db");
  const store = new EventStore(db);
  const body = '{\n  "id": "evt_ctrl_c",\n  "object": "event",\n  "type": "invoice.paid"\n}';
  const headers = getProvider("stripe")!.sign({ body: Buffer.from(body), secret: "whsec_ctrl_c", timestamp: 1_700_000_000, id: "x", method: "POST", headers: [] }).headers;
  const event = recordEvent(store, { provider: "stripe", headers: [["Content-Type", "application/json"], ...headers], body, url: "/stripe", target: handlerUrl });
  store.close();
  return { db, id: event.id };
}

describe("Ctrl-C in a terminal", () => {
  it("stops `replay --retry stripe --speed 10` while its spinner runs: partial summary, attempts recorded, exit 130", async () => {
    const handler = await startTargetServer({ kind: "answer", status: 500, body: "boom" });
    servers.push(handler);
    const { db, id } = await storedEvent(handler.url);
    const run = terminal(["replay", id, "--retry", "stripe", "--speed", "10", "--db", db]);
    await run.waitFor("attempt 2 in"); // the first attempt failed; Stripe's next one is a minute away, 6 s at 10×
    await run.waitFor("Replaying: 0/1"); // the spinner is up (it is what used to swallow Ctrl-C)
    run.type(CTRL_C);
    const code = await run.exit(10_000);
    expect(code, run.screen().slice(-800)).toBe(130);
    const screen = run.screen().replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");
    expect(screen).toContain("Stopping: nothing new is sent");
    expect(screen).toMatch(/Stopped: 0 of 1 delivery of 1 event in 1 attempt: none finished.* — 1 waiting for a retry/);
    expect(screen).toContain("stopped by Ctrl-C: 0 of 1 deliveries finished, 1 waiting for a retry dropped");
    expect(handler.received).toHaveLength(1);
    const store = new EventStore(db, { readonly: true });
    expect(store.listAttempts(id).map((a) => [a.kind, a.attempt, a.status])).toEqual([["replay", 1, 500]]);
    store.close();
  });

  it("a second Ctrl-C quits at once while a request is still in flight", async () => {
    const handler = await startTargetServer({ kind: "hang" });
    servers.push(handler);
    const { db, id } = await storedEvent(handler.url);
    const run = terminal(["replay", id, "--timeout", "60000", "--db", db]);
    await handler.waitFor(1);
    await run.waitFor("Replaying: 0/1");
    run.type(CTRL_C);
    await run.waitFor("Ctrl-C again to quit now");
    const started = performance.now();
    run.type(CTRL_C);
    expect(await run.exit(3_000)).toBe(130);
    expect(performance.now() - started).toBeLessThan(3_000); // not the 5 s grace, not the 60 s timeout
  });

  it("stops `send` between fixtures: the one in flight is answered, the rest are not sent, exit 130", async () => {
    const handler = await startTargetServer({ kind: "answer", status: 200, body: "ok", delayMs: 700 });
    servers.push(handler);
    const dir = tempDir();
    const files = [1, 2, 3].map((n) => {
      const file = path.join(dir, `fixture-${n}.json`);
      const body = `{\n  "id": "evt_${n}",\n  "note": "café/${n}"\n}`;
      writeFileSync(file, JSON.stringify({ hooktape: 1, provider: "hmac", request: { method: "POST", url: "/hooks", headers: [["content-type", "application/json"]], body } }));
      return file;
    });
    const run = terminal(["send", ...files, "--to", handler.url]);
    await handler.waitFor(1);
    run.type(CTRL_C);
    expect(await run.exit(10_000)).toBe(130);
    expect(handler.received).toHaveLength(1);
    const screen = run.screen();
    expect(screen).toContain("Stopping: no more fixtures are sent");
    expect(screen.replace(/\u001b\[[0-9;]*m/g, "")).toMatch(/✓ 200  \S*fixture-1\.json → POST/);
    expect(screen).toContain("stopped by Ctrl-C: 1 of 3 fixtures sent, 2 not sent");
  });

  it("stops `listen` while the tunnel is still opening: cloudflared is stopped and nothing is left running", async () => {
    const dir = tempDir();
    const state = path.join(dir, "cloudflared.json");
    const run = terminal(["listen", "--db", path.join(dir, "listen.db"), "--cloudflared", FAKE_CLOUDFLARED], {
      FAKE_CLOUDFLARED_DELAY_MS: "600000", // Cloudflare's edge never registers the connection in this test's lifetime
      FAKE_CLOUDFLARED_STATE: state,
    });
    await run.waitFor("Opening a Cloudflare quick tunnel");
    await waitForFile(state);
    const { pid } = JSON.parse(readFileSync(state, "utf8")) as { pid: number };
    run.type(CTRL_C);
    const code = await run.exit(10_000);
    expect(code, run.screen().slice(-800)).toBe(0);
    const screen = run.screen();
    expect(screen).not.toContain("hooktape is listening");
    expect(screen).not.toContain("no public tunnel"); // called off, not a failure
    expect(screen).toContain("Stopping: finishing requests in flight");
    expect(isRunning(pid)).toBe(false);
  });
});

async function waitForFile(file: string): Promise<void> {
  await vi.waitFor(() => {
    if (!existsSync(file)) throw new Error(`${file} was never written`);
  }, { timeout: 10_000 });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
