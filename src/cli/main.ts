import { CommanderError } from "commander";
import { HooktapeError } from "../core/errors.js";
import { KeyFormatError } from "../providers/types.js";
import { buildProgram } from "./program/build-program.js";
import { printable } from "./views/printable.js";

/**
 * The one place that turns errors into a message and an exit code (0 ok, 1 negative result, 2 bad usage or input,
 * 3 environment). Commands throw; nothing else calls process.exit. Free of side effects on import, so that tests run
 * the real program in process; src/cli/index.ts is the executable that calls it.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: "node" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its one-line message; help and --version are not errors.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return 0;
    return 2;
  }
  if (error instanceof HooktapeError) {
    process.stderr.write(`hooktape: ${printable(error.message)}\n`);
    return error.exitCode;
  }
  if (error instanceof KeyFormatError) {
    process.stderr.write(`hooktape: ${printable(error.message)}\n`);
    return 2;
  }
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === "string" && code.startsWith("SQLITE_")) {
    process.stderr.write(`hooktape: database error (${code}): ${printable(message)}\n`);
    return 3;
  }
  process.stderr.write(`hooktape: unexpected error: ${printable(message)}${process.env.HOOKTAPE_DEBUG ? "" : " (set HOOKTAPE_DEBUG=1 for details)"}\n`);
  if (process.env.HOOKTAPE_DEBUG && error instanceof Error && error.stack) process.stderr.write(error.stack + "\n");
  return 3;
}
