import { constants, closeSync, fstatSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { newToken } from "./security.js";

/**
 * The inspector's token is kept per store, in a file beside it (`<store>.inspector-token`, 0600), so that a tab
 * opened on one run keeps working after `ui` or `listen --ui` is restarted on the same port and store. A file that
 * another user could read, or that is not a plain file of ours, is never trusted: it is replaced.
 */
export interface StoreToken {
  token: string;
  /** Where it is kept; null when it could not be written (the token then lasts for this run only). */
  file: string | null;
  /** What a person should know: the token was made anew, replaced, or could not be kept. */
  note: string | null;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function tokenFileOf(storeFile: string): string {
  return `${storeFile}.inspector-token`;
}

/** The store's token, made on first use; `renew` replaces it (every tab opened with the old one is locked out). */
export function storeToken(storeFile: string, options: { renew?: boolean } = {}): StoreToken {
  const file = tokenFileOf(storeFile);
  try {
    if (options.renew) {
      const token = newToken();
      replaceFile(file, token);
      return { token, file, note: "made a new inspector token: tabs opened with the old one need the new URL" };
    }
    const existing = readTokenFile(file);
    if (existing.token !== null) return { token: existing.token, file, note: null };
    const token = newToken();
    if (existing.problem === "missing") {
      // Two processes starting on one store at once agree on whichever token was written first.
      const winner = createFile(file, token);
      return { token: winner, file, note: null };
    }
    replaceFile(file, token);
    return { token, file, note: `replaced ${file}: ${existing.problem}` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { token: newToken(), file: null, note: `cannot keep the inspector token beside the store (${code}): after a restart, open the new URL` };
  }
}

type Reading = { token: string; problem: null } | { token: null; problem: string };

function readTokenFile(file: string): Reading {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { token: null, problem: "missing" };
    if (code === "ELOOP") return { token: null, problem: "it was a symbolic link" };
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { token: null, problem: "it was not a plain file" };
    if (process.getuid !== undefined && stat.uid !== process.getuid()) return { token: null, problem: "another user owned it" };
    if ((stat.mode & 0o077) !== 0) return { token: null, problem: "other users could read it" };
    const token = readFileSync(fd, "utf8").trim();
    return TOKEN_SHAPE.test(token) ? { token, problem: null } : { token: null, problem: "it did not hold a token" };
  } finally {
    closeSync(fd);
  }
}

function writeTemporary(file: string, token: string): string {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temporary, `${token}\n`, { mode: 0o600, flag: "wx" });
  return temporary;
}

/** Creates the file whole or not at all; when another process made it first, its token is the one. */
function createFile(file: string, token: string): string {
  const temporary = writeTemporary(file, token);
  try {
    linkSync(temporary, file);
    return token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const theirs = readTokenFile(file);
    if (theirs.token !== null) return theirs.token;
    renameSync(temporary, file);
    return token;
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // renamed into place
    }
  }
}

/** Replaces the file (or a link in its place) in one rename: never a moment with a partial token. */
function replaceFile(file: string, token: string): void {
  renameSync(writeTemporary(file, token), file);
}
