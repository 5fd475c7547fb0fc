import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startCaptureServer } from "../../src/capture/index.js";
import { createDeliveryAgent } from "../../src/forward/index.js";
import { startInspector } from "../../src/inspector/index.js";
import { EventStore } from "../../src/store/index.js";
import { listenSession } from "../helpers/listen-session.js";
import { tempDir } from "../helpers/temp-dir.js";
import { FAKE_CLOUDFLARED, readState, stopAll } from "../tunnel/helpers.js";

const cleanups: Array<() => Promise<void> | void> = [];
const edgeStates: string[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await stopAll([], edgeStates.splice(0));
});
const session = listenSession();

/**
 * A slowloris that ignores the server's FIN: it sends the start of a request and then nothing, and keeps its side of
 * the connection open (half-open) whatever the server answers, as `nc` does. `gone()` is true once the server has
 * really closed the connection: a write then meets a reset.
 */
function slowloris(port: number): Promise<{ gone: () => boolean; answer: () => string; poke: () => void }> {
  return new Promise((resolve, reject) => {
    let gone = false;
    let answer = "";
    const socket = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true }, () => {
      socket.write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      resolve({
        gone: () => gone,
        answer: () => answer,
        // After the server's FIN, a write reaches either a socket that still reads (a connection still held) or a
        // closed one, which answers with a reset.
        poke: () => {
          if (!gone && socket.writable) socket.write("X-Still-Here: 1\r\n");
        },
      });
    });
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
    socket.on("error", () => (gone = true));
    socket.on("close", () => (gone = true));
    socket.once("error", reject);
    cleanups.push(() => void socket.destroy());
  });
}

async function closedWithin(client: { gone: () => boolean; poke: () => void }, timeoutMs: number): Promise<void> {
  await vi.waitFor(
    () => {
      client.poke();
      expect(client.gone()).toBe(true);
    },
    { timeout: timeoutMs, interval: 200 },
  );
}

describe("a connection that sends part of a request and then nothing is closed, on every server hooktape runs", () => {
  it("capture: a half-open slowloris gets 408 and loses its connection, so it cannot hold a place under maxConnections", async () => {
    const store = new EventStore(path.join(tempDir(), "h.db"));
    const agent = createDeliveryAgent();
    const server = await startCaptureServer({
      store,
      host: "127.0.0.1",
      port: 0,
      target: null,
      ack: null,
      timeoutMs: 2_000,
      maxBodyBytes: 1024 * 1024,
      headersTimeoutMs: 1_000,
      maxConnections: 2,
      dispatcher: agent,
      publicUrl: () => null,
      verify: () => ({ provider: null, verification: { status: "unverified", reason: "unknown_provider" } }),
      onNotice: () => undefined,
    });
    cleanups.push(async () => {
      await server.close(500);
      await agent.close();
      store.close();
    });
    const slow = await Promise.all([slowloris(server.port), slowloris(server.port)]);
    for (const client of slow) await closedWithin(client, 5_000);
    expect(slow[0]?.answer()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    // Both places are free again: a delivery is answered.
    const answer = await fetch(`${server.url}/after`, { method: "POST", body: "{}" });
    expect(answer.status).toBe(200);
  });

  it("inspector: the same limits, not Node's defaults (60 s, checked every 30 s)", async () => {
    const store = new EventStore(path.join(tempDir(), "h.db"));
    const inspector = await startInspector({ store, port: 0, portExplicit: true, signing: { providerOf: () => null, secretsOf: () => [], secretEnvOf: (id) => id }, headersTimeoutMs: 1_000 });
    cleanups.push(async () => {
      await inspector.close();
      store.close();
    });
    const slow = await slowloris(inspector.port);
    await closedWithin(slow, 5_000);
    expect(slow.answer()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("with the real defaults, `listen --ui` through a tunnel closes a slowloris on the capture port, the tunnel's port and the inspector within 25 s", async () => {
    const dir = tempDir();
    const stateFile = path.join(dir, "cloudflared.json");
    edgeStates.push(stateFile);
    const listen = await session.listen(["--cloudflared", FAKE_CLOUDFLARED, "--ui", "--ui-port", "0", "--db", path.join(dir, "h.db")], {
      FAKE_CLOUDFLARED_STATE: stateFile,
    });
    const state = (await readState(stateFile)) as unknown as { argv: string[] };
    const tunnelPort = Number(new URL(state.argv[state.argv.indexOf("--url") + 1] ?? "").port);
    const inspector = await vi.waitFor(() => {
      const record = listen.records.find((item) => item.type === "inspector");
      expect(record).toBeDefined();
      return new URL(String(record?.url));
    });
    const ports = [Number(new URL(listen.ready.url).port), tunnelPort, Number(inspector.port)];
    const clients = await Promise.all(ports.map((port) => slowloris(port)));
    const startedAt = Date.now();
    await Promise.all(clients.map((client) => closedWithin(client, 25_000)));
    const took = Date.now() - startedAt;
    expect(took).toBeGreaterThan(15_000); // the real 20 s limit, not something shorter by accident
    for (const client of clients) expect(client.answer()).toMatch(/^HTTP\/1\.1 408 /);
  }, 40_000);
});
