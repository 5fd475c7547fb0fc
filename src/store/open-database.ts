import { mkdirSync, existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { HooktapeError } from "../core/errors.js";
import { MIGRATIONS } from "./schema.js";

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the SQLite file: WAL so that readers never block the capture, and a busy
 * timeout so that several hooktape processes can share one file. A file that is not SQLite, or is
 * corrupt, is reported (exit 3) and left untouched: nothing is written before the header is read.
 */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): SqliteDatabase {
  const folder = path.dirname(path.resolve(file));
  if (!options.readonly) ensureDataFolder(folder);

  let db: SqliteDatabase;
  try {
    db = new Database(file, { fileMustExist: options.readonly === true, readonly: options.readonly === true });
  } catch (error) {
    throw databaseError(file, error);
  }
  try {
    db.pragma("busy_timeout = 5000");
    // Reading the version touches the file header first: a non-SQLite file fails here, before any write.
    const version = Number(db.pragma("user_version", { simple: true }));
    if (!options.readonly) {
      db.pragma("journal_mode = WAL");
      // WAL with synchronous=NORMAL: a killed process loses no committed event; only an OS crash or power
      // loss may lose the last transactions (https://www.sqlite.org/pragma.html#pragma_synchronous).
      db.pragma("synchronous = NORMAL");
      db.pragma("foreign_keys = ON");
      migrate(db, version);
    } else if (version < OLDEST_READABLE_SCHEMA) {
      throw new HooktapeError("db_unavailable", `The database ${file} is older than this hooktape; open it once without read-only access`);
    }
    return db;
  } catch (error) {
    db.close();
    throw databaseError(file, error);
  }
}

/**
 * The oldest schema this hooktape's queries can read without migrating it: read-only commands open older files
 * as they are (migration 2 only changed an index), and the next writer brings them forward.
 */
const OLDEST_READABLE_SCHEMA = 1;

function migrate(db: SqliteDatabase, from: number): void {
  if (from > MIGRATIONS.length) {
    throw new HooktapeError(
      "db_unavailable",
      `The database was written by a newer hooktape (schema ${from}, this one knows ${MIGRATIONS.length}); upgrade hooktape`,
    );
  }
  if (from === MIGRATIONS.length) return;
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
    mkdirSync(folder, { recursive: true });
    if (path.basename(folder) === ".hooktape") writeFileSync(path.join(folder, ".gitignore"), "*\n");
  } catch (error) {
    throw new HooktapeError("db_unavailable", `Cannot create the folder ${folder} for the database: ${describe(error)}`);
  }
}

function databaseError(file: string, error: unknown): HooktapeError {
  if (error instanceof HooktapeError) return error;
  const code = (error as { code?: string }).code ?? "";
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT" || /not a database|malformed/i.test(describe(error))) {
    return new HooktapeError(
      "db_corrupt",
      `${file} is not a hooktape database or is corrupt (${describe(error)}); it was left untouched — pass another --db`,
    );
  }
  if (code === "SQLITE_BUSY") {
    return new HooktapeError("db_unavailable", `The database ${file} is locked by another process; try again`);
  }
  return new HooktapeError("db_unavailable", `Cannot open the database ${file}: ${describe(error)}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
