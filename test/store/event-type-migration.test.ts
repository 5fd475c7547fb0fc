// A store written before event types existed: the first hooktape that opens it — even a command that only reads —
// brings it forward, and every recorded event gets the type its provider's rule reads from its stored request.
import Database from "better-sqlite3";
import path from "node:path";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { EventStore } from "../../src/store/index.js";
import { MIGRATIONS } from "../../src/store/schema.js";
import { capturedEvent } from "../helpers/captured-event.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const stripe = new Stripe("sk_test_migration");

/** The store as the hooktape before event types left it: the same rows, without the columns, index and table added since. */
function writtenBeforeEventTypes(file: string): void {
  const db = new Database(file);
  db.exec(`
    DROP INDEX events_event_type;
    ALTER TABLE events DROP COLUMN event_type;
    ALTER TABLE events DROP COLUMN not_forwarded;
    DROP TABLE listen_runs;
  `);
  db.pragma(`user_version = ${MIGRATIONS.length - 1}`);
  db.close();
}

describe("the migration that adds event types", () => {
  it("fills the type of every recorded event from its provider's rule, on the first read-only open", async () => {
    const file = path.join(tempDir(), "old.db");
    const store = new EventStore(file);
    const stripeBody = Buffer.from(JSON.stringify({ id: "evt_1", object: "event", type: "invoice.paid", data: { object: { description: "Café" } } }, null, 2));
    const events = [
      capturedEvent({
        provider: "stripe",
        url: "/stripe",
        headers: [["Stripe-Signature", stripe.webhooks.generateTestHeaderString({ payload: stripeBody.toString(), secret: "whsec_x" })]],
        body: stripeBody,
        receivedAt: Date.now() - 3000,
      }),
      capturedEvent({
        provider: "github",
        url: "/github",
        headers: [["X-GitHub-Event", "pull_request"], ["X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"]],
        body: Buffer.from('{"action":"closed","number":2}'),
        receivedAt: Date.now() - 2000,
      }),
      capturedEvent({ provider: null, url: "/unknown", body: Buffer.from('{"type":"not.read.without.a.provider"}'), receivedAt: Date.now() - 1000 }),
      capturedEvent({ provider: "stripe", url: "/broken", body: Buffer.from("{ not json"), receivedAt: Date.now() }),
    ];
    for (const event of events) store.insertEvent(event);
    store.close();
    writtenBeforeEventTypes(file);

    const list = await runCli(["events", "list", "--json", "--db", file]);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as Array<{ url: string; eventType: string | null }>).map((event) => [event.url, event.eventType])).toEqual([
      ["/broken", null],
      ["/unknown", null],
      ["/github", "pull_request.closed"],
      ["/stripe", "invoice.paid"],
    ]);
    expect(Number(new Database(file, { readonly: true }).pragma("user_version", { simple: true }))).toBe(MIGRATIONS.length);

    const filtered = await runCli(["ls", "--type", "pull_request.*", "--json", "--db", file]);
    expect((JSON.parse(filtered.stdout) as Array<{ url: string }>).map((event) => event.url)).toEqual(["/github"]);
  });
});
