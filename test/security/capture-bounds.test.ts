import { createHash, randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startCaptureServer, type CaptureNotice, type CaptureServer } from "../../src/capture/index.js";
import { createDeliveryAgent } from "../../src/forward/index.js";
import { EventStore } from "../../src/store/index.js";
import { startListen } from "../helpers/cli.js";
import { sharedListen } from "../helpers/listen-session.js";
import { runProgram } from "../helpers/program.js";
import { send, startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// `listen` with its defaults (no tunnel), where the two tests of its default limits send to paths of their own.
const withDefaults = sharedListen({ args: () => ["--no-tunnel"], env: ({ db }) => ({ HOOKTAPE_DB: db }) });

async function capture(options: { headersTimeoutMs?: number; maxConnections?: number; target?: TargetServer; uploadsInMemoryBytes?: number } = {}) {
  const store = new EventStore(path.join(tempDir(), "h.db"));
  const agent = createDeliveryAgent();
  const notices: CaptureNotice[] = [];
  const server: CaptureServer = await startCaptureServer({
    store,
    host: "127.0.0.1",
    port: 0,
    target: options.target ? new URL(options.target.url) : null,
    ack: null,
    timeoutMs: 2_000,
    maxBodyBytes: 1024 * 1024,
    headersTimeoutMs: options.headersTimeoutMs,
    maxConnections: options.maxConnections,
    uploadsInMemoryBytes: options.uploadsInMemoryBytes,
    dispatcher: agent,
    publicUrl: () => null,
    verify: () => ({ provider: null, verification: { status: "unverified", reason: "unknown_provider" } }),
    onNotice: (notice) => notices.push(notice),
  });
  cleanups.push(async () => {
    await server.close(500);
    await agent.close();
    store.close();
  });
  return { server, store, notices };
}

/** A raw connection that records whether the server closed it and what it answered. */
function connect(port: number, send?: string): Promise<{ socket: net.Socket; closed: () => boolean; answer: () => string }> {
  return new Promise((resolve, reject) => {
    let closed = false;
    let answer = "";
    const socket = net.connect(port, "127.0.0.1", () => {
      if (send !== undefined) socket.write(send);
      resolve({ socket, closed: () => closed, answer: () => answer });
    });
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
    socket.on("close", () => (closed = true));
    socket.on("error", () => (closed = true));
    socket.once("error", reject);
    cleanups.push(() => void socket.destroy());
  });
}

describe("a stranger cannot hold the capture server open", () => {
  it("a connection that never finishes its headers is closed after the headers timeout", async () => {
    const { server } = await capture({ headersTimeoutMs: 1_000 });
    const slow = await connect(server.port, "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Dribble: ");
    await vi.waitFor(() => expect(slow.closed()).toBe(true), { timeout: 5_000, interval: 100 });
  });

  it("past maxConnections new connections are dropped, and service comes back once the idle ones time out", async () => {
    const { server } = await capture({ headersTimeoutMs: 1_000, maxConnections: 4 });
    const idle = await Promise.all(Array.from({ length: 4 }, () => connect(server.port, "POST / HTTP/1.1\r\n")));
    const extra = await connect(server.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await vi.waitFor(() => expect(extra.closed()).toBe(true), { timeout: 2_000, interval: 20 });
    expect(extra.answer()).toBe("");
    await vi.waitFor(() => expect(idle.every((c) => c.closed())).toBe(true), { timeout: 5_000, interval: 100 });
    const answer = await fetch(`${server.url}/after`, { method: "POST", body: "{}" });
    expect(answer.status).toBe(200);
  });

  it("a client that keeps one connection for 1,500 deliveries, sending the next before it reads the answer, gets 200 for every one and every one is recorded", async () => {
    const { server, store } = await capture();
    const body = Buffer.from(JSON.stringify({ id: "evt_1", type: "invoice.paid", data: { customer: "Zoë Ångström", amount: 2000 } }, null, 2));
    const request = `POST /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const one = Buffer.concat([Buffer.from(request, "latin1"), body]);
    const connection = await connect(server.port);
    connection.socket.write(Buffer.concat(Array.from({ length: 1_500 }, () => one)));
    await vi.waitFor(() => expect((connection.answer().match(/HTTP\/1\.1 \d{3}/g) ?? []).length).toBeGreaterThanOrEqual(1_500), { timeout: 20_000, interval: 50 });
    const statuses = connection.answer().match(/HTTP\/1\.1 \d{3}/g) ?? [];
    expect(new Set(statuses)).toEqual(new Set(["HTTP/1.1 200"]));
    expect(connection.closed()).toBe(false);
    expect(store.countEvents({ limit: 0 })).toBe(1_500);
    const sha256 = createHash("sha256").update(body).digest("hex");
    expect(store.listEvents({ limit: 0 }).filter((event) => event.bodySha256 === sha256)).toHaveLength(1_500);
  });
});

describe("request targets and forwarded headers", () => {
  it.each([
    ["absolute-form", "POST http://evil.example/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}"],
    ["asterisk-form", "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"],
    ["a duplicate Host", "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nContent-Length: 2\r\n\r\n{}"],
  ])("%s: 400, nothing recorded, nothing forwarded", async (_kind, request) => {
    const target = await startTargetServer();
    cleanups.push(() => target.close());
    const { server, store } = await capture({ target });
    const raw = await connect(server.port, request);
    await vi.waitFor(() => expect(raw.answer()).toMatch(/^HTTP\/1\.1 400 /), { timeout: 3_000, interval: 20 });
    expect(store.listEvents({ limit: 0 })).toEqual([]);
    expect(target.received).toEqual([]);
  });

  it("X-Forwarded-* come from hooktape, not the client; CF-* claims and Connection-named headers are dropped on a local connection", async () => {
    const target = await startTargetServer();
    cleanups.push(() => target.close());
    const { server, store } = await capture({ target });
    const answer = await send(`${server.url}/hook`, {
      headers: [
        ["X-Forwarded-Host", "evil.example"],
        ["X-Forwarded-Proto", "https"],
        ["X-Forwarded-For", "10.9.9.9"],
        ["CF-Ray", "8f00000000000000-AMS"],
        ["CF-Connecting-IP", "203.0.113.7"],
        ["Connection", "keep-alive, X-Hop-Secret"],
        ["X-Hop-Secret", "for the next hop only"],
        ["Content-Type", "application/json"],
      ],
      body: '{"ok":true}',
    });
    expect(answer.status).toBe(200);
    const received = target.received[0];
    const header = (name: string) => received?.headers.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);
    expect(header("x-forwarded-host")).toEqual([new URL(server.url).host]);
    expect(header("x-forwarded-proto")).toEqual(["http"]);
    expect(header("x-forwarded-for")).toEqual(["127.0.0.1"]);
    expect(header("cf-ray")).toEqual([]);
    expect(header("cf-connecting-ip")).toEqual([]);
    expect(header("x-hop-secret")).toEqual([]);
    expect(header("content-type")).toEqual(["application/json"]);
    // A CF-Ray header does not make a local request "via tunnel".
    expect(store.listEvents({ limit: 0 })[0]?.via).toBe("local");
  });
  it("a client's other forwarding claims (Forwarded, X-Real-IP, True-Client-IP, X-Original-URL, ...) never reach the handler", async () => {
    const target = await startTargetServer();
    cleanups.push(() => target.close());
    const { server, store } = await capture({ target });
    const claims: Array<[string, string]> = [
      ["Forwarded", "for=10.0.0.1;proto=https;host=admin.internal"],
      ["X-Real-IP", "10.0.0.1"],
      ["True-Client-IP", "10.0.0.1"],
      ["X-Client-IP", "10.0.0.1"],
      ["X-Cluster-Client-IP", "10.0.0.1"],
      ["X-Original-URL", "/admin/delete"],
      ["X-Rewrite-URL", "/admin/delete"],
      ["X-Forwarded-Port", "443"],
      ["X-Forwarded-Prefix", "/admin"],
    ];
    const forwardedWithout = async (url: string, extra: Array<[string, string]>) => {
      const before = target.received.length;
      const answer = await send(`${url}/hook`, { headers: [...extra, ...claims, ["Content-Type", "application/json"]], body: '{"ok":true}' });
      expect(answer.status).toBe(200);
      const received = target.received[before];
      const names = (received?.headers ?? []).map(([name]) => name.toLowerCase());
      for (const [claim] of claims) expect(names).not.toContain(claim.toLowerCase());
      expect(names.filter((name) => name === "x-forwarded-for")).toHaveLength(1);
      expect(names).toContain("content-type");
    };
    await forwardedWithout(server.url, []);
    // Through the tunnel too: Cloudflare passes a client's headers on.
    await forwardedWithout(server.tunnelOriginUrl, [["Host", server.tunnelHostHeader], ["X-Forwarded-Host", "abc.trycloudflare.com"]]);
    // The event keeps what the client sent, byte for byte: only the handler is spared the claims.
    const [latest] = store.listEvents({ limit: 0 });
    expect(store.getEvent(latest?.id ?? "").headers).toEqual(expect.arrayContaining([["X-Real-IP", "10.0.0.1"], ["X-Original-URL", "/admin/delete"]]));
  });

  it("on the tunnel's own listener, with the run's Host as cloudflared sends it, Cloudflare's view is trusted: via tunnel, https, the visitor's address", async () => {
    const target = await startTargetServer();
    cleanups.push(() => target.close());
    const { server, store } = await capture({ target });
    expect(server.tunnelOriginUrl).not.toBe(server.url);
    const answer = await send(`${server.tunnelOriginUrl}/hook`, {
      headers: [
        ["Host", server.tunnelHostHeader],
        ["X-Forwarded-Host", "abc.trycloudflare.com"],
        ["CF-Ray", "8f00000000000000-AMS"],
        ["CF-Connecting-IP", "203.0.113.7"],
        ["X-Forwarded-For", "203.0.113.7"],
        ["X-Forwarded-Proto", "https"],
      ],
      body: "{}",
    });
    expect(answer.status).toBe(200);
    const headers = target.received[0]?.headers ?? [];
    const header = (name: string) => headers.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);
    expect(header("x-forwarded-for")).toEqual(["203.0.113.7"]);
    expect(header("x-forwarded-proto")).toEqual(["https"]);
    expect(header("cf-ray")).toEqual(["8f00000000000000-AMS"]);
    expect(header("x-forwarded-host")).toEqual(["abc.trycloudflare.com"]);
    const [summary] = store.listEvents({ limit: 0 });
    expect(summary?.via).toBe("tunnel");
    expect(store.getEvent(summary?.id ?? "").headers.filter(([name]) => name.toLowerCase() === "host")).toEqual([["Host", "abc.trycloudflare.com"]]);
  });
});

describe("disk and memory", () => {
  it("--max-store: past the cap requests get 507 with one clear line, and the store stops growing", async () => {
    const dir = tempDir();
    const db = path.join(dir, "h.db");
    const listen = await startListen(["--no-tunnel", "--max-store", "256kb"], { HOOKTAPE_DB: db });
    const statuses: number[] = [];
    try {
      const body = JSON.stringify({ data: "é".repeat(10_000) }, null, 2); // ~20 KB, as pretty-printed JSON
      for (let i = 0; i < 30; i++) {
        const answer = await fetch(`${listen.ready.url}/hook/${i}`, { method: "POST", headers: { "content-type": "application/json" }, body });
        statuses.push(answer.status);
      }
    } finally {
      await listen.stop();
    }
    const accepted = statuses.filter((status) => status === 200).length;
    expect(accepted).toBeGreaterThan(3);
    expect(statuses.slice(accepted).every((status) => status === 507)).toBe(true);
    expect(statuses.length - accepted).toBeGreaterThan(10);
    const warnings = listen.records.filter((record) => record.type === "warning");
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.message)).toMatch(/^the store is full \(.* of --max-store 256\.0 KiB\): answering 507/);
    expect(statSync(db).size).toBeLessThan(400 * 1024);
    const listed = await runProgram(["--db", db, "--json", "events", "list", "--limit", "0"]);
    expect(JSON.parse(listed.stdout)).toHaveLength(accepted);
  });

  it("a large body read into one buffer arrives and is stored byte for byte", async () => {
    const target = await startTargetServer();
    cleanups.push(() => target.close());
    const { server, store } = await capture({ target });
    const body = randomBytes(900 * 1024);
    const answer = await send(`${server.url}/large`, { headers: [["Content-Type", "application/octet-stream"]], body });
    expect(answer.status).toBe(200);
    expect(target.received[0]?.body.equals(body)).toBe(true);
    const [summary] = store.listEvents({ limit: 0 });
    expect(store.getEvent(summary?.id ?? "").body.equals(body)).toBe(true);
  });

  it("the default --max-body is 5 MiB: a 6 MB body gets 413 and is recorded without its bytes", async () => {
    const small = await fetch(`${withDefaults.proc.ready.url}/ok`, { method: "POST", body: Buffer.alloc(4 * 1024 * 1024, 0x61) });
    expect(small.status).toBe(200);
    const large = await fetch(`${withDefaults.proc.ready.url}/big`, { method: "POST", body: Buffer.alloc(6 * 1024 * 1024, 0x61) });
    expect(large.status).toBe(413);
    const events = (await Promise.all(["/ok", "/big"].map((url) => withDefaults.eventAt(url)))) as Array<{ rejected: string | null; url: string }>;
    expect(events.map((event) => [event.url, event.rejected])).toEqual([
      ["/ok", null],
      ["/big", "too_large"],
    ]);
  });
});

describe("what strangers can pin in memory with uploads they never finish", () => {
  /** Starts an upload of `declared` bytes and sends all but the last `missing`; `finish()` sends the rest. */
  async function heldUpload(port: number, declared: number, missing = 1024) {
    const head = `POST /upload HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${declared}\r\n\r\n`;
    const body = randomBytes(declared);
    const conn = await connect(port, head);
    conn.socket.write(body.subarray(0, declared - missing));
    return { ...conn, body, finish: () => conn.socket.write(body.subarray(declared - missing)) };
  }

  it("past the budget a new large upload gets 503 + Retry-After at once; a small delivery is answered; the held one completes byte-exact", async () => {
    const { server, store, notices } = await capture({ uploadsInMemoryBytes: 1024 * 1024 });
    const first = await heldUpload(server.port, 600 * 1024);
    // The first upload is being read (its share taken) before the second arrives.
    await vi.waitFor(() => expect(first.socket.bytesWritten).toBeGreaterThan(500 * 1024));
    const second = await heldUpload(server.port, 600 * 1024);
    await vi.waitFor(() => expect(second.answer()).toMatch(/^HTTP\/1\.1 503 /), { timeout: 5_000 });
    expect(second.answer()).toMatch(/\r\nretry-after: 5\r\n/i);

    const small = await send(`${server.url}/small`, { headers: [["Content-Type", "application/json"]], body: JSON.stringify({ note: "Zoë's small delivery" }, null, 2) });
    expect(small.status).toBe(200);
    expect(first.answer()).toBe("");

    first.finish();
    await vi.waitFor(() => expect(first.answer()).toMatch(/^HTTP\/1\.1 200 /), { timeout: 5_000 });
    const events = store.listEvents({ limit: 0 });
    expect(events.map((event) => event.url).sort()).toEqual(["/small", "/upload"]);
    const upload = events.find((event) => event.url === "/upload");
    expect(store.getEvent(upload?.id ?? "").body.equals(first.body)).toBe(true);
    expect(notices.filter((notice) => notice.type === "warning").map((notice) => (notice as { message: string }).message)).toEqual([
      expect.stringMatching(/^large uploads in progress hold 600\.0 KiB of the 1\.0 MiB hooktape keeps in memory: answering 503 to new ones/),
    ]);

    // Its share is given back: the next large upload is read.
    const third = await heldUpload(server.port, 600 * 1024, 0);
    await vi.waitFor(() => expect(third.answer()).toMatch(/^HTTP\/1\.1 200 /), { timeout: 5_000 });
  });

  it("a chunked upload without a length is refused once it grows past the budget", async () => {
    const { server, store } = await capture({ uploadsInMemoryBytes: 1024 * 1024 });
    const held = await heldUpload(server.port, 600 * 1024);
    await vi.waitFor(() => expect(held.socket.bytesWritten).toBeGreaterThan(500 * 1024));
    const head = `POST /chunked HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const conn = await connect(server.port, head);
    const piece = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 20 && conn.answer() === ""; i++) {
      conn.socket.write(`${piece.length.toString(16)}\r\n`);
      conn.socket.write(piece);
      conn.socket.write("\r\n");
      await new Promise((resolve) => setImmediate(resolve));
    }
    await vi.waitFor(() => expect(conn.answer()).toMatch(/^HTTP\/1\.1 503 /), { timeout: 5_000 });
    expect(store.listEvents({ limit: 0 })).toEqual([]);
  });

  it("with the defaults, `listen` holds 12 uploads of 5 MiB and refuses the rest, still answering small deliveries", async () => {
    const listen = withDefaults.proc;
    const port = Number(new URL(listen.ready.url).port);
    const uploads: Array<Awaited<ReturnType<typeof heldUpload>>> = [];
    for (let i = 0; i < 16; i++) uploads.push(await heldUpload(port, 5 * 1024 * 1024));
    await vi.waitFor(() => expect(uploads.filter((upload) => /^HTTP\/1\.1 503 /.test(upload.answer()))).toHaveLength(4), { timeout: 15_000 });
    const small = await fetch(`${listen.ready.url}/small`, { method: "POST", headers: { "content-type": "application/json" }, body: '{\n  "ok": true\n}' });
    expect(small.status).toBe(200);
    expect(uploads.filter((upload) => upload.answer() === "")).toHaveLength(12);
  });
});
