import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, startListen } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

function storeBytes(db: string): Buffer {
  return Buffer.concat([db, `${db}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file)));
}

describe("events prune really deletes", () => {
  it("after pruning every event, no body and no id is left in the file, and the file shrinks", async () => {
    const dir = tempDir();
    const db = path.join(dir, "h.db");
    const listen = await startListen(["--no-tunnel"], { HOOKTAPE_DB: db });
    try {
      for (let i = 0; i < 25; i++) {
        // Shaped like Twilio's status callbacks: form-encoded, with a recognisable phone number, padded to ~80 KB.
        const body = new URLSearchParams({
          AccountSid: "AC0000000000000000000000000000beef",
          MessageStatus: "delivered",
          To: "+15558675309",
          Body: `Votre code est ${i} — ${"ü".repeat(40_000)}`,
        }).toString();
        const answer = await fetch(`${listen.ready.url}/twilio/status`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "c2lnbmF0dXJl" },
          body,
        });
        expect(answer.status).toBe(200);
      }
      await listen.waitForEvents(25);
    } finally {
      await listen.stop();
    }
    const ids = listen.records.filter((record) => record.type === "event").map((record) => String(record.id));
    const before = storeBytes(db);
    expect(before.includes("15558675309")).toBe(true);
    expect(before.includes(ids[0] as string)).toBe(true);

    const pruned = await runCli(["--db", db, "--json", "events", "prune", "--older-than", "0s"]);
    expect(pruned.code).toBe(0);
    const report = JSON.parse(pruned.stdout) as { deleted: number; bytesBefore: number; bytesAfter: number; freedBytes: number; compacted: boolean };
    expect(report.deleted).toBe(25);
    expect(report.compacted).toBe(true);
    expect(report.bytesAfter).toBeLessThan(report.bytesBefore / 10);
    expect(report.freedBytes).toBe(report.bytesBefore - report.bytesAfter);

    const after = storeBytes(db);
    expect(after.includes("15558675309")).toBe(false);
    expect(after.includes("AC0000000000000000000000000000beef")).toBe(false);
    for (const id of ids) expect(after.includes(id)).toBe(false);
    expect(statSync(db).size).toBe(report.bytesAfter - (existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0));

    const human = await runCli(["--db", db, "events", "prune", "--older-than", "0s"]);
    expect(human.stdout).toMatch(/^Deleted 0 events received before .*; the store went from .* to .* \(.* freed\)\.\n$/);
  });
});
