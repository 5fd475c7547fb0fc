// An event captured by a real `hooktape listen` into a real file, then replayed by a real `hooktape replay`:
// the shape of the recorded target is the one listen writes, not one a test made up. The first two replays are spawned
// (exit codes 0 and 1 as a shell sees them); the others run the same program in process.
import path from "node:path";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { getProvider } from "../../src/providers/index.js";
import { mask, runCli, startListen, type ListenProcess } from "../helpers/cli.js";
import { runProgram } from "../helpers/program.js";
import { headerOf } from "../helpers/headers.js";
import { send, startTargetServer, type Responder } from "../helpers/target-server.js";
import { sharedListen } from "../helpers/listen-session.js";
import { tempDir } from "../helpers/temp-dir.js";

const SECRET = "whsec_replay_after_listen";
const BODY = '{\n  "id": "evt_1QxR",\n  "object": "event",\n  "type": "charge.succeeded",\n  "data": {\n    "object": {\n      "amount": 500,\n      "description": "Café / crème"\n    }\n  }\n}';
const stripeSdk = new Stripe("sk_test_hooktape_e2e");

interface Handler {
  url: string;
  /** The paths it was sent, in order. */
  received: () => string[];
}

/**
 * A handler as people write them, mounted at one route: POST /webhooks/stripe. With `verifies`, it checks the
 * signature with stripe-node (400 on failure); without, it accepts anything on its route. Any other path: 404.
 */
function stripeRoute(verifies: boolean): Responder {
  return (request) => {
    if (request.url !== "/webhooks/stripe") return { status: 404, body: `Cannot POST ${request.url}` };
    if (verifies) {
      try {
        stripeSdk.webhooks.constructEvent(request.body, headerOf(request, "stripe-signature") ?? "", SECRET);
      } catch (error) {
        return { status: 400, body: `Webhook Error: ${(error as Error).message}` };
      }
    }
    return { status: 200, headers: { "content-type": "application/json" }, body: '{"received":true}' };
  };
}

async function startHandler(verifies: boolean): Promise<Handler> {
  const server = await startTargetServer(stripeRoute(verifies));
  cleanups.push(() => server.close());
  return { url: server.url, received: () => server.received.map((request) => request.url) };
}

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** One signed Stripe delivery to `/stripe` through a listen with the secret: recorded valid. Its event id. */
async function sendSignedDelivery(listen: ListenProcess): Promise<string> {
  const signed = getProvider("stripe")!.sign({ body: Buffer.from(BODY), secret: SECRET, timestamp: Math.floor(Date.now() / 1000), id: "x", method: "POST", headers: [] });
  const response = await send(`${listen.ready.url}/stripe`, { headers: [["Content-Type", "application/json"], ...signed.headers], body: BODY });
  expect(response.status).toBe(200);
  const record = (await listen.waitForRecord((item) => item.type === "event" && item.url === "/stripe")) as { id: string; verification: { status: string } };
  expect(record.verification.status).toBe("valid");
  return record.id;
}

/** `listen <handler>/webhooks`, one signed Stripe delivery to `/stripe` through it, then listen stopped. */
async function captureOne(verifies: boolean): Promise<{ handler: Handler; db: string; id: string }> {
  const handler = await startHandler(verifies);
  const db = path.join(tempDir(), "hooktape.db");
  const listen: ListenProcess = await startListen([`${handler.url}/webhooks`, "--no-tunnel", "--db", db, "--secret", `stripe=${SECRET}`]);
  cleanups.push(() => listen.stop("SIGKILL"));
  const id = await sendSignedDelivery(listen);
  expect(await listen.stop("SIGTERM")).toBe(0);
  expect(handler.received()).toEqual(["/webhooks/stripe"]);
  return { handler, db, id };
}

describe("replay of an event captured by listen (built CLI, real file)", () => {
  // The event the tests with a verifying handler replay: captured once, by a listen they share.
  const verifying = sharedListen({
    handler: stripeRoute(true),
    args: ({ handlerUrl, db }) => [`${handlerUrl}/webhooks`, "--no-tunnel", "--db", db, "--secret", `stripe=${SECRET}`],
  });
  let verifyingEvent: Promise<string> | undefined;
  async function capturedForVerifyingHandler(): Promise<{ handler: Handler; db: string; id: string }> {
    verifyingEvent ??= sendSignedDelivery(verifying.proc);
    const id = await verifyingEvent;
    const handler = { url: verifying.handler.url, received: () => verifying.handler.received.map((request) => request.url) };
    expect(handler.received()[0]).toBe("/webhooks/stripe");
    return { handler, db: verifying.db, id };
  }

  it("goes back to the route listen forwarded it to, not the path appended twice, and says so on its header line", async () => {
    const { handler, db, id } = await capturedForVerifyingHandler();
    const before = handler.received().length;
    const run = await runCli(["replay", id, "--db", db]);
    // A 404 answer, not a port or an id that happens to contain the digits 404.
    expect(run.stderr + run.stdout).not.toMatch(/\b404\b/);
    expect(run.code).toBe(0);
    expect(handler.received().slice(before)).toEqual(["/webhooks/stripe"]);
    expect(mask(run.stderr)).toContain("Replaying 1 event to http://127.0.0.1:<port>/webhooks/stripe");
  });

  it("fails the README's forgery command for a handler that verifies nothing (it used to pass on a 404)", async () => {
    const { handler, db, id } = await captureOne(false);
    const run = await runCli(["replay", id, "--tamper", "signature", "--expect", "4xx", "--db", db]);
    expect(handler.received().at(-1)).toBe("/webhooks/stripe");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("1 of 1 deliveries did not end with 4xx");
  });

  it("passes the forgery command for a handler that verifies, and the 404 of a wrong route is not a rejection", async () => {
    const { handler, db, id } = await capturedForVerifyingHandler();
    const good = await runProgram(["replay", id, "--tamper", "signature", "--expect", "4xx", "--db", db]);
    expect(good.code).toBe(0);
    expect(handler.received().at(-1)).toBe("/webhooks/stripe");

    const wrong = await runProgram(["replay", id, "--tamper", "signature", "--expect", "4xx", "--to", `${handler.url}/hooks`, "--db", db]);
    expect(handler.received().at(-1)).toBe("/hooks");
    expect(wrong.code).toBe(1);
    expect(mask(wrong.stdout)).toContain("404 from http://127.0.0.1:<port>/hooks: nothing handles this route — the route is wrong, not a rejection");
    expect(wrong.stderr).toContain("the route is wrong, not a rejection");
  });

  it("refuses to replay a GitLab event whose token was stored [redacted] unless re-signed, and says how", async () => {
    const token = "glpat-hook-token-e2e";
    const server = await startTargetServer((request) => ({ status: headerOf(request, "x-gitlab-token") === token ? 200 : 401 }));
    cleanups.push(() => server.close());
    const seen = () => server.received.map((request) => headerOf(request, "x-gitlab-token"));
    const handlerUrl = server.url;
    const db = path.join(tempDir(), "gitlab.db");
    const listen = await startListen([handlerUrl, "--no-tunnel", "--db", db, "--secret", `gitlab=${token}`]);
    cleanups.push(() => listen.stop("SIGKILL"));
    const body = '{\n  "object_kind": "push",\n  "ref": "refs/heads/main",\n  "user_name": "Zoë / ops"\n}';
    const sent = await send(`${listen.ready.url}/gitlab`, {
      headers: [["Content-Type", "application/json"], ["X-Gitlab-Event", "Push Hook"], ["X-Gitlab-Token", token]],
      body,
    });
    expect(sent.status).toBe(200);
    await listen.waitForEvents(1);
    const id = String(listen.records.find((item) => item.type === "event")?.id);
    expect(await listen.stop("SIGTERM")).toBe(0);

    const refused = await runProgram(["replay", id, "--db", db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `hooktape: Event ${id}: its X-Gitlab-Token header is the secret itself, so it was stored as [redacted]; replay it with --resign --secret gitlab=<token>\n`,
    );
    expect(seen()).toEqual([token]); // nothing sent

    const resigned = await runProgram(["replay", id, "--resign", "--secret", `gitlab=${token}`, "--db", db]);
    expect(resigned.code).toBe(0);
    expect(seen()).toEqual([token, token]);
  });

  it("skips an event listen rejected as too large (it has no body) with a warning, and exits 2 when nothing else matches", async () => {
    const handler = await startHandler(false);
    const db = path.join(tempDir(), "hooktape.db");
    const listen = await startListen([`${handler.url}/webhooks`, "--no-tunnel", "--db", db, "--max-body", "1kb"]);
    cleanups.push(() => listen.stop("SIGKILL"));
    expect((await send(`${listen.ready.url}/stripe`, { headers: [["Content-Type", "application/json"]], body: BODY })).status).toBe(200);
    const large = JSON.stringify({ id: "evt_large", object: "event", data: { note: "é".repeat(1024) } }, null, 2);
    expect((await send(`${listen.ready.url}/stripe`, { headers: [["Content-Type", "application/json"]], body: large })).status).toBe(413);
    await listen.waitForEvents(2);
    expect(await listen.stop("SIGTERM")).toBe(0);
    expect(handler.received()).toEqual(["/webhooks/stripe"]);

    const both = await runProgram(["replay", "--last", "2", "--db", db]);
    expect(both.code).toBe(0);
    expect(both.stderr).toContain("warning: 1 matching event(s) were rejected as too large when captured and have no body; skipped");
    expect(handler.received()).toEqual(["/webhooks/stripe", "/webhooks/stripe"]);

    const onlyRejected = await runProgram(["replay", "--last", "1", "--db", db]);
    expect(onlyRejected.code).toBe(2);
    expect(onlyRejected.stderr).toBe(
      "hooktape: no events match that can be replayed (1 matched but were rejected as too large, without a body)\n",
    );
    expect(handler.received()).toHaveLength(2);
  });
});
