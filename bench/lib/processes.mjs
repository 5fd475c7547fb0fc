// Starting and stopping the processes a benchmark drives: each server runs in its own process and says it is
// ready with one JSON line on stdout.
import { spawn } from "node:child_process";
import { openSync, closeSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";

/**
 * Spawns `node <script> ...args` and resolves with the first stdout line parsed as JSON (e.g. `{"port":N}`).
 * The child's stderr is kept (last 4 KB) for error messages.
 */
export function spawnService(script, args = [], { readyTimeoutMs = 10_000, env = process.env } = {}) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4096);
  });
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => fail(new Error(`${script} did not report ready within ${readyTimeoutMs} ms`)), readyTimeoutMs);
    function fail(error) {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${error.message}${stderr ? `\n${stderr}` : ""}`));
    }
    child.once("error", fail);
    child.once("exit", (code, signal) => fail(new Error(`${script} exited early (${signal ?? code})`)));
    child.stdout.on("data", function onData(chunk) {
      buffered += chunk;
      const newline = buffered.indexOf("\n");
      if (newline < 0) return;
      child.stdout.off("data", onData);
      child.removeAllListeners("exit");
      child.removeAllListeners("error");
      clearTimeout(timer);
      // Keep draining so that the child can never block on a full pipe.
      child.stdout.resume();
      try {
        resolve({ child, ready: JSON.parse(buffered.slice(0, newline)), stderr: () => stderr });
      } catch (error) {
        fail(new Error(`${script} printed a ready line that is not JSON: ${buffered.slice(0, newline)}`));
      }
    });
  });
}

/**
 * Spawns a command whose stdout goes to `stdoutFile` (a file write costs the child no more than a terminal, and
 * costs the benchmark's own process nothing), then polls that file until a line satisfies `isReady`.
 */
export async function spawnToFile(command, args, { stdoutFile, stderrFile, isReady, readyTimeoutMs = 20_000, env = process.env }) {
  const out = openSync(stdoutFile, "w");
  const err = openSync(stderrFile, "w");
  const child = spawn(command, args, { stdio: ["ignore", out, err], env });
  closeSync(out);
  closeSync(err);
  let exited = null;
  child.once("exit", (code, signal) => {
    exited = signal ?? code;
  });
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    const lines = readFileSync(stdoutFile, "utf8").split("\n");
    for (const line of lines) {
      const ready = isReady(line);
      if (ready) return { child, ready };
    }
    if (exited !== null) {
      throw new Error(`${args.join(" ")} exited (${exited}) before it was ready:\n${readFileSync(stderrFile, "utf8").slice(-4096)}`);
    }
    // Polling a file: the child's readiness has no other signal we can wait on without reading its stdout ourselves.
    await delay(25);
  }
  child.kill("SIGKILL");
  throw new Error(`${args.join(" ")} was not ready within ${readyTimeoutMs} ms:\n${readFileSync(stderrFile, "utf8").slice(-4096)}`);
}

/** Sends `signal`, waits for the exit (SIGKILL after `graceMs`), resolves with the exit code or signal. */
export function stopProcess(child, { signal = "SIGTERM", graceMs = 15_000 } = {}) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", (code, sig) => {
      clearTimeout(timer);
      resolve(code ?? sig);
    });
    child.kill(signal);
  });
}

/** Runs a command to completion, collecting stdout and stderr. */
export function runToEnd(command, args, { env = process.env, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
