import { createHash, createHmac, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import Database from "better-sqlite3";
import Stripe from "stripe";
import { describe, expect, it, vi } from "vitest";
import { runCli } from "../helpers/cli.js";
import { runProgram } from "../helpers/program.js";
import { startTargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { createChannel, fileRelay, follow, post, relayEnv, startRelay, waitForRecord } from "./relay-helpers.js";

// Every test here runs the real worker in real workerd (`hooktape relay serve`), the built CLI as a user runs it, and
// real SQLite stores. The tests that only need a relay running share the file's (each on channels of its own); those
// that kill or restart one start their own.
const shared = fileRelay();

const STRIPE_SECRET = "whsec_relay_test_secret_not_real";

/** A Stripe delivery as Stripe sends it: pretty-printed JSON with non-ASCII text, signed by Stripe's own SDK. */
function stripeDelivery(n: number): { body: Buffer; headers: Record<string, string> } {
  const payload = `{\n  "id": "evt_relay_${n}",\n  "object": "event",\n  "type": "customer.updated",\n  "data": {\n    "object": {\n      "name": "Zoë Ångström ${n}",\n      "description": "café – 東京"\n    }\n  }\n}`;
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET });
  return { body: Buffer.from(payload, "utf8"), headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": header } };
}

interface StoredEvent {
  id: string;
  url: string;
  via: string;
  received_at: number;
  provider: string | null;
  verification_status: string;
  body: Buffer | null;
}

function storedEvents(db: string): StoredEvent[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite
      .prepare(
        "SELECT id, url, via, received_at, provider, verification_status, event_bodies.body FROM events LEFT JOIN event_bodies ON event_bodies.event_seq = events.seq ORDER BY events.seq",
      )
      .all() as StoredEvent[];
  } finally {
    sqlite.close();
  }
}

function forwardAttempts(db: string, id: string): number {
  const sqlite = new Database(db, { readonly: true });
  try {
    return (sqlite.prepare("SELECT count(*) AS n FROM deliveries WHERE event_id = ? AND kind = 'forward'").get(id) as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

describe("relay: capture while nobody follows, then deliver", { timeout: 120_000 }, () => {
  it("events posted while no follower is connected reach the store and the handler in order, byte-exact, verified with the laptop's secret, via relay, with the relay's received time", async () => {
    const { env } = shared;
    const relay = shared.relay();
    const channel = await createChannel(relay, env);
    const deliveries = [stripeDelivery(1), stripeDelivery(2), stripeDelivery(3)];
    const binary = randomBytes(5 * 1024 * 1024);
    const postedAt: number[] = [];
    for (const delivery of deliveries) {
      postedAt.push(Date.now());
      expect((await post(`${channel.url}/webhooks/stripe?source=relay`, delivery.body, delivery.headers)).status).toBe(200);
    }
    expect((await post(`${channel.url}/uploads/blob.bin`, binary, { "content-type": "application/octet-stream" })).status).toBe(200);

    const handler = await startTargetServer();
    const db = path.join(tempDir(), "laptop.db");
    const listen = await follow(channel, handler.url, db, { ...env, HOOKTAPE_SECRET_STRIPE: STRIPE_SECRET });
    const connected = await waitForRecord(listen, (record) => record.type === "relay" && record.state === "connected");
    expect(connected.backlog).toBe(4);
    await handler.waitFor(4);
    await listen.waitForEvents(4);

    expect(handler.received.map((request) => request.url)).toEqual([
      "/webhooks/stripe?source=relay",
      "/webhooks/stripe?source=relay",
      "/webhooks/stripe?source=relay",
      "/uploads/blob.bin",
    ]);
    for (const [i, delivery] of deliveries.entries()) expect(handler.received[i]!.body.equals(delivery.body)).toBe(true);
    expect(handler.received[3]!.body.equals(binary)).toBe(true);
    // The signature header went through untouched: the handler can verify with Stripe's own SDK.
    const first = handler.received[0]!;
    const signature = first.headers.find(([name]) => name.toLowerCase() === "stripe-signature")?.[1] ?? "";
    expect(() => Stripe.webhooks.constructEvent(first.body, signature, STRIPE_SECRET)).not.toThrow();

    const stored = storedEvents(db);
    expect(stored.map((event) => event.via)).toEqual(["relay", "relay", "relay", "relay"]);
    expect(stored.slice(0, 3).map((event) => [event.provider, event.verification_status])).toEqual([
      ["stripe", "valid"],
      ["stripe", "valid"],
      ["stripe", "valid"],
    ]);
    expect(createHash("sha256").update(stored[3]!.body!).digest("hex")).toBe(createHash("sha256").update(binary).digest("hex"));
    // The time recorded is when the relay received the request, not when the laptop did.
    for (const [i, at] of postedAt.entries()) {
      expect(stored[i]!.received_at).toBeGreaterThanOrEqual(at - 5);
      expect(stored[i]!.received_at).toBeLessThan(at + 5_000);
    }
    const events = stored.map((event) => event.id);
    expect([...events].sort()).toEqual(events);

    // The laptop's secret never reached the relay: nothing the relay stored holds it.
    for (const file of filesUnder(relay.data)) expect(readFileSync(file).includes(STRIPE_SECRET)).toBe(false);
  });

  it("a relay killed right after answering 200 loses nothing: restarted on the same --data, two stores each get every event once, in order", async () => {
    const env = relayEnv();
    const relay = await startRelay(env);
    const channel = await createChannel(relay, env);
    const sent = Array.from({ length: 6 }, (_, i) => stripeDelivery(10 + i));
    for (const delivery of sent) expect((await post(`${channel.url}/hook`, delivery.body, delivery.headers)).status).toBe(200);
    await relay.kill();

    const again = await startRelay(env, relay.data);
    expect(new URL(again.url).port).not.toBe("");
    // The port changed; the channel is the same one, at the relay's new address.
    const moved = { ...channel, url: channel.url.replace(relay.url, again.url) };
    const handlerA = await startTargetServer();
    const handlerB = await startTargetServer();
    const dbA = path.join(tempDir(), "a.db");
    const dbB = path.join(tempDir(), "b.db");
    const [laptopA, laptopB] = await Promise.all([follow(moved, handlerA.url, dbA, env), follow(moved, handlerB.url, dbB, env)]);
    await Promise.all([laptopA.waitForEvents(6), laptopB.waitForEvents(6)]);
    await Promise.all([handlerA.waitFor(6), handlerB.waitFor(6)]);
    for (const [db, handler] of [
      [dbA, handlerA],
      [dbB, handlerB],
    ] as const) {
      const stored = storedEvents(db);
      expect(stored).toHaveLength(6);
      expect(stored.map((event) => event.body?.toString("utf8"))).toEqual(sent.map((delivery) => delivery.body.toString("utf8")));
      expect(handler.received.map((request) => request.body.toString("utf8"))).toEqual(sent.map((delivery) => delivery.body.toString("utf8")));
    }

    // One more event while both follow: each store gets it live, once.
    const live = stripeDelivery(99);
    expect((await post(`${moved.url}/hook`, live.body, live.headers)).status).toBe(200);
    await Promise.all([laptopA.waitForEvents(7), laptopB.waitForEvents(7)]);
    expect(storedEvents(dbA)).toHaveLength(7);
    expect(storedEvents(dbB)).toHaveLength(7);
  });
});

describe("relay serve: a workerd left running", { timeout: 120_000 }, () => {
  it("a relay serve killed alone leaves its workerd serving; the next serve on the same --data stops that one first", async () => {
    const secrets = { HOOKTAPE_RELAY_ADMIN_TOKEN: "admin-token-not-for-children", CLOUDFLARE_API_TOKEN: "cf-token-not-for-children", HOOKTAPE_SECRET_STRIPE: STRIPE_SECRET };
    const env = { ...relayEnv(), ...secrets };
    const relay = await startRelay(env);
    const orphan = Number(readFileSync(path.join(relay.data, "runtime", "workerd.pid"), "utf8"));
    // workerd gets none of hooktape's secrets in its environment.
    const environ = readFileSync(`/proc/${orphan}/environ`, "utf8");
    for (const value of Object.values(secrets)) expect(environ).not.toContain(value);
    await relay.killServeOnly();
    expect(isAlive(orphan)).toBe(true);
    const again = await startRelay(env, relay.data);
    await expect.poll(() => isAlive(orphan), { timeout: 10_000 }).toBe(false);
    const channel = await createChannel(again, env);
    expect((await post(`${channel.url}/x`, "{}")).status).toBe(200);
  });
});

describe("relay: exactly once into the store", { timeout: 120_000 }, () => {
  it("listen killed (SIGKILL) after recording an event but before acknowledging it gets it again once: one row, forwarded once more", async () => {
    const { env } = shared;
    const relay = shared.relay();
    const channel = await createChannel(relay, env);
    const delivery = stripeDelivery(7);
    expect((await post(`${channel.url}/hook`, delivery.body, delivery.headers)).status).toBe(200);

    // The handler never answers: listen has recorded the event and is forwarding it, so it has not acknowledged it.
    const stuck = await startTargetServer({ kind: "hang" });
    const db = path.join(tempDir(), "laptop.db");
    const first = await follow(channel, stuck.url, db, env);
    await stuck.waitFor(1);
    expect(storedEvents(db)).toHaveLength(1);
    await first.stop("SIGKILL");
    await stuck.close();

    const handler = await startTargetServer();
    const second = await follow(channel, handler.url, db, env);
    const connected = await waitForRecord(second, (record) => record.type === "relay" && record.state === "connected");
    expect(connected.backlog).toBe(1);
    await handler.waitFor(1);
    await second.waitForEvents(1);
    const stored = storedEvents(db);
    expect(stored).toHaveLength(1);
    expect(handler.received[0]!.body.equals(delivery.body)).toBe(true);
    // The attempt is committed with the batch's others just before the ack, a moment after the handler answered.
    await expect.poll(() => forwardAttempts(db, stored[0]!.id)).toBe(1);

    // Acknowledged now: a third run gets nothing.
    await second.stop();
    const third = await follow(channel, handler.url, db, env);
    const again = await waitForRecord(third, (record) => record.type === "relay" && record.state === "connected");
    expect(again.backlog).toBe(0);
    expect(storedEvents(db)).toHaveLength(1);
  });
});

describe("relay: who may read, and what strangers learn", { timeout: 120_000 }, () => {
  it("reading needs the channel's token (401 without it or with another), a deleted channel is 404 to everyone, and a sender learns nothing stored", async () => {
    const { env } = shared;
    const relay = shared.relay();
    const listed = async (run: typeof runCli): Promise<string[]> => {
      const list = await run(["--json", "relay", "channel", "list", "--relay", relay.url], { env });
      return (JSON.parse(list.stdout) as Array<{ channel: string }>).map((item) => item.channel).sort();
    };
    // The file's other tests made channels on this relay too: those stay listed.
    const before = await listed(runProgram);
    const channel = await createChannel(relay, env);
    const other = await createChannel(relay, env);
    const status = `${relay.url}/_hooktape/channels/${channel.channel}/status`;
    const ingest = await post(`${channel.url}/x`, "{}");
    expect(ingest.status).toBe(200);
    expect(ingest.body.length).toBe(0);

    expect((await post(status, "", {}, "GET")).status).toBe(401);
    expect((await post(status, "", { authorization: `Bearer ${other.token}` }, "GET")).status).toBe(401);
    expect((await post(status, "", { authorization: `Bearer ${channel.token}x` }, "GET")).status).toBe(401);
    const ok = await post(status, "", { authorization: `Bearer ${channel.token}` }, "GET");
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString("utf8"))).toMatchObject({ channel: channel.channel, events: 1, head: 1 });
    // The follow socket checks the token before anything else.
    const followUrl = `${relay.url}/_hooktape/channels/${channel.channel}/follow?consumer=abcdefgh`;
    expect(await upgradeStatus(followUrl)).toBe(401);
    expect(await upgradeStatus(followUrl, other.token)).toBe(401);
    expect(await upgradeStatus(followUrl, channel.token)).toBe(101);
    // Creating channels needs the admin token, which a channel token is not.
    expect((await post(`${relay.url}/_hooktape/channels`, "{}", { authorization: `Bearer ${channel.token}` })).status).toBe(401);

    const wrongToken = await runCli(["relay", "status", channel.url], { env: { ...env, HOOKTAPE_RELAY_TOKEN: other.token } });
    expect(wrongToken.code).toBe(2);
    expect(wrongToken.stderr).toMatch(/refused the token \(401\)/);

    const deleted = await runCli(["relay", "channel", "delete", channel.url], { env });
    expect(deleted.code).toBe(0);
    expect((await post(`${channel.url}/x`, "{}")).status).toBe(404);
    expect((await post(status, "", { authorization: `Bearer ${channel.token}` }, "GET")).status).toBe(404);
    const gone = await runProgram(["relay", "status", channel.url], { env: { ...env, HOOKTAPE_RELAY_TOKEN: channel.token } });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/No such channel/);
    // A made-up channel id looks exactly like a deleted one.
    expect((await post(`${relay.url}/c/${"a".repeat(26)}/x`, "{}")).status).toBe(404);
    expect(await listed(runCli)).toEqual([...before, other.channel].sort());
  });

  it("caps: a body over the channel's size is 413, a full channel 507, each with a line in the relay's log", async () => {
    const { env } = shared;
    const relay = shared.relay();
    const channel = await createChannel(relay, env, ["--max-size", "8kb"]);
    expect((await post(`${channel.url}/big`, Buffer.alloc(9 * 1024, 0x61))).status).toBe(413);
    expect((await post(`${channel.url}/a`, Buffer.alloc(3 * 1024, 0x62))).status).toBe(200);
    expect((await post(`${channel.url}/b`, Buffer.alloc(3 * 1024, 0x63))).status).toBe(200);
    const full = await post(`${channel.url}/c`, Buffer.alloc(3 * 1024, 0x64));
    expect(full.status).toBe(507);
    const lines = () => relay.records.filter((record) => record.type === "log").map((record) => String(record.line));
    await expect.poll(lines, { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/refused a body of \d+ bytes \(413/), expect.stringMatching(/is full .*507/)]));
    // What was refused was not stored.
    const status = JSON.parse((await post(`${relay.url}/_hooktape/channels/${channel.channel}/status`, "", { authorization: `Bearer ${channel.token}` }, "GET")).body.toString("utf8"));
    expect(status.events).toBe(2);
  });
});

describe("relay: retention", { timeout: 120_000 }, () => {
  it("events older than the channel's retention are deleted: not counted, and logged", async () => {
    const { env } = shared;
    const relay = shared.relay();
    const channel = await createChannel(relay, env, ["--retention", "3s"]);
    const firstAt = Date.now();
    expect((await post(`${channel.url}/old`, '{"n":1}')).status).toBe(200);
    await vi.waitFor(() => expect(Date.now() - firstAt).toBeGreaterThan(3_200), { timeout: 10_000, interval: 100 });
    expect((await post(`${channel.url}/new`, '{"n":2}')).status).toBe(200);
    const status = JSON.parse((await post(`${relay.url}/_hooktape/channels/${channel.channel}/status`, "", { authorization: `Bearer ${channel.token}` }, "GET")).body.toString("utf8"));
    expect(status).toMatchObject({ events: 1, head: 2 });
    expect(status.oldestReceivedAt).toBeGreaterThan(firstAt + 3_000);
    await expect.poll(() => relay.records.some((record) => /retention \(.*\) deleted 1 events/.test(String(record.line))), { timeout: 10_000 }).toBe(true);
  });
});

describe("relay: handshakes and live answers", { timeout: 120_000 }, () => {
  it("answers the handshakes that need no secret at the relay, with no laptop connected, and keeps them for the follower", async () => {
    const { env } = shared;
    const relay = shared.relay();
    const channel = await createChannel(relay, env);
    const dropbox = await post(`${channel.url}/dropbox?challenge=Zm9vYmFy-123`, "", {}, "GET");
    expect([dropbox.status, dropbox.body.toString("utf8"), dropbox.headers["content-type"]]).toEqual([200, "Zm9vYmFy-123", "text/plain; charset=utf-8"]);
    const meta = await post(`${channel.url}/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=anything`, "", {}, "GET");
    expect([meta.status, meta.body.toString("utf8")]).toEqual([200, "1158201444"]);
    const okta = await post(`${channel.url}/okta`, "", { "x-okta-verification-challenge": "okta-challenge-1" }, "GET");
    expect(JSON.parse(okta.body.toString("utf8"))).toEqual({ verification: "okta-challenge-1" });
    const mondayBody = '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}';
    const monday = await post(`${channel.url}/monday`, mondayBody);
    expect(monday.body.toString("utf8")).toBe(mondayBody);
    // Slack signs its url_verification: recognised by its signature header, as listen does.
    const slackBody = JSON.stringify({ token: "Jhj5dZrVaK7ZwHHjRyZWjbDl", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" });
    const ts = String(Math.floor(Date.now() / 1000));
    const slackSignature = `v0=${createHmac("sha256", "slack-signing-secret-not-real").update(`v0:${ts}:${slackBody}`).digest("hex")}`;
    const slack = await post(`${channel.url}/slack`, slackBody, { "content-type": "application/json", "x-slack-signature": slackSignature, "x-slack-request-timestamp": ts });
    expect(slack.body.toString("utf8")).toBe("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");

    const handler = await startTargetServer();
    const db = path.join(tempDir(), "laptop.db");
    const listen = await follow(channel, handler.url, db, env);
    await listen.waitForEvents(5);
    const handshakes = listen.records.filter((record) => record.type === "event").map((record) => (record.handshake as { name: string } | undefined)?.name);
    expect(handshakes).toEqual(["Dropbox/Nylas challenge", "Meta hub.challenge", "Okta verification challenge", "monday.com challenge", "Slack url_verification"]);
    // The relay answered them: the handler is not asked again.
    expect(handler.received).toHaveLength(0);
  });

  it("answers Zoom's handshake only with a Zoom secret stored on the channel and only when the request's own signature verifies with it", async () => {
    const { env } = shared;
    const relay = shared.relay();
    const zoomSecret = "zoom-secret-token-not-real";
    const without = await createChannel(relay, env);
    const withSecret = await createChannel(relay, { ...env, HOOKTAPE_SECRET_ZOOM: zoomSecret }, ["--handshake-secret", "zoom"]);
    const body = JSON.stringify({ payload: { plainToken: "qgg8vlvZRS6UYooatFL8Aw" }, event_ts: 1654503849680, event: "endpoint.url_validation" });
    const ts = String(Math.floor(Date.now() / 1000));
    const signed = (secret: string) => ({
      "content-type": "application/json",
      "x-zm-request-timestamp": ts,
      "x-zm-signature": `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`,
    });

    const answered = await post(`${withSecret.url}/zoom`, body, signed(zoomSecret));
    expect(JSON.parse(answered.body.toString("utf8"))).toEqual({
      plainToken: "qgg8vlvZRS6UYooatFL8Aw",
      encryptedToken: createHmac("sha256", zoomSecret).update("qgg8vlvZRS6UYooatFL8Aw").digest("hex"),
    });
    // No secret on the channel, or a request signed with another secret: stored like any event, no answer computed.
    for (const [url, headers] of [
      [without.url, signed(zoomSecret)],
      [withSecret.url, signed("another-secret")],
    ] as const) {
      const refused = await post(`${url}/zoom`, body, headers);
      expect(refused.status).toBe(200);
      expect(refused.body.length).toBe(0);
    }
  });

  it("--respond live: while a listen is connected the sender gets the handler's own answer; with none, 202 once stored", async () => {
    const { env } = shared;
    const relay = shared.relay();
    const channel = await createChannel(relay, env, ["--respond", "live"]);
    const early = await post(`${channel.url}/early`, '{"n":1}');
    expect(early.status).toBe(202);

    const handler = await startTargetServer({ kind: "answer", status: 201, body: "created by the handler", headers: { "x-handler": "yes" } });
    const listen = await follow(channel, handler.url, path.join(tempDir(), "laptop.db"), env);
    await listen.waitForEvents(1);
    const live = await post(`${channel.url}/live`, '{"n":2}');
    expect([live.status, live.body.toString("utf8"), live.headers["x-handler"]]).toEqual([201, "created by the handler", "yes"]);
    expect(handler.received.map((request) => request.url)).toEqual(["/early", "/live"]);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2]?.startsWith("Z");
  } catch {
    return false;
  }
}

/** The status a WebSocket upgrade request gets (101 when accepted). */
function upgradeStatus(url: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, {
      headers: {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-key": randomBytes(16).toString("base64"),
        "sec-websocket-version": "13",
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
    });
    request.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    request.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
