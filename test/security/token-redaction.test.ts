import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, startListen } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const TOKEN = "glpat-token-that-is-the-secret-7f3a9c";

/** Every byte SQLite holds for the store: the database and, while it is open, its WAL and shared memory. */
function storeBytes(db: string): Buffer {
  return Buffer.concat([db, `${db}-wal`, `${db}-shm`].filter((file) => existsSync(file)).map((file) => readFileSync(file)));
}

describe("a token scheme's header is never stored, on any path", () => {
  it("413, misdetected and detected requests: the token is forwarded-only, absent from the db and the WAL", async () => {
    const dir = tempDir();
    const db = path.join(dir, "h.db");
    const listen = await startListen(["--no-tunnel", "--max-body", "1kb"], { HOOKTAPE_DB: db, HOOKTAPE_SECRET_GITLAB: TOKEN });
    try {
      const body = JSON.stringify({ object_kind: "push", project: { name: "Café ☕" } }, null, 2);
      // 1. Too large: rejected before any verification.
      const tooLarge = await fetch(`${listen.ready.url}/gitlab`, {
        method: "POST",
        headers: { "x-gitlab-token": TOKEN, "x-gitlab-event": "Push Hook", "content-type": "application/json" },
        body: "x".repeat(4096),
      });
      expect(tooLarge.status).toBe(413);
      // 2. Detected as GitHub (its signature header comes first), yet carrying GitLab's token.
      await fetch(`${listen.ready.url}/mixed`, {
        method: "POST",
        headers: { "x-hub-signature-256": "sha256=00", "x-github-event": "push", "x-gitlab-token": TOKEN, "content-type": "application/json" },
        body,
      });
      // 3. An ordinary GitLab delivery.
      const ordinary = await fetch(`${listen.ready.url}/gitlab`, {
        method: "POST",
        headers: { "X-Gitlab-Token": TOKEN, "X-Gitlab-Event": "Push Hook", "content-type": "application/json" },
        body,
      });
      expect(ordinary.status).toBe(200);
      await listen.waitForEvents(3);
      const events = listen.records.filter((record) => record.type === "event") as Array<{ provider: string | null; rejected: string | null }>;
      expect(events.map((event) => [event.provider, event.rejected])).toEqual([
        [null, "too_large"],
        ["github", null],
        ["gitlab", null],
      ]);
      expect(storeBytes(db).includes(TOKEN)).toBe(false);
    } finally {
      await listen.stop();
    }
    expect(storeBytes(db).includes(TOKEN)).toBe(false);
    const shown = await runCli(["--db", db, "--json", "events", "export", "--include-credentials"]);
    expect(shown.stdout).not.toContain(TOKEN);
    expect(shown.stdout.match(/"x-gitlab-token",\s*"\[redacted\]"/gi)).toHaveLength(3);
  });
});
