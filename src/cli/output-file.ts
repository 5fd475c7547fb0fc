import { closeSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { badInput } from "../core/errors.js";

export interface OutputFileOptions {
  /** `--force`: replace an existing regular file. */
  force?: boolean | undefined;
  /** A report a run rewrites each time (`--junit`): an existing regular file is replaced without `--force`. */
  report?: boolean;
  /** The file's mode; default 0o600, since what hooktape writes holds captured payloads or what was sent. */
  mode?: number;
  /** The flag that named the file, for messages (`--out`, `--junit`). */
  flag: string;
}

/**
 * The one way a command writes a file the user named: a new file, or with `--force` (or for a report) a replaced
 * regular file, and never through a symlink at the destination (O_NOFOLLOW, so another local user's link to
 * ~/.bashrc cannot redirect the write). The file ends up with `mode` (0600 by default) whatever the umask, and a
 * replaced file too: a fixture, an export or a report holds captured payloads. A missing folder is created (0700
 * when the file is private), so a run's result is not lost to `--junit reports/check.xml`. Errors are one line, exit 2.
 */
export function writeOutputFile(file: string, data: string | Buffer, options: OutputFileOptions): void {
  const mode = options.mode ?? 0o600;
  const replace = options.force === true || options.report === true;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: mode & 0o044 ? 0o755 : 0o700 });
  } catch (error) {
    throw badInput(`Cannot create the folder of ${options.flag} ${file}: ${(error as { code?: string }).code ?? String(error)}`);
  }
  if (replace) {
    let isLink = false;
    try {
      isLink = lstatSync(file).isSymbolicLink();
    } catch {
      // No file yet: written below.
    }
    if (isLink) throw badInput(`${file} is a symbolic link; refusing to write through it (${options.flag})`);
  }
  const flags =
    constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | (replace ? constants.O_TRUNC : constants.O_EXCL);
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

/** Checked before a long run, so that its result is not lost at the end: the destination must not be a symlink. */
export function refuseSymlinkDestination(file: string, flag: string): void {
  let isLink = false;
  try {
    isLink = lstatSync(file).isSymbolicLink();
  } catch {
    // Nothing there yet.
  }
  if (isLink) throw badInput(`${file} is a symbolic link; refusing to write through it (${flag})`);
}
