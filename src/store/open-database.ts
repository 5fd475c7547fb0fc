import { closeSync, constants, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Database from "better-sqlite3";
import { HooktapeError } from "../core/errors.js";
import { MIGRATIONS } from "./schema.js";

export type SqliteDatabase = Database.Database;

// SQLite reads the first 256 MiB of the file through a memory map instead of one read() per page: reading 5,000
// events of 2 KB for a replay cost 147 ms of CPU in a fresh process, 71 ms with the map. Only reads: better-sqlite3's
// SQLite is built without SQLITE_MMAP_READWRITE, so it writes with write() as before and a stray pointer cannot reach
// the file.
const MMAP_BYTES = 256 * 1024 * 1024;

/**
 * Opens (creating if needed) the SQLite file: WAL so that readers never block the capture, and a busy
 * timeout so that several hooktape processes can share one file. A file that is not SQLite, or is
 * corrupt, is reported (exit 3) and left untouched: nothing is written before the header is read.
 *
 * The store holds whole request bodies and headers, so it is private to its owner: the folder is created 0700
 * and the file 0600 before SQLite opens it; SQLite gives the -wal and -shm files the database file's mode.
 * `readonly`: for commands that only read; the file must exist ("no such store", exit 2) and is never created.
 */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): SqliteDatabase {
  const folder = path.dirname(path.resolve(file));
  let created = false;
  if (options.readonly) {
    if (!existsSync(file)) throw new HooktapeError("not_found", `no such store: ${file} (capture with \`hooktape listen\`, or pass --db)`);
  } else {
    ensureDataFolder(folder);
    created = createPrivateFile(file);
  }

  let db: SqliteDatabase;
  try {
    db = new Database(file, { fileMustExist: options.readonly === true, readonly: options.readonly === true });
  } catch (error) {
    // Leave nothing behind for a store that could not be opened (e.g. the native module is missing).
    if (created) rmSync(file, { force: true });
    throw databaseError(file, error);
  }
  try {
    db.pragma("busy_timeout = 5000");
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    // Reading the version touches the file header first: a non-SQLite file fails here, before any write.
    const version = Number(db.pragma("user_version", { simple: true }));
    if (!options.readonly) {
      db.pragma("journal_mode = WAL");
      // WAL with synchronous=NORMAL: a killed process loses no committed event; only an OS crash or power
      // loss may lose the last transactions (https://www.sqlite.org/pragma.html#pragma_synchronous).
      db.pragma("synchronous = NORMAL");
      db.pragma("foreign_keys = ON");
      // Deleted rows are overwritten with zeros, not merely unlinked: a pruned body must not stay readable in the
      // file's free pages (cost measured in bench/secure-delete.bench.mjs).
      db.pragma("secure_delete = ON");
      migrate(db, version);
    } else if (version < MIGRATIONS.length) {
      // Older than this hooktape's queries: brought forward once by a short write, then read as asked.
      db.close();
      bringForward(file);
      return openDatabase(file, options);
    }
    return db;
  } catch (error) {
    db.close();
    throw databaseError(file, error);
  }
}

/**
 * A read-only command met a store written by an older hooktape: its schema is brought forward by a connection that
 * writes, once (the next read-only open finds it current). A file this user cannot write stays as it is: exit 3.
 */
function bringForward(file: string): void {
  let db: SqliteDatabase;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch {
    throw notUpgradable(file);
  }
  try {
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma("secure_delete = ON");
    migrate(db, Number(db.pragma("user_version", { simple: true })));
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_READONLY") {
      throw notUpgradable(file);
    }
    throw error;
  } finally {
    db.close();
  }
}

function notUpgradable(file: string): HooktapeError {
  return new HooktapeError(
    "db_unavailable",
    `The database ${file} is older than this hooktape and cannot be upgraded here (not writable); run a command that writes (hooktape listen) where it is writable`,
  );
}

const require = createRequire(import.meta.url);
type StoredEventType = (provider: string, headers: string, body: Buffer | null) => string | null;

/**
 * `hooktape_event_type(provider, headers, body)` for the migration that added event types: the provider's own rule
 * over a stored event. The catalogue is loaded on the first call only, so opening a current store costs nothing.
 */
function registerEventTypeFunction(db: SqliteDatabase): void {
  let storedEventType: StoredEventType | null = null;
  db.function("hooktape_event_type", { deterministic: true }, (provider: unknown, headers: unknown, body: unknown) => {
    if (typeof provider !== "string" || typeof headers !== "string") return null;
    storedEventType ??= (require("../providers/stored-event-type.js") as { storedEventType: StoredEventType }).storedEventType;
    return storedEventType(provider, headers, Buffer.isBuffer(body) ? body : null);
  });
}

function migrate(db: SqliteDatabase, from: number): void {
  if (from > MIGRATIONS.length) {
    throw new HooktapeError(
      "db_unavailable",
      `The database was written by a newer hooktape (schema ${from}, this one knows ${MIGRATIONS.length}); upgrade hooktape`,
    );
  }
  if (from === MIGRATIONS.length) return;
  registerEventTypeFunction(db);
  // BEGIN IMMEDIATE: two processes opening a fresh file at once must not both run the migrations.
  db.transaction(() => {
    const current = Number(db.pragma("user_version", { simple: true }));
    for (let i = current; i < MIGRATIONS.length; i++) db.exec(MIGRATIONS[i] ?? "");
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

/** The data folder gets a `.gitignore` of `*` on creation, so captured payloads are never committed by accident. */
function ensureDataFolder(folder: string): void {
  if (existsSync(folder)) return;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (path.basename(folder) === ".hooktape") writeFileSync(path.join(folder, ".gitignore"), "*\n");
  } catch (error) {
    throw new HooktapeError("db_unavailable", `Cannot create the folder ${folder} for the database: ${describe(error)}`);
  }
}

/**
 * Creates an empty database file with mode 0600 unless one exists (true when it did); SQLite then writes its header
 * into it and gives the -wal and -shm files the same mode.
 */
function createPrivateFile(file: string): boolean {
  try {
    closeSync(openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600));
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EEXIST") return false;
    throw new HooktapeError("db_unavailable", `Cannot create the database ${file}: ${code ?? describe(error)}`);
  }
}

function databaseError(file: string, error: unknown): HooktapeError {
  if (error instanceof HooktapeError) return error;
  const binding = nativeModuleProblem(error);
  if (binding !== null) return binding;
  const code = (error as { code?: string }).code ?? "";
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT" || /not a database|malformed/i.test(describe(error))) {
    return new HooktapeError(
      "db_corrupt",
      `${file} is not a hooktape database or is corrupt (${describe(error)}); it was left untouched — pass another --db`,
    );
  }
  if (code === "SQLITE_READONLY_DIRECTORY") {
    // A WAL database is read through its -shm file; SQLite must be able to create it beside the database.
    return new HooktapeError(
      "db_unavailable",
      `Cannot read ${file}: its folder is not writable and SQLite needs to create ${path.basename(file)}-shm there; copy the file somewhere writable`,
    );
  }
  if (code === "SQLITE_BUSY") {
    return new HooktapeError("db_unavailable", `The database ${file} is locked by another process; try again`);
  }
  return new HooktapeError("db_unavailable", `Cannot open the database ${file}: ${describe(error)}`);
}

/**
 * better-sqlite3's compiled module is missing (npm skipped its install script: `--ignore-scripts`, or npm 11's
 * allowScripts policy in a project that has not approved it) or was built for another Node.js. That is not the
 * database's fault: one line that says how to fix it, instead of the 14 paths `bindings` tried.
 */
function nativeModuleProblem(error: unknown): HooktapeError | null {
  const message = describe(error);
  if (/Could not locate the bindings file|better_sqlite3\.node/.test(message)) {
    const rebuild = /NODE_MODULE_VERSION/.test(message) ? "it was built for another Node.js version" : "its install script did not run";
    return new HooktapeError(
      "environment",
      `better-sqlite3's native module is missing (${rebuild}); run \`npm rebuild better-sqlite3\` (in a project that depends on hooktape, first \`npm install-scripts approve better-sqlite3\`)`,
    );
  }
  return null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
