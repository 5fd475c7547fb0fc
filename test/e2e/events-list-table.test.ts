import path from "node:path";
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { fixtureFile, shippedSecret } from "../fixtures/shipped-secrets.js";
import { listenSession } from "../helpers/listen-session.js";
import { tempDir } from "../helpers/temp-dir.js";

const session = listenSession();

/** The terminal column at which each of `titles` starts on `line`, found left to right. */
function columnStarts(line: string, cells: readonly string[]): number[] {
  const starts: number[] = [];
  let from = 0;
  for (const cell of cells) {
    const at = line.indexOf(cell, from);
    if (at < 0) throw new Error(`"${cell}" is not in ${JSON.stringify(line)}`);
    starts.push(stringWidth(line.slice(0, at)));
    from = at + cell.length;
  }
  return starts;
}

describe("hooktape ls", () => {
  it("prints a table whose columns line up whatever each row holds, in the order its --help names them", async () => {
    const dir = tempDir();
    const db = path.join(dir, "hooktape.db");
    const handler = await session.target({ kind: "answer", status: 200, body: '{"received":true}' });
    const secrets = {
      HOOKTAPE_SECRET_STRIPE: shippedSecret("stripe").sign,
      HOOKTAPE_SECRET_SHOPIFY: shippedSecret("shopify").sign,
      HOOKTAPE_SECRET_GITHUB: shippedSecret("github").sign,
    };
    const listen = await session.listen(["--no-tunnel", "--db", db, handler.url], secrets);
    // Three deliveries of different shapes through listen (the real producer), then a replay of the last one.
    const sent = await runCli(["send", fixtureFile("stripe"), fixtureFile("shopify"), fixtureFile("github"), "--to", listen.ready.url, "--resign"], { env: secrets });
    expect(sent.code, sent.stderr).toBe(0);
    await listen.waitForEvents(3);
    const replay = await runCli(["replay", "--last", "--db", db, "--to", String(handler.port)]);
    expect(replay.code, replay.stderr).toBe(0);

    const list = await runCli(["ls", "--db", db]);
    expect(list.code, list.stderr).toBe(0);
    const lines = list.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    const [header, ...rows] = lines as [string, ...string[]];

    const help = await runCli(["events", "list", "--help"]);
    const named = help.stdout.split("Columns, in order:\n")[1]?.trim().split("\n").map((line) => line.trim().split(/\s+/)[0] ?? "");
    expect(header.split(/\s{2,}/)).toEqual(named);

    const headerStarts = columnStarts(header, named ?? []);
    // Each row's cells, as the user reads them; every one starts under its column's title.
    const expected = [
      ["POST /webhooks/stripe", "payment_intent.succeeded", "local", "stripe ✓ valid", "200"],
      ["POST /webhooks/shopify", "orders/create", "local", "shopify ✓ valid", "200"],
      ["POST /webhooks/github", "issues.opened", "local", "github ✓ valid", "↻ replay 200"],
    ];
    rows.forEach((row, i) => {
      const starts = columnStarts(row, expected[i] ?? []);
      expect(starts, row).toEqual(headerStarts.slice(1, 6));
    });
    // The id column too: the last cell of every row starts under ID.
    for (const row of rows) expect(stringWidth(row.slice(0, row.search(/[0-9A-Z]{26}$/)))).toBe(headerStarts.at(-1));
  });
});
