import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { HooktapeError } from "./errors.js";

/** The user's hooktape folder: `$XDG_CONFIG_HOME/hooktape`, else `~/.config/hooktape`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  // Relative XDG values are invalid and must be ignored (XDG base-directory spec).
  if (xdg && isAbsolute(xdg)) return join(xdg, "hooktape");
  return join(env.HOME || homedir(), ".config", "hooktape");
}

/** A JSON file of the config folder, parsed; undefined when there is none. An unreadable or broken file is an environment error naming it. */
export function readConfigJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new HooktapeError("environment", `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HooktapeError("environment", `${file} is not valid JSON; fix or remove it`);
  }
}

/**
 * Writes `value` as indented JSON to a file only its owner can read, in a folder only its owner can enter (0700,
 * made so even if it was wider), through a temporary file and a rename, so that a reader never sees half a file.
 * A failure is an environment error naming the file.
 */
export function writePrivateJsonFile(file: string, value: unknown): void {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(value, null, 2) + "\n", { mode: 0o600 });
    chmodSync(partial, 0o600);
    renameSync(partial, file);
  } catch (error) {
    throw new HooktapeError("environment", `Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
