// What a person reads after `replay`, `send` and `events list`: what happened and what to do next.
// Runs the built CLI (npm test builds first) against real files and real sockets.
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { getProvider } from "../../src/providers/index.js";
import { EventStore } from "../../src/store/index.js";
import { runProgram } from "../helpers/program.js";
import { tempFixture } from "../commands/command-helpers.js";
import { headerOf } from "../helpers/headers.js";
import { startTargetServer, type Responder, type TargetServer } from "../helpers/target-server.js";
import { recordEvent, tempStore, type TempStore } from "./helpers.js";

const SECRET = "whsec_human_output";
const BODY = '{\n  "id": "evt_human_1",\n  "object": "event",\n  "type": "charge.succeeded",\n  "data": {\n    "object": {\n      "amount": 500\n    }\n  }\n}';
const stripeSdk = new Stripe("sk_test_human");
const DAY = 86_400_000;

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A handler that verifies with stripe-node and answers its error message, as express examples do. */
const verifyingHandler: Responder = (request) => {
  try {
    stripeSdk.webhooks.constructEvent(request.body, headerOf(request.headers, "stripe-signature") ?? "", SECRET);
    return { status: 200, body: '{"received":true}' };
  } catch (error) {
    return { status: 400, body: `Webhook Error: ${(error as Error).message}\nat constructEvent` };
  }
};

function stripeHeaders(signedAtSec: number): Array<[string, string]> {
  const signed = getProvider("stripe")!.sign({ body: Buffer.from(BODY), secret: SECRET, timestamp: signedAtSec, id: "x", method: "POST", headers: [] });
  return [["Content-Type", "application/json; charset=utf-8"], ...signed.headers];
}

async function setup(respond: Responder, events: Array<{ receivedAt: number; headers?: Array<[string, string]>; provider?: string }>) {
  const db: TempStore = tempStore();
  const server: TargetServer = await startTargetServer(respond);
  cleanups.push(() => db.remove(), () => server.close());
  const recorded = events.map((e) =>
    recordEvent(db.store, {
      provider: e.provider ?? "stripe",
      headers: e.headers ?? stripeHeaders(Math.floor(e.receivedAt / 1000)),
      body: BODY,
      url: "/stripe",
      receivedAt: e.receivedAt,
      target: `${server.url}/webhooks`,
    }),
  );
  return { db, server, events: recorded, args: ["--db", db.file] };
}

describe("replay says what the handler said, and what to do", () => {
  it("shows the first line of a refusal and suggests --resign for a signature past Stripe's tolerance", async () => {
    const old = Date.now() - 334 * DAY;
    const { server, events, args } = await setup(verifyingHandler, [{ receivedAt: old }]);
    const run = await runProgram([...args, "replay", events[0]!.id]);
    expect(server.received[0]?.url).toBe("/webhooks/stripe");
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/400\s+\d+ ms\s+Webhook Error: Timestamp outside the tolerance zone/);
    expect(run.stdout).not.toContain("at constructEvent"); // the first line only
    expect(run.stderr).toContain(`hint: ${events[0]!.id}: signed 334 days ago, beyond Stripe's 5 minutes tolerance — add --resign (with its secret) to sign it now`);
    // ...and the advice works.
    const resigned = await runProgram([...args, "replay", events[0]!.id, "--resign", "--secret", SECRET]);
    expect(resigned.code).toBe(0);
    expect(resigned.stderr).not.toContain("hint:");
  });

  it("names a failed connection in words in the table (--json keeps the code)", async () => {
    const { server, events, args } = await setup(() => ({ status: 200 }), [{ receivedAt: Date.now() }]);
    const port = server.port;
    await server.close();
    const run = await runProgram([...args, "replay", events[0]!.id, "--to", String(port)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("connection refused — is the handler running?");
    expect(run.stdout).not.toContain("ECONNREFUSED");
    const json = await runProgram([...args, "replay", events[0]!.id, "--to", String(port), "--json"]);
    expect((JSON.parse(json.stdout) as { attempts: Array<{ error: string }> }).attempts[0]?.error).toBe("ECONNREFUSED");
  });

  it("warns that --seed does nothing without --order shuffle", async () => {
    const { events, args } = await setup(() => ({ status: 200 }), [{ receivedAt: Date.now() }]);
    const run = await runProgram([...args, "replay", events[0]!.id, "--seed", "7"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("warning: --seed only orders a shuffle; it does nothing with --order as-captured (add --order shuffle)");
  });

  it("refuses, with exit 2 and nothing sent: --to ftp://x, --stale 10, a header with a line break, a --set typo, an unknown --provider", async () => {
    const { server, events, args } = await setup(() => ({ status: 200 }), [{ receivedAt: Date.now() }]);
    const ftp = await runProgram([...args, "replay", events[0]!.id, "--to", "ftp://x"]);
    expect(ftp).toMatchObject({ code: 2, stderr: 'hooktape: Invalid --to "ftp://x": only http and https targets are supported\n' });
    const stale = await runProgram([...args, "replay", events[0]!.id, "--stale", "10", "--secret", SECRET]);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(/^hooktape: Invalid --stale "10": a number needs a unit \(10s\? 10m\? 10h\?\)/);
    const crlf = await runProgram([...args, "replay", events[0]!.id, "--header", "X-A: a\r\nX-B: 1"]);
    expect(crlf).toMatchObject({ code: 2, stderr: 'hooktape: Invalid --header "X-A": the value contains a line break\n' });
    const typo = await runProgram([...args, "replay", events[0]!.id, "--set", "data.objet.amount=0", "--secret", SECRET]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('hooktape: Invalid --set "data.objet.amount": there is no data.objet in the body (a typo?); add --create to add it\n');
    const provider = await runProgram([...args, "replay", "--provider", "nope", "--last"]);
    expect(provider).toMatchObject({ code: 2, stderr: 'hooktape: Unknown --provider "nope"; see `hooktape providers`\n' });
    expect(server.received).toHaveLength(0);
  });
});

describe("send says what the handler said, and what to do", () => {
  it("shows the first line of a refusal and suggests --resign for a fixture signed long ago", async () => {
    const server = await startTargetServer(verifyingHandler);
    cleanups.push(() => server.close());
    const signedAt = Math.floor((Date.now() - 2 * DAY) / 1000);
    const fixture = tempFixture(
      JSON.stringify({ hooktape: 1, provider: "stripe", request: { method: "POST", url: "/webhooks/stripe", headers: stripeHeaders(signedAt), body: BODY }, signedAt }),
    );
    const run = await runProgram(["send", fixture, "--to", server.url]);
    expect(run.code).toBe(1);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(/^✗ 400 /);
    expect(lines[1]).toBe("  answered 400 Webhook Error: Timestamp outside the tolerance zone");
    expect(lines[2]).toBe("  hint: signed 2 days ago, beyond Stripe's 5 minutes tolerance — add --resign (with its secret) to sign it now");
    const resigned = await runProgram(["send", fixture, "--to", server.url, "--resign", "--secret", SECRET]);
    expect(resigned.code).toBe(0);
  });
});

describe("events list", () => {
  it("shows dates when the events are not all from today, and how many it left out", async () => {
    const db = tempStore();
    cleanups.push(() => db.remove());
    const now = Date.now();
    for (let i = 0; i < 25; i++) {
      recordEvent(db.store, { provider: "stripe", headers: stripeHeaders(Math.floor(now / 1000)), body: BODY, url: `/e/${i}`, receivedAt: now - i * DAY });
    }
    const run = await runProgram(["ls", "--db", db.file]);
    expect(run.code).toBe(0);
    const [header, ...lines] = run.stdout.trim().split("\n");
    expect(header).toMatch(/^TIME {2,}REQUEST/);
    expect(lines).toHaveLength(20);
    expect(lines.every((line) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}  POST/.test(line))).toBe(true);
    expect(run.stderr).toBe("20 of 25 — --limit 0 for all\n");
    const all = await runProgram(["ls", "--db", db.file, "--limit", "0"]);
    expect(all.stdout.trim().split("\n")).toHaveLength(26); // the header and 25 rows
    expect(all.stderr).toBe("");

    const today = await runProgram(["ls", "--db", db.file, "--since", "1m"]);
    expect(today.stdout.split("\n")[1]).toMatch(/^\d{2}:\d{2}:\d{2}  POST \/e\/0 /); // all from today: the time alone
  });

  it("an unknown --provider is exit 2, not an empty list; --since names both forms it takes", async () => {
    const db = tempStore();
    cleanups.push(() => db.remove());
    const store: EventStore = db.store;
    recordEvent(store, { provider: "stripe", headers: stripeHeaders(1), body: BODY });
    const nope = await runProgram(["ls", "--provider", "nope", "--db", db.file]);
    expect(nope).toMatchObject({ code: 2, stderr: 'hooktape: Unknown --provider "nope"; see `hooktape providers`\n' });
    const since = await runProgram(["ls", "--since", "yesterday", "--db", db.file]);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/a duration \(30m, 2h, 1d\) or an ISO time \(2026-11-23T10:00:00Z\)/);
  });
});
