import { createHmac } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { Environment, Paddle } from "@paddle/paddle-node-sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startTargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { createChannel, fileRelay, follow, post, waitForRecord } from "./relay-helpers.js";

// How a follower behaves over time: events that waited longer than their provider's tolerance, and a connection that
// dies without closing. Both follow channels of their own on the file's one relay.
const shared = fileRelay();

const PADDLE_SECRET = "pdl_ntfset_01hv8x29kz0t586xy6zn1a62ne_lOuOxnVQFvEr1NJz9Nz7O0XeTsHc4HcM";

/** A Paddle delivery signed `seconds` ago by the documented procedure (ts=<s>;h1=<hex HMAC of "<ts>:<body>">). */
function paddleDelivery(ageSec: number): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ event_id: "evt_01hv8x2acma2gz3he9f9dw2xy0", event_type: "customer.created", data: { name: "José Señor ✓" } }, null, 2);
  const ts = Math.floor(Date.now() / 1000) - ageSec;
  const h1 = createHmac("sha256", PADDLE_SECRET).update(`${ts}:${body}`).digest("hex");
  return { body, headers: { "content-type": "application/json", "paddle-signature": `ts=${ts};h1=${h1}` } };
}

const proxies: Array<{ server: net.Server; sockets: Set<net.Socket> }> = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) {
    for (const socket of proxy.sockets) socket.destroy();
    await new Promise((resolve) => proxy.server.close(resolve));
  }
});

describe("listen --relay: events older than their provider's tolerance", { timeout: 120_000 }, () => {
  it("forwards a stale event as captured and says how to send it fresh; with --resign-stale the handler gets a signature Paddle's SDK accepts now", async () => {
    const { env } = shared;
    const relay = shared.relay();
    const channel = await createChannel(relay, env);
    // Valid when the relay receives it (Paddle allows 5 s), stale by the time anyone follows.
    const delivery = paddleDelivery(2);
    expect((await post(`${channel.url}/paddle`, delivery.body, delivery.headers)).status).toBe(200);
    const signedAt = Number(/ts=(\d+)/.exec(delivery.headers["paddle-signature"]!)![1]);
    await vi.waitFor(() => expect(Date.now() / 1000 - signedAt).toBeGreaterThan(7), { timeout: 10_000, interval: 100 });

    const secretEnv = { ...env, HOOKTAPE_SECRET_PADDLE: PADDLE_SECRET };
    const plainHandler = await startTargetServer();
    const plain = await follow(channel, plainHandler.url, path.join(tempDir(), "plain.db"), secretEnv);
    const stale = await waitForRecord(plain, (record) => record.type === "stale");
    expect(stale).toMatchObject({ provider: "paddle", toleranceSec: 5, resigned: false });
    await plain.waitForEvents(1);
    // Recorded as it was at the relay: valid when it arrived.
    expect(plain.records.find((record) => record.type === "event")).toMatchObject({ provider: "paddle", verification: { status: "valid" } });
    await plainHandler.waitFor(1);
    expect(plainHandler.received[0]!.headers.find(([name]) => name.toLowerCase() === "paddle-signature")?.[1]).toBe(delivery.headers["paddle-signature"]);

    const freshHandler = await startTargetServer();
    const fresh = await follow(channel, freshHandler.url, path.join(tempDir(), "fresh.db"), secretEnv, ["--resign-stale"]);
    expect(await waitForRecord(fresh, (record) => record.type === "stale")).toMatchObject({ resigned: true });
    await freshHandler.waitFor(1);
    const received = freshHandler.received[0]!;
    expect(received.body.toString("utf8")).toBe(delivery.body);
    const signature = received.headers.find(([name]) => name.toLowerCase() === "paddle-signature")?.[1] ?? "";
    expect(signature).not.toBe(delivery.headers["paddle-signature"]);
    const webhooks = new Paddle("pdl_sdbx_apikey_hooktape_cross_check", { environment: Environment.sandbox }).webhooks;
    expect(await webhooks.isSignatureValid(received.body.toString("utf8"), PADDLE_SECRET, signature)).toBe(true);
  });
});

describe("listen --relay: a connection that dies silently", { timeout: 120_000 }, () => {
  it("notices within its heartbeat timeout, reconnects with backoff, and gets what arrived meanwhile", async () => {
    const { env } = shared;
    const relay = shared.relay();
    // The follower reaches the relay through a TCP proxy that the test can make swallow everything, as a dropped
    // Wi-Fi or a sleeping laptop's NAT entry does: no FIN, no RST, just silence.
    const target = new URL(relay.url);
    let blackHole = false;
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      sockets.add(client);
      sockets.add(upstream);
      client.on("data", (chunk) => {
        if (!blackHole) upstream.write(chunk);
      });
      upstream.on("data", (chunk) => {
        if (!blackHole) client.write(chunk);
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on("close", end);
      upstream.on("close", end);
      client.on("error", end);
      upstream.on("error", end);
    });
    proxies.push({ server: proxy, sockets });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const channel = await createChannel(relay, env);
    const viaProxy = { ...channel, url: channel.url.replace(relay.url, proxyUrl) };

    const handler = await startTargetServer();
    const listen = await follow(viaProxy, handler.url, path.join(tempDir(), "laptop.db"), { ...env, HOOKTAPE_RELAY_HEARTBEAT_MS: "300" });
    await waitForRecord(listen, (record) => record.type === "relay" && record.state === "connected");
    expect((await post(`${channel.url}/one`, '{"n":1}')).status).toBe(200);
    await handler.waitFor(1);

    blackHole = true;
    const before = Date.now();
    expect((await post(`${channel.url}/two`, '{"n":2}')).status).toBe(200);
    const dropped = await waitForRecord(listen, (record) => record.type === "relay" && record.state === "disconnected");
    // Three heartbeats without an answer (0.9 s here; 30 s by default), and it says so.
    expect(Date.now() - before).toBeLessThan(10_000);
    expect(String(dropped.reason)).toMatch(/no word from the relay/);
    for (const socket of sockets) socket.destroy();
    blackHole = false;

    await handler.waitFor(2);
    expect(handler.received.map((request) => request.url)).toEqual(["/one", "/two"]);
    expect(listen.records.filter((record) => record.type === "relay" && record.state === "connected").length).toBeGreaterThanOrEqual(2);
  });
});
