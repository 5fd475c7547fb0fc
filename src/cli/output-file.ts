import { closeSync, constants, fchmodSync, lstatSync, openSync, writeSync } from "node:fs";
import { badInput } from "../core/errors.js";

export interface OutputFileOptions {
  /** `--force`: replace an existing regular file. */
  force?: boolean | undefined;
  /** The file's mode; default 0o600, since what hooktape writes holds captured payloads or what was sent. */
  mode?: number;
  /** The flag that named the file, for messages (`--out`, `--junit`). */
  flag: string;
}

/**
 * The one way a command writes a file the user named: a new file, or with `--force` a replaced regular file,
 * and never through a symlink at the destination (O_NOFOLLOW, so another local user's link to ~/.bashrc cannot
 * redirect the write). The file ends up with `mode` (0600 by default) whatever the umask, and a replaced file too:
 * a fixture, an export or a report holds captured payloads. Errors are one line, exit 2.
 */
export function writeOutputFile(file: string, data: string | Buffer, options: OutputFileOptions): void {
  const mode = options.mode ?? 0o600;
  if (options.force) {
    let isLink = false;
    try {
      isLink = lstatSync(file).isSymbolicLink();
    } catch {
      // No file yet: written below.
    }
    if (isLink) throw badInput(`${file} is a symbolic link; refusing to write through it (${options.flag})`);
  }
  const flags =
    constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | (options.force ? constants.O_TRUNC : constants.O_EXCL);
  let fd: number;
  try {
    fd = openSync(file, flags, mode);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EEXIST") throw badInput(`${file} already exists; pass --force to overwrite`);
    if (code === "ELOOP") throw badInput(`${file} is a symbolic link; refusing to write through it (${options.flag})`);
    throw badInput(`Cannot write ${options.flag} ${file}: ${code ?? String(error)}`);
  }
  try {
    // O_CREAT's mode is for a new file only (a replaced file keeps its old mode): set it outright.
    fchmodSync(fd, mode);
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
  } catch (error) {
    throw badInput(`Cannot write ${options.flag} ${file}: ${(error as { code?: string }).code ?? String(error)}`);
  } finally {
    closeSync(fd);
  }
}
