import Stripe from "stripe";
// Runs the built CLI: `npm test` builds first; alone, run `npm run build` before.
import { afterEach, describe, expect, it } from "vitest";
import { getProvider } from "../../src/providers/index.js";
import { headerOf } from "../helpers/headers.js";
import { startTargetServer, type Responder } from "../helpers/target-server.js";
import { runProgram } from "../helpers/program.js";
import { recordEvent, tempStore, type TempStore } from "./helpers.js";

const SECRET = "whsec_cli_replay_secret";
const BODY = '{"id":"evt_cli_1","type":"charge.succeeded","data":{"object":{"amount":500}}}';
const stripeSdk = new Stripe("sk_test_hooktape_cli");

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function setup(respond?: Responder) {
  const db: TempStore = tempStore();
  const server = await startTargetServer(respond ?? { kind: "answer", status: 200 });
  cleanups.push(() => db.remove(), () => server.close());
  const stripe = getProvider("stripe")!;
  const headers: Array<[string, string]> = [
    ["Content-Type", "application/json"],
    ...stripe.sign({ body: Buffer.from(BODY), secret: SECRET, timestamp: 1_700_000_000, id: "x", method: "POST", headers: [] }).headers,
  ];
  const event = recordEvent(db.store, { provider: "stripe", headers, body: BODY, url: "/stripe", target: server.url });
  // The command opens the same file through its own connection: close ours so it sees a quiet database.
  return { db, server, event, args: ["--db", db.file] };
}

describe("hooktape replay", () => {
  it("replays by id prefix and prints the documented JSON", async () => {
    const { server, event, args } = await setup(() => ({ status: 200 }));
    const run = await runProgram([...args, "replay", event.id.slice(0, 12), "--to", String(server.port), "--json"]);
    expect(run.stderr).toContain("Replaying 1 event");
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { attempts: Array<Record<string, unknown>> };
    expect(doc.attempts).toHaveLength(1);
    expect(doc.attempts[0]).toMatchObject({ eventId: event.id, attempt: 1, status: 200, error: null });
    expect(String(doc.attempts[0]?.delivery)).toMatch(/^dlv_/);
    expect(typeof doc.attempts[0]?.durationMs).toBe("number");
    expect(server.received[0]?.url).toBe("/stripe");
    expect(server.received[0]?.body.toString()).toBe(BODY);
  });

  it("exits 1 when a final delivery is not 2xx, and flags duplicates answered differently", async () => {
    const { server, args } = await setup((_, index) => ({ status: index === 1 ? 500 : 200 }));
    const run = await runProgram([...args, "replay", "--last", "--times", "3", "--to", server.url]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/3 deliveries of 1 event in 3 attempts: 2 × 200, 1 × 500/);
    expect(run.stdout).toMatch(/duplicates were answered differently \(200 ×2, 500 ×1\).*idempotent/);
    expect(run.stderr).toContain("1 of 3 deliveries did not end with 2xx");
  });

  it("passes a tampered delivery that the handler rejects when --expect 4xx, with --resign and the secret from the env", async () => {
    const { server, args } = await setup((request) => {
      try {
        stripeSdk.webhooks.constructEvent(request.body, headerOf(request.headers, "stripe-signature") ?? "", SECRET);
        return { status: 200 };
      } catch {
        return { status: 400 };
      }
    });
    const tampered = await runProgram([...args, "replay", "--last", "1", "--to", server.url, "--resign", "--tamper", "body", "--expect", "4xx"], { env: {
      HOOKTAPE_SECRET_STRIPE: SECRET,
    } });
    expect(tampered.code).toBe(0);
    const genuine = await runProgram([...args, "replay", "--last", "--to", server.url, "--resign", "--json"], { env: { HOOKTAPE_SECRET_STRIPE: SECRET } });
    expect(genuine.code).toBe(0);
    expect(server.received.map((r) => r.body.toString() === BODY)).toEqual([false, true]);
  });

  it("prints the seed of a shuffle on stderr so that a run can be repeated", async () => {
    const { server, args } = await setup();
    const run = await runProgram([...args, "replay", "--provider", "stripe", "--order", "shuffle", "--seed", "1234", "--to", server.url]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("shuffled with seed 1234 (repeat with --seed 1234)");
    const random = await runProgram([...args, "replay", "--provider", "stripe", "--order", "shuffle", "--to", server.url, "--json"]);
    const seed = (JSON.parse(random.stdout) as { seed: number }).seed;
    expect(random.stderr).toContain(`repeat with --seed ${seed}`);
  });

  it("exits 2 with one line for no match, a missing secret, and bad flags — sending nothing", async () => {
    const { server, event, args } = await setup();
    const none = await runProgram([...args, "replay", "--provider", "github", "--to", server.url]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^hooktape: no events match/);

    const noSecret = await runProgram([...args, "replay", event.id, "--to", server.url, "--resign"], { env: { HOOKTAPE_SECRET_STRIPE: "" } });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/no secret for stripe .*--secret stripe=whsec_\.\.\. or set HOOKTAPE_SECRET_STRIPE/);

    for (const bad of [["--set", "amount"], ["--retry", "sometimes"], ["--speed", "0"], ["--expect", "ok"], ["--times", "0"]]) {
      const run = await runProgram([...args, "replay", event.id, "--to", server.url, ...bad]);
      expect(run.code, bad.join(" ")).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
    }
    const unknown = await runProgram([...args, "replay", "01ZZZZZZZZZZ", "--to", server.url]);
    expect(unknown.code).toBe(2);
    expect(server.received).toHaveLength(0);
  });

  it("shows each retry with its planned and actual time in the summary", async () => {
    const { server, event, args } = await setup((_, index) => ({ status: index === 0 ? 503 : 200 }));
    const run = await runProgram([...args, "replay", event.id, "--to", server.url, "--retry", "exp:2s,2,3", "--speed", "20"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ATTEMPT\s+STATUS\s+DURATION\s+PLANNED\s+SENT/);
    expect(run.stdout).toMatch(/\b2\s+200\s+\d+ ms\s+\+\d\.\d\ds\s+\+\d\.\d\ds/); // 0.1 s after the first attempt ended (its duration varies with load)
    // The status, not "http error"; then the wait left until the planned retry (0.1 s at --speed 20), less the few ms
    // that pass before the line prints on a loaded machine.
    expect(run.stderr).toMatch(/: 503; attempt 2 in 0\.(?:0\d|10)s/);
  });

  it("replays at --concurrency 32 with nothing on stderr but its own lines (no Node warning about abort listeners)", async () => {
    const { server, args } = await setup(() => ({ status: 200 }));
    const run = await runProgram([...args, "replay", "--last", "--times", "64", "--concurrency", "32", "--to", server.url]);
    expect(run.code).toBe(0);
    expect(server.received).toHaveLength(64);
    expect(run.stderr).not.toMatch(/Warning/);
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^Replaying 1 event × 64 to .*, 32 at a time$/)]);
  });
});
