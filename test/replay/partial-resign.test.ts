// `replay --last n --resign` over events of which some cannot be re-signed: the others are sent, each left-out event
// is named with the reason, and the run ends with exit 1 — never all-or-nothing.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, startListen } from "../helpers/cli.js";
import { send, startTargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { STRIPE_SECRET, sendStripe, stripeBody, stripeSdk } from "../inspector/helpers.js";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("replay --resign over a selection some of whose events cannot be re-signed", () => {
  it("sends the events it can, reports the others with why, and exits 1", { timeout: 90_000 }, async () => {
    const handler = await startTargetServer();
    cleanups.push(() => handler.close());
    const db = path.join(tempDir(), "hooktape.db");
    const listen = await startListen(["--no-tunnel", handler.url, "--db", db, "--secret", `stripe=${STRIPE_SECRET}`]);
    cleanups.push(() => listen.stop());
    await sendStripe(listen.ready.url, "/webhooks/stripe", stripeBody("evt_partial_1"));
    // From a sender hooktape does not know: no provider, so nothing to re-sign it with.
    await send(`${listen.ready.url}/webhooks/unknown`, { headers: [["Content-Type", "application/json"]], body: '{\n  "note": "née à Zürich"\n}\n' });
    await sendStripe(listen.ready.url, "/webhooks/stripe", stripeBody("evt_partial_2"));
    await listen.waitForEvents(3);
    await listen.stop();
    const listed = JSON.parse((await runCli(["ls", "--json", "--db", db])).stdout) as Array<{ id: string; provider: string | null }>;
    const unknown = listed.find((event) => event.provider === null)?.id;

    const run = await runCli(["replay", "--last", "3", "--resign", "--secret", `stripe=${STRIPE_SECRET}`, "--db", db]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`not sent: Cannot re-sign event ${unknown}: its provider is unknown; pass --provider <id>`);
    expect(run.stderr).toMatch(/2 deliveries sent as expected; 1 selected event was not sent/);
    const replayed = handler.received.slice(3);
    expect(replayed.map((r) => r.url)).toEqual(["/webhooks/stripe", "/webhooks/stripe"]);
    for (const received of replayed) {
      const signature = received.headers.find(([name]) => name === "Stripe-Signature")?.[1] ?? "";
      expect(() => stripeSdk.webhooks.constructEvent(received.body, signature, STRIPE_SECRET)).not.toThrow();
    }

    const json = await runCli(["replay", "--last", "3", "--resign", "--secret", `stripe=${STRIPE_SECRET}`, "--db", db, "--json"]);
    expect(json.code).toBe(1);
    const document = JSON.parse(json.stdout) as { passed: boolean; skipped: Array<{ eventId: string; reason: string }>; deliveries: number };
    expect(document).toMatchObject({ passed: false, deliveries: 2 });
    expect(document.skipped).toEqual([{ eventId: unknown, reason: expect.stringContaining("its provider is unknown") }]);

    // One event alone that cannot be re-signed is still bad input, and nothing is sent.
    const alone = await runCli(["replay", unknown as string, "--resign", "--db", db]);
    expect(alone.code).toBe(2);
    expect(handler.received).toHaveLength(7);
  });
});
