import { Readable } from "node:stream";
import { main } from "../../src/cli/main.js";
import type { CliResult } from "./cli.js";

/**
 * Runs the real commander program, and the one place that maps its errors to exit codes, in this process: the same
 * argv, stdout, stderr and exit code a user gets from `hooktape …`, without starting Node again (0.3–0.7 s a spawn on
 * two loaded cores). For what the program decides: arguments, usage errors, messages, output.
 *
 * What belongs to the process stays with `runCli` (a spawned CLI): signals and Ctrl-C, a terminal, start-up, the
 * installed bin, anything that keeps running (listen, the inspector), and EPIPE handling.
 *
 * stdout, stderr, stdin, process.exitCode and the env variables given are swapped for the run and put back after;
 * runs are queued, one at a time, as they share those globals.
 */
export function runProgram(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string | Buffer } = {},
): Promise<CliResult> {
  const run = queue.then(() => runOnce(args, options));
  queue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

let queue: Promise<void> = Promise.resolve();

async function runOnce(args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string | Buffer }): Promise<CliResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const restoreEnv = setEnv({ NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env });
  const restoreStdout = capture(process.stdout, out);
  const restoreStderr = capture(process.stderr, err);
  const restoreStdin = replaceStdin(options.input);
  const exitCodeBefore = process.exitCode;
  process.exitCode = undefined;
  let code: number;
  try {
    code = await main([process.execPath, "hooktape", ...args]);
  } finally {
    process.exitCode = exitCodeBefore;
    restoreStdin();
    restoreStderr();
    restoreStdout();
    restoreEnv();
  }
  const stdoutBytes = Buffer.concat(out);
  return { code, stdout: stdoutBytes.toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), stdoutBytes };
}

function capture(stream: NodeJS.WriteStream, into: Buffer[]): () => void {
  const original = Object.getOwnPropertyDescriptor(stream, "write");
  const write = (chunk: string | Uint8Array, encodingOrDone?: BufferEncoding | (() => void), done?: () => void): boolean => {
    into.push(typeof chunk === "string" ? Buffer.from(chunk, typeof encodingOrDone === "string" ? encodingOrDone : "utf8") : Buffer.from(chunk));
    const callback = typeof encodingOrDone === "function" ? encodingOrDone : done;
    if (callback) process.nextTick(callback);
    return true;
  };
  Object.defineProperty(stream, "write", { configurable: true, writable: true, value: write });
  return () => {
    if (original) Object.defineProperty(stream, "write", original);
    else delete (stream as { write?: unknown }).write;
  };
}

/** A piped stdin holding `input` (empty when none), as `runCli` gives the spawned CLI. */
function replaceStdin(input: string | Buffer | undefined): () => void {
  const original = Object.getOwnPropertyDescriptor(process, "stdin");
  const stdin = Readable.from(input === undefined ? [] : [Buffer.from(input)]);
  Object.defineProperty(process, "stdin", { configurable: true, enumerable: true, get: () => stdin });
  return () => {
    if (original) Object.defineProperty(process, "stdin", original);
  };
}

function setEnv(values: NodeJS.ProcessEnv): () => void {
  const before = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(values)) {
    before.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of before) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
