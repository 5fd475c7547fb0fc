import { chmodSync, existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, startListen } from "../helpers/cli.js";
import { runProgram } from "../helpers/program.js";
import { tempDir } from "../helpers/temp-dir.js";

const mode = (file: string) => statSync(file).mode & 0o777;
const NOBODY = 65534;
const runningAsRoot = process.getuid?.() === 0;

// listen, and the reads as another user, are spawned; the commands that read the store as its owner run the program in
// process.

/** A store filled the way users fill it: `listen`, and a request carrying credentials. */
async function captureWithCredentials(db: string, whileRunning?: () => void): Promise<void> {
  const listen = await startListen(["--no-tunnel"], { HOOKTAPE_DB: db });
  try {
    const answer = await fetch(`${listen.ready.url}/hooks/orders?x=1`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk_live_private", cookie: "session=abc123" },
      body: JSON.stringify({ order: "n°42", total: "12,50 €" }, null, 2),
    });
    expect(answer.status).toBe(200);
    await listen.waitForEvents(1);
    whileRunning?.();
  } finally {
    await listen.stop();
  }
}

describe("the store is private to its owner", () => {
  it("folder 0700, database, -wal and -shm 0600 under umask 022", async () => {
    const previous = process.umask(0o022);
    try {
      const dir = tempDir();
      const db = path.join(dir, ".hooktape", "hooktape.db");
      await captureWithCredentials(db, () => {
        // While listen runs, the WAL files exist: they carry the same bodies and headers.
        expect(mode(`${db}-wal`)).toBe(0o600);
        expect(mode(`${db}-shm`)).toBe(0o600);
      });
      expect(mode(path.join(dir, ".hooktape"))).toBe(0o700);
      expect(mode(db)).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it("events export --out writes 0600 with credentials redacted unless --include-credentials", async () => {
    const dir = tempDir();
    const db = path.join(dir, "store", "hooktape.db");
    await captureWithCredentials(db);

    const out = path.join(dir, "export.ndjson");
    const exported = await runProgram(["--db", db, "events", "export", "--out", out]);
    expect(exported.code).toBe(0);
    expect(mode(out)).toBe(0o600);
    const text = readFileSync(out, "utf8");
    expect(text).not.toContain("sk_live_private");
    expect(text).not.toContain("abc123");
    const event = JSON.parse(text.trim()) as { headers: Array<[string, string]>; body: string };
    expect(event.headers).toContainEqual(["authorization", "[redacted]"]);
    expect(event.body).toContain("12,50 €");

    const toStdout = await runProgram(["--db", db, "events", "export"]);
    expect(toStdout.stdout).not.toContain("sk_live_private");

    const full = await runProgram(["--db", db, "events", "export", "--include-credentials"]);
    expect(full.code).toBe(0);
    expect(full.stdout).toContain("session=abc123");
    // Authorization is a token scheme's header (Okta, the Basic-auth senders, Teams, the JWT senders): like every
    // such header it is redacted before it is stored, so no flag can export it.
    expect(full.stdout).not.toContain("sk_live_private");

    // An existing file is not replaced without --force.
    const again = await runProgram(["--db", db, "events", "export", "--out", out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; pass --force/);
  });
});

describe("reading is not writing", () => {
  it.each([["ls"], ["events", "list"], ["events", "show", "01JD3XK2AAAAAAAAAAAAAAAAAA"], ["events", "export"]])(
    "%j on a missing store: 'no such store', exit 2, nothing created",
    async (...args) => {
      const dir = tempDir();
      const db = path.join(dir, "typo.db");
      const result = await runProgram(["--db", db, ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(`hooktape: no such store: ${db} (capture with \`hooktape listen\`, or pass --db)`);
      expect(existsSync(db)).toBe(false);
      expect(existsSync(dir + "/typo.db-wal")).toBe(false);
    },
  );

  it.skipIf(!runningAsRoot)("another user can list a store shared read-only with them, and the file is not changed", async () => {
    const dir = tempDir();
    const folder = path.join(dir, "shared");
    const db = path.join(folder, "hooktape.db");
    await captureWithCredentials(db);
    // The owner shares it read-only: the database readable, the folder open (SQLite puts -shm there).
    chmodSync(dir, 0o755);
    chmodSync(folder, 0o777);
    chmodSync(db, 0o644);
    const before = readFileSync(db);
    const listed = await runCliAs(NOBODY, ["--db", db, "--json", "events", "list"]);
    expect(listed.stderr).toBe("");
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it.skipIf(!runningAsRoot)("a store in a folder the reader cannot write: one clear line, exit 3", async () => {
    const dir = tempDir();
    const folder = path.join(dir, "locked");
    const db = path.join(folder, "hooktape.db");
    await captureWithCredentials(db);
    chmodSync(dir, 0o755);
    chmodSync(folder, 0o755);
    chmodSync(db, 0o644);
    const listed = await runCliAs(NOBODY, ["--db", db, "events", "list"]);
    expect(listed.code).toBe(3);
    expect(listed.stderr.trim()).toMatch(/^hooktape: Cannot read .*hooktape\.db: its folder is not writable/);
  });
});

/** The CLI as another local user: needs root to switch users (CI runs as root), so those tests skip elsewhere. */
function runCliAs(uid: number, args: string[]) {
  return runCli(args, { uid, gid: uid });
}
