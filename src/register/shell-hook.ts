import { spawn } from "node:child_process";
import { secretFreeEnv } from "../core/child-env.js";

export interface ShellHookResult {
  /** The exit code, or null when killed (by timeout or signal). */
  code: number | null;
  timedOut: boolean;
  error: string | null;
}

/**
 * Runs `--on-url` / `--on-exit` through the shell, as the user typed it, with `HOOKTAPE_PUBLIC_URL` set and without
 * hooktape's secrets. Its output goes to hooktape's stderr, so that `--json` keeps stdout to NDJSON. Bounded by
 * `timeoutMs`: a hung script must not keep listen from stopping.
 */
export function runShellHook(
  command: string,
  options: { publicUrl: string | null; env: NodeJS.ProcessEnv; timeoutMs: number; stderr?: NodeJS.WritableStream },
): Promise<ShellHookResult> {
  return new Promise((resolve) => {
    const child = spawn(command, {
      shell: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: secretFreeEnv(options.env, { HOOKTAPE_PUBLIC_URL: options.publicUrl ?? "" }),
    });
    const stderr = options.stderr ?? process.stderr;
    child.stdout.on("data", (chunk: Buffer) => stderr.write(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.write(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, timedOut: false, error: error.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, error: null });
    });
  });
}
