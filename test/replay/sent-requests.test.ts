// Every attempt records what was sent: events captured by the built `listen`, forwarded and replayed (with edits,
// re-signed) to a real handler; the record must equal what the handler received, byte for byte, and read truly.
// One listen (forwarding to <handler>/hooks, with the Stripe secret) captures every test's event, each sent to a path
// of its own; the tests read what it recorded and replay from its store.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { sharedListen } from "../helpers/listen-session.js";
import { runProgram } from "../helpers/program.js";
import { send, type ReceivedRequest } from "../helpers/target-server.js";
import { STRIPE_SECRET, call, sendStripe, startUi, stripeBody, stripeSdk } from "../inspector/helpers.js";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface SentJson {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  bodySha256: string;
  bodyChanged: boolean;
}
interface DeliveryJson {
  kind: string;
  number: number;
  attempt: number;
  target: string;
  status: number | null;
  request: SentJson | null;
}
interface ShowJson {
  id: string;
  bodySha256: string;
  deliveries: DeliveryJson[];
}

const capture = sharedListen({
  // The handler takes a second per answer on /times paths, so that each duplicate sent there goes in a later second.
  handler: (request) => ({ status: 200, body: "ok", ...(request.url.endsWith("/times") ? { delayMs: 1_000 } : {}) }),
  args: ({ handlerUrl, db }) => [`${handlerUrl}/hooks`, "--no-tunnel", "--db", db, "--secret", `stripe=${STRIPE_SECRET}`],
});

/** What the handler received at `url` (path and query), in order. */
function receivedAt(url: string): ReceivedRequest[] {
  return capture.handler.received.filter((request) => request.url === url);
}

/** The headers a handler got, less those the HTTP client sets on every request (Host, Content-Length, Connection). */
function endToEnd(received: ReceivedRequest): Array<[string, string]> {
  return received.headers.filter(([name]) => !["host", "content-length", "connection"].includes(name.toLowerCase()));
}

async function show(db: string, id: string): Promise<ShowJson> {
  const run = await runProgram(["show", id, "--json", "--db", db]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as ShowJson;
}

/** The id of the event listen recorded for a request to `url`. */
async function eventIdAt(url: string): Promise<string> {
  return String((await capture.eventAt(url)).id);
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

describe("a forward records the request it sent", () => {
  it("records method, URL, headers in order and the body as the handler received them", { timeout: 90_000 }, async () => {
    const server = capture.handler;
    const db = capture.db;
    const body = stripeBody("evt_forward_1");
    await sendStripe(capture.proc.ready.url, "/stripe?attempt=1", body);

    const event = await show(db, await eventIdAt("/stripe?attempt=1"));
    expect(event.deliveries).toHaveLength(1);
    const [forward] = event.deliveries;
    const [received] = receivedAt("/hooks/stripe?attempt=1");
    expect(forward).toMatchObject({ kind: "forward", number: 1, attempt: 1, status: 200 });
    expect(forward?.request).toEqual({
      method: "POST",
      url: `${server.url}/hooks/stripe?attempt=1`,
      headers: endToEnd(received as ReceivedRequest),
      bodySha256: sha256(Buffer.from(body)),
      bodyChanged: false,
    });
    expect(forward?.request?.headers.map(([name]) => name)).toContain("X-Forwarded-For");
  });

  it("never stores a token scheme's token, in the event nor in the forward's or a re-signed replay's record", { timeout: 90_000 }, async () => {
    const token = "glpat-sent-request-token-1f3a9";
    const server = capture.handler;
    const db = capture.db;
    const body = JSON.stringify({ object_kind: "push", project: { name: "Zoë's app" } }, null, 2);
    await send(`${capture.proc.ready.url}/gitlab`, { headers: [["Content-Type", "application/json"], ["X-Gitlab-Event", "Push Hook"], ["X-Gitlab-Token", token]], body });
    const id = await eventIdAt("/gitlab");
    const replay = await runProgram(["replay", id, "--db", db, "--to", server.url, "--resign", "--secret", `gitlab=${token}`]);
    expect(replay.code, replay.stderr).toBe(0);

    // What the handler got carried the token; what the store holds does not, anywhere in its files.
    const gitlabRequests = [...receivedAt("/hooks/gitlab"), ...receivedAt("/gitlab")];
    expect(gitlabRequests.map((r) => r.headers.find(([n]) => n === "X-Gitlab-Token")?.[1])).toEqual([token, token]);
    const event = await show(db, id);
    for (const delivery of event.deliveries) expect(delivery.request?.headers).toContainEqual(["X-Gitlab-Token", "[redacted]"]);
    for (const file of [db, `${db}-wal`]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue;
      }
      expect(bytes.includes(token), file).toBe(false);
    }
  });
});

describe("replays record what they sent, numbered across runs", () => {
  /** An event sent to `path`, signed with another secret than listen's: captured as "✗ the signature does not match". */
  async function capturedWithWrongSecret(path: string, eventId: string): Promise<{ db: string; id: string; body: string; received: () => ReceivedRequest[] }> {
    const body = stripeBody(eventId);
    await sendStripe(capture.proc.ready.url, path, body, "whsec_not_the_one_listen_has");
    return { db: capture.db, id: await eventIdAt(path), body, received: () => receivedAt(`/hooks${path}`) };
  }

  it("an edited, re-signed replay records its own body and signature, and is replay #2 on the second run", { timeout: 90_000 }, async () => {
    const { db, id, body, received: receivedHere } = await capturedWithWrongSecret("/webhooks/stripe", "evt_history_1");
    for (const [n, amount] of [111, 222].entries()) {
      const run = await runProgram(["replay", id, "--db", db, "--set", `data.object.amount=${amount}`, "--secret", `stripe=${STRIPE_SECRET}`]);
      expect(run.code, run.stderr).toBe(0);
      // The replay's own table numbers it after the earlier runs' replays of the event.
      // The row: the event, its type, and which replay of it this was.
      expect(run.stdout).toMatch(new RegExp(`${id} +payment_intent\\.succeeded +↻ #${n + 1}\\b`));
    }
    const event = await show(db, id);
    expect(event.deliveries.map((d) => [d.kind, d.number])).toEqual([["forward", 1], ["replay", 1], ["replay", 2]]);
    const replays = event.deliveries.slice(1);
    replays.forEach((delivery, i) => {
      const received = receivedHere()[i + 1] as ReceivedRequest;
      expect(received.body.toString()).toContain(`"amount": ${i === 0 ? 111 : 222}`);
      expect(delivery.request).toEqual({
        method: "POST",
        url: `${capture.handler.url}/hooks/webhooks/stripe`,
        headers: endToEnd(received),
        bodySha256: sha256(received.body),
        bodyChanged: true,
      });
      // What was recorded is a genuine Stripe delivery of the edited body.
      const signature = delivery.request?.headers.find(([name]) => name.toLowerCase() === "stripe-signature")?.[1] ?? "";
      expect(() => stripeSdk.webhooks.constructEvent(received.body, signature, STRIPE_SECRET)).not.toThrow();
    });
    expect(event.deliveries[0]?.request?.bodySha256).toBe(sha256(Buffer.from(body)));

    const human = await runProgram(["show", id, "--db", db]);
    expect(human.stdout).toMatch(/↻ replay #2 {2}POST /);
    expect(human.stdout).toContain("sent another body");
    expect(human.stdout).toMatch(/\+ Stripe-Signature: t=\d+,v1=/);

    // The list does not read as "the handler accepted a bad signature": the 200 is marked as a replay's.
    const ls = await runProgram(["ls", "--db", db, "--limit", "0"]);
    const row = ls.stdout.split("\n").find((line) => line.includes(id));
    expect(row).toMatch(/stripe ✗ the signature does not match {2,}↻ replay 200 /);
    expect(row).not.toMatch(/does not match {2,}200 /);
    const listed = JSON.parse((await runProgram(["ls", "--json", "--db", db, "--limit", "0"])).stdout) as Array<{ id: string; delivery: { kind: string; status: number } }>;
    expect(listed.find((listedEvent) => listedEvent.id === id)?.delivery).toMatchObject({ kind: "replay", status: 200 });
  });

  it("the inspector serves each attempt's sent body: the edited one, and the captured one for an unchanged send", { timeout: 90_000 }, async () => {
    const { db, id, body, received } = await capturedWithWrongSecret("/webhooks/stripe-inspected", "evt_history_2");
    expect((await runProgram(["replay", id, "--db", db, "--set", "data.object.amount=333", "--secret", `stripe=${STRIPE_SECRET}`])).code).toBe(0);
    const ui = await startUi(["--db", db, "--port", "0"]);
    cleanups.push(() => ui.stop());
    const forward = await call(ui.origin, `/api/events/${id}/deliveries/1/body`, { token: ui.token });
    expect(forward.status).toBe(200);
    expect(forward.text).toBe(body);
    const replayed = await call(ui.origin, `/api/events/${id}/deliveries/2/body`, { token: ui.token });
    expect(replayed.status).toBe(200);
    expect(replayed.body.equals(received()[1]?.body as Buffer)).toBe(true);
    expect((await call(ui.origin, `/api/events/${id}/deliveries/3/body`, { token: ui.token })).status).toBe(404);
    expect((await call(ui.origin, `/api/events/${id}/deliveries/2/body`)).status).toBe(401);
    const detail = (await call(ui.origin, `/api/events/${id}`, { token: ui.token })).json<ShowJson>();
    expect(detail.deliveries[1]?.request?.bodyChanged).toBe(true);
  });

  it("replay --resign --times 3 signs each sequential duplicate when it is sent, as real senders do", { timeout: 90_000 }, async () => {
    // The handler takes a second per answer on this path, so that each duplicate is sent in a later second than the one
    // before.
    const { db, id, received } = await capturedWithWrongSecret("/webhooks/times", "evt_history_3");
    const run = await runProgram(["replay", id, "--db", db, "--resign", "--times", "3", "--secret", `stripe=${STRIPE_SECRET}`]);
    expect(run.code, run.stderr).toBe(0);
    const signatures = received().slice(1).map((r) => r.headers.find(([n]) => n === "Stripe-Signature")?.[1] ?? "");
    const timestamps = signatures.map((s) => Number(/t=(\d+)/.exec(s)?.[1]));
    expect(new Set(signatures).size).toBe(3);
    expect(timestamps[1]).toBeGreaterThan(timestamps[0] as number);
    expect(timestamps[2]).toBeGreaterThan(timestamps[1] as number);
    for (const [i, request] of received().slice(1).entries()) {
      expect(() => stripeSdk.webhooks.constructEvent(request.body, signatures[i] as string, STRIPE_SECRET)).not.toThrow();
    }
    const event = await show(db, id);
    expect(event.deliveries.slice(1).map((d) => d.request?.headers.find(([n]) => n === "Stripe-Signature")?.[1])).toEqual(signatures);
  });
});
