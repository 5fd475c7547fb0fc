import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { vi } from "vitest";
import { serveOnLoopback } from "../helpers/target-server.js";

/** The fake cloudflared executable that stands in for Cloudflare's network. */
export const FAKE_CLOUDFLARED = fileURLToPath(new URL("../fake-cloudflared/cloudflared.mjs", import.meta.url));

export interface FakeState {
  publicUrl: string;
  edgePort: number | null;
  pid: number;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
}

export function makeTempDir(prefix = "hooktape-tunnel-"): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Environment for a fake cloudflared run: its behaviour and where it reports its edge port. */
export function fakeEnv(stateFile: string, mode = "ok", extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FAKE_CLOUDFLARED_MODE: mode, FAKE_CLOUDFLARED_STATE: stateFile, ...extra };
  delete env.CLOUDFLARED_BIN;
  return env;
}

export async function readState(stateFile: string): Promise<FakeState> {
  return vi.waitFor(() => JSON.parse(readFileSync(stateFile, "utf8")) as FakeState, { timeout: 3000, interval: 20 });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A handler stand-in that records exactly what reached it and answers 201. */
export async function startOrigin(): Promise<{ url: string; port: number; requests: ReceivedRequest[]; close(): Promise<void> }> {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) });
      res.writeHead(201, [["x-handler", "one"], ["set-cookie", "a=1"], ["set-cookie", "b=2"], ["content-type", "application/octet-stream"]]);
      res.end(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    });
  });
  return { ...(await serveOnLoopback(server)), requests };
}

export interface EdgeAnswer {
  status: number;
  rawHeaders: string[];
  body: Buffer;
}

/** Sends "public" traffic: to the fake edge, as a webhook sender on the internet would. */
export function sendToEdge(
  edgePort: number,
  request: { method: string; path: string; headers: Array<[string, string]>; body: Buffer },
): Promise<EdgeAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port: edgePort,
      method: request.method,
      path: request.path,
      // A flat array is sent as given (order and duplicates kept), so Host must be in it.
      headers: [
        ...(request.headers.some(([name]) => name.toLowerCase() === "host") ? [] : ["Host", `127.0.0.1:${edgePort}`]),
        ...request.headers.flat(),
      ],
      agent: false,
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(request.body);
  });
}

/** All values of a header, in order, from Node's flat rawHeaders list. */
export function headerValues(rawHeaders: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === name) values.push(rawHeaders[i + 1] ?? "");
  }
  return values;
}

/**
 * Stops `listen` runs a test left going (SIGTERM, so that they clean up as a user's would; SIGKILL after 8 s), then
 * any fake cloudflared whose hooktape was SIGKILLed (a killed parent cannot stop its child), by the pid in its
 * state file: no edge server outlives the test.
 */
export async function stopAll(procs: Array<{ stop(signal?: NodeJS.Signals): Promise<number | null> }>, stateFiles: string[]): Promise<void> {
  for (const proc of procs) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), 8000);
    });
    if ((await Promise.race([proc.stop("SIGTERM"), late])) === "late") await proc.stop("SIGKILL");
    clearTimeout(timer);
  }
  for (const file of stateFiles) {
    let pid: number | undefined;
    try {
      pid = (JSON.parse(readFileSync(file, "utf8")) as FakeState).pid;
    } catch {
      continue;
    }
    // Only a process that is still that fake cloudflared: a pid freed earlier may belong to another test by now.
    if (pid !== undefined && isAlive(pid) && isFakeCloudflared(pid)) process.kill(pid, "SIGKILL");
  }
}

function isFakeCloudflared(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("fake-cloudflared");
  } catch {
    return false;
  }
}
