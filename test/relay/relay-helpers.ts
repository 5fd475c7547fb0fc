import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { request } from "undici";
import { afterAll, beforeAll } from "vitest";
import { afterEachTest } from "../helpers/after-each-test.js";
import { CLI, startListen, type ListenProcess } from "../helpers/cli.js";
import { runProgram } from "../helpers/program.js";
import { tempDir } from "../helpers/temp-dir.js";

/** `hooktape relay serve` as a user runs it, in its own process group so that a test can SIGKILL it with its workerd. */
export interface RelayProcess {
  url: string;
  data: string;
  /** The NDJSON records it printed after `ready` (the worker's log lines among them). */
  records: Array<Record<string, unknown>>;
  /** Kills `relay serve` and its workerd at once, as a crash or a power cut would. */
  kill(): Promise<void>;
  /** SIGKILL to `relay serve` alone: its workerd is left running, orphaned. */
  killServeOnly(): Promise<void>;
  /** Ctrl-C (SIGINT): stops cleanly; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const started: Array<{ stop(): Promise<unknown> }> = [];

afterEachTest(async () => {
  for (const item of started.splice(0).reverse()) await item.stop().catch(() => undefined);
});

/** The environment every relay test runs in: its own config folder (admin tokens) and cache. */
export function relayEnv(): { XDG_CONFIG_HOME: string; XDG_CACHE_HOME: string } {
  const home = tempDir("hooktape-relay-home-");
  return { XDG_CONFIG_HOME: `${home}/config`, XDG_CACHE_HOME: `${home}/cache` };
}

/**
 * One relay for a whole file, for the tests that only need a relay running (their own channels keep them apart):
 * started before the file's first test, stopped after its last. A test that kills or restarts its relay starts its own.
 */
export function fileRelay(): { relay(): RelayProcess; env: ReturnType<typeof relayEnv> } {
  // Its folders outlive each test's temp folders (removed after every test): they go with the relay, after the file.
  const home = mkdtempSync(path.join(tmpdir(), "hooktape-relay-file-"));
  const env = { XDG_CONFIG_HOME: `${home}/config`, XDG_CACHE_HOME: `${home}/cache` };
  let shared: RelayProcess | undefined;
  beforeAll(async () => {
    shared = await spawnRelay(env, path.join(home, "data"));
  }, 60_000);
  afterAll(async () => {
    await shared?.kill();
    rmSync(home, { recursive: true, force: true });
  });
  return {
    env,
    relay() {
      if (!shared) throw new Error("the file's relay is not running (beforeAll failed)");
      return shared;
    },
  };
}

/** A relay for one test, killed after it. */
export async function startRelay(env: NodeJS.ProcessEnv, data = tempDir("hooktape-relay-data-")): Promise<RelayProcess> {
  const relay = await spawnRelay(env, data);
  started.push({ stop: () => relay.kill() });
  return relay;
}

async function spawnRelay(env: NodeJS.ProcessEnv, data: string): Promise<RelayProcess> {
  const child = spawn(process.execPath, [CLI, "--json", "relay", "serve", "--data", data], {
    env: { ...process.env, NO_COLOR: "1", ...env },
    detached: true,
  });
  const records: Array<Record<string, unknown>> = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay serve did not get ready; stderr: ${stderr}`)), 60_000);
    void exited.then((code) => reject(new Error(`relay serve exited with ${code}; stderr: ${stderr}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (record.type === "ready") {
        clearTimeout(timer);
        resolve(String(record.url));
      } else records.push(record);
    });
  });
  let gone = false;
  const relay: RelayProcess = {
    url,
    data,
    records,
    async kill() {
      if (gone) return;
      gone = true;
      killGroup(child, "SIGKILL");
      await exited;
    },
    async killServeOnly() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (gone) return exited;
      gone = true;
      child.kill("SIGINT");
      return exited;
    },
  };
  return relay;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export interface Channel {
  channel: string;
  url: string;
  token: string;
}

/** `hooktape relay channel create`, run in process: the channel is what the test needs, not the command's process. */
export async function createChannel(relay: RelayProcess, env: NodeJS.ProcessEnv, args: readonly string[] = []): Promise<Channel> {
  const result = await runProgram(["--json", "relay", "channel", "create", "--relay", relay.url, ...args], { env });
  if (result.code !== 0) throw new Error(`channel create failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as Channel;
}

/** A sender's request to a channel URL (plus a path); the relay's answer. */
export async function post(
  url: string,
  body: Buffer | string,
  headers: Record<string, string> = { "content-type": "application/json" },
  method = "POST",
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const response = await request(url, { method: method as "POST", headers, body: method === "GET" ? undefined : body });
  return { status: response.statusCode, headers: response.headers, body: Buffer.from(await response.body.arrayBuffer()) };
}

/** `hooktape --json listen <target> --relay <channel url>` on its own store, stopped after the test. */
export async function follow(channel: Channel, target: string, db: string, env: NodeJS.ProcessEnv, extra: readonly string[] = []): Promise<ListenProcess> {
  const listen = await startListen([target, "--db", db, "--relay", channel.url, ...extra], { ...env, HOOKTAPE_RELAY_TOKEN: channel.token });
  started.push({ stop: () => listen.stop() });
  return listen;
}

/** Resolves once a record of this type (and state, for relay records) has been printed. */
export function waitForRecord(listen: ListenProcess, match: (record: Record<string, unknown>) => boolean, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  return listen.waitForRecord(match, timeoutMs);
}
