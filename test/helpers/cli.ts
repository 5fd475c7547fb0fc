import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

export const CLI = path.resolve(import.meta.dirname, "../../bin/hooktape.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

/** Runs the built CLI as a user would, with colours off unless the env says otherwise. */
export function runCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string | Buffer; uid?: number; gid?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, stdout: stdoutBytes.toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), stdoutBytes });
    });
    child.stdin.end(options.input);
  });
}

export interface ListenProcess {
  child: ChildProcessWithoutNullStreams;
  /** The `ready` record from `--json`. */
  ready: { type: "ready"; url: string; publicUrl: string | null; target: string | null; db: string };
  /** NDJSON records printed after `ready`. */
  records: Array<Record<string, unknown>>;
  stderr(): string;
  /** Resolves when `count` event records have been printed. */
  waitForEvents(count: number): Promise<void>;
  /** Resolves with the first record printed after `ready` that matches, as soon as it is printed. */
  waitForRecord(match: (record: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** SIGTERM (or the given signal) and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `hooktape listen --json ...` and waits for its ready line. */
export async function startListen(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ListenProcess> {
  const child = spawn(process.execPath, [CLI, "--json", "listen", ...args], {
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  const records: Array<Record<string, unknown>> = [];
  // Each waiter looks at the records after every new line; it removes itself once satisfied.
  const waiters = new Set<() => boolean>();
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise<ListenProcess["ready"]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`listen did not get ready; stderr: ${stderr}`)), 20_000);
    void exited.then((code) => reject(new Error(`listen exited with ${code}; stderr: ${stderr}`)));
    lines.on("line", (line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (record.type === "ready") {
        clearTimeout(timer);
        resolve(record as ListenProcess["ready"]);
        return;
      }
      records.push(record);
      for (const waiter of waiters) if (waiter()) waiters.delete(waiter);
    });
  });
  const waitForRecord = (match: (record: Record<string, unknown>) => boolean, timeoutMs = 60_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = records.find(match);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
        return found !== undefined;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching record in ${timeoutMs} ms; got ${JSON.stringify(records)}; stderr: ${stderr}`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  return {
    child,
    ready,
    records,
    stderr: () => stderr,
    waitForEvents: async (count) => {
      await waitForRecord(() => records.filter((item) => item.type === "event").length >= count);
    },
    waitForRecord,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Masks what changes between runs (ANSI, ids, times, ports, temp paths, durations) for output assertions. */
export function mask(text: string): string {
  return text
    .replace(/\u001b\[[0-9;]*m/g, "")
    .replace(/\b[0-9A-HJKMNP-TV-Z]{26}\b/g, "<id>")
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?Z?/g, "<time>")
    .replace(/\b\d{2}:\d{2}:\d{2}\b/g, "<clock>")
    .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:<port>")
    .replace(/localhost:\d+/g, "localhost:<port>")
    .replace(/\/tmp\/[^\s"]+/g, "<tmp>")
    .replace(/\b\d+(\.\d+)? ms\b/g, "<n> ms");
}
