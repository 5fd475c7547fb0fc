import { spawn } from "node:child_process";
import { withoutSecrets } from "../core/child-env.js";

export interface ShellHookResult {
  /** The exit code, or null when killed (by timeout or signal). */
  code: number | null;
  timedOut: boolean;
  error: string | null;
}

export interface RunningShellHook {
  done: Promise<ShellHookResult>;
  /** Ends it early (listen is stopping while `--on-url` still runs). */
  stop(): void;
}

/**
 * Runs `--on-url` / `--on-exit` through the shell, as the user typed it, with `HOOKTAPE_PUBLIC_URL` set and without
 * hooktape's secrets. Its output goes to hooktape's stderr, so that `--json` keeps stdout to NDJSON. Bounded by
 * `timeoutMs`: a hung script must not keep listen from stopping.
 */
export function runShellHook(
  command: string,
  options: { publicUrl: string | null; env: NodeJS.ProcessEnv; timeoutMs: number; stderr?: NodeJS.WritableStream },
): RunningShellHook {
  let stop = () => {};
  const done = new Promise<ShellHookResult>((resolve) => {
    const child = spawn(command, {
      shell: true,
      // Its own process group, so that stopping it stops what the script started too (a `sleep`, a `curl`),
      // which would otherwise hold the output pipes open.
      detached: process.platform !== "win32",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...withoutSecrets(options.env), HOOKTAPE_PUBLIC_URL: options.publicUrl ?? "" },
    });
    const stderr = options.stderr ?? process.stderr;
    child.stdout.on("data", (chunk: Buffer) => stderr.write(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.write(chunk));
    const kill = () => {
      if (child.pid === undefined) return;
      try {
        if (process.platform === "win32") child.kill("SIGTERM");
        else process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    stop = kill;
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, timedOut: false, error: error.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, error: null });
    });
  });
  return { done, stop: () => stop() };
}
