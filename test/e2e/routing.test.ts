// listen --route and --only, end to end through the built CLI with real handlers on 127.0.0.1: which handler gets
// which event, what each event records, and what a replay without --to does with the recorded target. listen is
// spawned; the commands that read its store afterwards, and --route's usage errors, run the program in process.
import path from "node:path";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { runProgram } from "../helpers/program.js";
import { listenSession } from "../helpers/listen-session.js";
import { send } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const SECRET = "whsec_routing_test_not_real";
const stripe = new Stripe("sk_test_routing");
const { listen, target } = listenSession();

/** A Stripe event as Stripe delivers it: two-space pretty JSON, non-ASCII kept, signed by stripe-node's own helper. */
function stripeDelivery(type: string): { headers: Array<[string, string]>; body: string } {
  const body = JSON.stringify(
    {
      id: `evt_${Math.random().toString(36).slice(2, 14)}`,
      object: "event",
      api_version: "2026-10-28.endive",
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: "in_1Routing", object: type.split(".")[0], description: "Café crème — Zoë" } },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    },
    null,
    2,
  );
  const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
  return { headers: [["Content-Type", "application/json; charset=utf-8"], ["Stripe-Signature", signature]], body };
}

function githubDelivery(event: string, action: string): { headers: Array<[string, string]>; body: string } {
  return {
    headers: [["Content-Type", "application/json"], ["X-GitHub-Event", event], ["X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"]],
    body: JSON.stringify({ action, issue: { number: 1, title: "Überprüfen / route" }, repository: { full_name: "octocat/Hello-World" } }),
  };
}

async function show(id: string, db: string): Promise<Record<string, unknown>> {
  const result = await runProgram(["events", "show", id, "--json", "--db", db]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe("listen --route", () => {
  it("sends each request to the first route that matches (type or path), the rest to the main target, and records where each went", async () => {
    const main = await target();
    const billing = await target({ kind: "answer", status: 200, body: "billing" });
    const github = await target({ kind: "answer", status: 200, body: "github" });
    const db = path.join(tempDir(), "routes.db");
    const proc = await listen([
      main.url,
      "--no-tunnel",
      "--db",
      db,
      "--secret",
      `stripe=${SECRET}`,
      "--route",
      `type:invoice.*=${billing.url}/billing`,
      "--route",
      `/github/**=${github.port}`,
    ]);
    expect(proc.ready).toMatchObject({ routes: [{ type: "invoice.*" }, { path: "/github/**" }] });

    const sent = [
      { path: "/stripe", ...stripeDelivery("invoice.paid") },
      { path: "/stripe", ...stripeDelivery("charge.succeeded") },
      { path: "/github/hooks", ...githubDelivery("issues", "opened") },
      // Both routes match: the first listed wins.
      { path: "/github/invoices", ...stripeDelivery("invoice.payment_failed") },
    ];
    const answers = [];
    for (const request of sent) answers.push(await send(proc.ready.url + request.path, { headers: request.headers, body: request.body }));
    expect(answers.map((answer) => answer.body.toString())).toEqual(["billing", "ok", "github", "billing"]);

    expect(billing.received.map((r) => [r.url, r.body.toString()])).toEqual([
      ["/billing/stripe", sent[0]?.body],
      ["/billing/github/invoices", sent[3]?.body],
    ]);
    expect(main.received.map((r) => [r.url, r.body.toString()])).toEqual([["/stripe", sent[1]?.body]]);
    expect(github.received.map((r) => r.url)).toEqual(["/github/hooks"]);

    await proc.waitForEvents(4);
    const records = proc.records.filter((record) => record.type === "event");
    expect(records.map((record) => [record.eventType, record.forwarded])).toEqual([
      ["invoice.paid", true],
      ["charge.succeeded", true],
      ["issues.opened", true],
      ["invoice.payment_failed", true],
    ]);
    const targets = [];
    for (const record of records) targets.push((await show(String(record.id), db)).target);
    expect(targets).toEqual([
      `${billing.url}/billing/stripe`,
      `${main.url}/stripe`,
      `http://localhost:${github.port}/github/hooks`,
      `${billing.url}/billing/github/invoices`,
    ]);

    // Without --to, a replay goes where listen forwarded the event: the route's handler.
    const replay = await runProgram(["replay", String(records[0]?.id), "--json", "--db", db]);
    expect(replay.code).toBe(0);
    const document = JSON.parse(replay.stdout) as { attempts: Array<{ eventType: string; target: string; status: number }> };
    expect(document.attempts).toMatchObject([{ eventType: "invoice.paid", target: `${billing.url}/billing/stripe`, status: 200 }]);
    expect(billing.received).toHaveLength(3);
    expect(billing.received[2]?.body.toString()).toBe(sent[0]?.body);
    expect(main.received).toHaveLength(1);
  });

  it("refuses a malformed --route at start, in one line, exit 2", async () => {
    for (const bad of ["nonsense", "/stripe/**=", "type:=3000", "stripe/**=3000", "/a=ftp://x"]) {
      const result = await runProgram(["listen", "--no-tunnel", "--db", path.join(tempDir(), "x.db"), "--route", bad]);
      expect(result.code, bad).toBe(2);
      expect(result.stderr.trim().split("\n"), bad).toHaveLength(1);
      expect(result.stderr).toMatch(/--route/);
    }
  });
});

describe("listen --only", () => {
  it("forwards only the types that match, records the others, answers them 200, and never sends them to a handler", async () => {
    const handler = await target({ kind: "answer", status: 202, body: "handled" });
    const db = path.join(tempDir(), "only.db");
    const proc = await listen([handler.url, "--no-tunnel", "--db", db, "--secret", `stripe=${SECRET}`, "--only", "invoice.*", "--only", "customer.subscription.*"]);
    expect(proc.ready).toMatchObject({ only: ["invoice.*", "customer.subscription.*"] });

    const types = ["invoice.paid", "charge.refunded", "customer.subscription.deleted", "customer.created"];
    const answers = [];
    for (const type of types) {
      const delivery = stripeDelivery(type);
      answers.push(await send(`${proc.ready.url}/stripe`, delivery));
    }
    expect(answers.map((answer) => answer.status)).toEqual([202, 200, 202, 200]);
    expect(answers.map((answer) => answer.body.toString())).toEqual(["handled", "", "handled", ""]);
    expect(handler.received.map((request) => JSON.parse(request.body.toString()).type)).toEqual(["invoice.paid", "customer.subscription.deleted"]);

    await proc.waitForEvents(4);
    const records = proc.records.filter((record) => record.type === "event");
    const shown = [];
    for (const record of records) shown.push(await show(String(record.id), db));
    expect(shown.map((event) => [event.eventType, event.forwarded, event.notForwarded, event.verification])).toEqual([
      ["invoice.paid", true, null, { status: "valid", reason: null }],
      ["charge.refunded", false, "filtered", { status: "valid", reason: null }],
      ["customer.subscription.deleted", true, null, { status: "valid", reason: null }],
      ["customer.created", false, "filtered", { status: "valid", reason: null }],
    ]);
    // Filtered events keep their bodies and have no delivery attempt.
    expect(shown[1]?.deliveries).toEqual([]);
    expect(JSON.parse(String(shown[1]?.body)).type).toBe("charge.refunded");

    // A replay of a filtered event needs --to: it was never forwarded.
    const replay = await runProgram(["replay", String(records[1]?.id), "--db", db]);
    expect(replay.code).toBe(2);
    expect(replay.stderr).toMatch(/--only.*never forwarded; pass --to/);

    // The list filter reads the same types, by glob.
    const list = await runProgram(["events", "list", "--type", "customer.*", "--json", "--db", db]);
    expect((JSON.parse(list.stdout) as Array<{ eventType: string }>).map((event) => event.eventType).sort()).toEqual([
      "customer.created",
      "customer.subscription.deleted",
    ]);
  });
});
