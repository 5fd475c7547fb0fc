import { createHash, createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startCaptureServer, type CaptureNotice, type CaptureServer } from "../../src/capture/index.js";
import { createVerifier, secretHeadersOf, verifyWith } from "../../src/providers/verification.js";
import { createSecretBook } from "../../src/secrets/secret-book.js";
import { createDeliveryAgent } from "../../src/forward/index.js";
import { EventStore } from "../../src/store/index.js";
import { send, startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const SECRET = "test-secret-not-real";
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  capture: CaptureServer;
  store: EventStore;
  notices: CaptureNotice[];
  target: TargetServer | null;
}

async function setup(options: { target?: TargetServer | null; ack?: number; timeoutMs?: number; maxBodyBytes?: number; dbFile?: string } = {}): Promise<Setup> {
  const store = new EventStore(options.dbFile ?? path.join(tempDir(), "hooktape.db"));
  const agent = createDeliveryAgent();
  const notices: CaptureNotice[] = [];
  const target = options.target ?? null;
  const capture = await startCaptureServer({
    store,
    host: "127.0.0.1",
    port: 0,
    target: target ? new URL(target.url) : null,
    ack: options.ack ?? null,
    timeoutMs: options.timeoutMs ?? 5_000,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    dispatcher: agent,
    publicUrl: () => null,
    verify: (request) => {
      const outcome = verifyWith({ secretsOf: (id) => createSecretBook({ flagValues: [SECRET], env: {} }).verifying(id) }, request, { nowSec: Math.floor(request.receivedAt / 1000) });
      return { provider: outcome.provider?.id ?? null, verification: outcome.verification };
    },
    onNotice: (notice) => notices.push(notice),
  });
  cleanups.push(async () => {
    await capture.close(1_000);
    await agent.close();
    store.close();
  });
  return { capture, store, notices, target };
}

async function withTarget(behaviour?: Parameters<typeof startTargetServer>[0]): Promise<TargetServer> {
  const target = await startTargetServer(behaviour);
  cleanups.push(() => target.close());
  return target;
}

function signed(body: Buffer): Array<[string, string]> {
  return [["X-Signature", "sha256=" + createHmac("sha256", SECRET).update(body).digest("hex")]];
}

describe("capture server", () => {
  it("delivers binary and invalid UTF-8 bodies byte for byte, and records the same bytes", async () => {
    const target = await withTarget({ kind: "answer", status: 201, body: "created", headers: { "x-handler": "yes" } });
    const { capture, store } = await setup({ target });
    const body = Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28, 0x7b, 0x22, 0x0a, 0x80, 0x81]);
    const headers: Array<[string, string]> = [
      ["Content-Type", "application/octet-stream"],
      ["X-Dup", "one"],
      ["X-Dup", "two"],
      ...signed(body),
    ];
    const response = await send(`${capture.url}/hooks/bin?q=1&q=2`, { headers, body });

    expect(response.status).toBe(201);
    expect(response.body.toString()).toBe("created");
    expect(response.headers["x-handler"]).toBe("yes");
    const received = target.received[0];
    expect(received?.body.equals(body)).toBe(true);
    expect(received?.url).toBe("/hooks/bin?q=1&q=2");
    // Original headers in order, duplicates kept, then the forwarding headers a proxy adds.
    const names = received?.headers.map(([name]) => name) ?? [];
    expect(received?.headers.filter(([name]) => name === "X-Dup")).toEqual([["X-Dup", "one"], ["X-Dup", "two"]]);
    expect(names).toContain("X-Forwarded-For");
    expect(received?.headers.find(([name]) => name === "X-Forwarded-Proto")?.[1]).toBe("http");

    const [summary] = store.listEvents({ limit: 0 });
    const event = store.getEvent(summary?.id ?? "");
    expect(event.body.equals(body)).toBe(true);
    expect(event.bodySha256).toBe(createHash("sha256").update(body).digest("hex"));
    expect(event.headers.filter(([name]) => name === "X-Dup")).toEqual([["X-Dup", "one"], ["X-Dup", "two"]]);
    expect(event.provider).toBe("hmac");
    expect(event.verification).toEqual({ status: "valid", reason: null, hint: null });
    // The attempt rides the group commit after the answer.
    await vi.waitFor(() => expect(store.listAttempts(event.id)).toHaveLength(1));
    const [attempt] = store.listAttempts(event.id);
    expect(attempt).toMatchObject({ kind: "forward", attempt: 1, status: 201, error: null, target: `${target.url}/hooks/bin?q=1&q=2` });
    expect(attempt?.responseBody.toString()).toBe("created");
  });

  it("records a forged signature as invalid and still forwards it (the handler decides)", async () => {
    const target = await withTarget({ kind: "answer", status: 401, body: "bad signature" });
    const { capture, store } = await setup({ target });
    const response = await send(`${capture.url}/h`, { headers: [["X-Signature", "sha256=" + "0".repeat(64)]], body: "{}" });
    expect(response.status).toBe(401);
    const [summary] = store.listEvents({ limit: 0 });
    expect(summary?.verification).toEqual({ status: "invalid", reason: "no_matching_signature" });
    expect(summary?.delivery?.status).toBe(401);
    // The hint is kept for `events show`, in plain words.
    expect(store.getEvent(summary?.id ?? "").verification.hint).toMatch(/re-serialised/);
  });

  it("commits the event before answering: a handler that dies mid-request leaves the event stored and a 502", async () => {
    const target = await withTarget({ kind: "destroy" });
    const { capture, store } = await setup({ target });
    const response = await send(`${capture.url}/pay`, { body: '{"id":"evt_1"}' });
    expect(response.status).toBe(502);
    expect(store.listEvents({ limit: 0 })[0]?.url).toBe("/pay");
    // The attempt rides the group commit after the answer.
    await vi.waitFor(() => expect(store.listEvents({ limit: 0 })[0]?.delivery).not.toBeNull());
    const [summary] = store.listEvents({ limit: 0 });
    expect(summary?.delivery).toMatchObject({ status: null });
    expect(summary?.delivery?.error).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
  });

  it("answers 502 and records a failed delivery when the handler is down", async () => {
    const target = await withTarget();
    const downUrl = target.url;
    await target.close();
    cleanups.pop();
    const { capture, store } = await setup({ target: { ...target, url: downUrl } });
    const response = await send(`${capture.url}/x`, { body: "hello" });
    expect(response.status).toBe(502);
    expect(response.body.toString()).toContain("unreachable");
    await vi.waitFor(() => expect(store.listEvents({ limit: 0, status: { kind: "failed" } })).toHaveLength(1));
    const [summary] = store.listEvents({ limit: 0, status: { kind: "failed" } });
    expect(summary?.delivery).toMatchObject({ status: null, error: "ECONNREFUSED" });
  });

  it("answers 504 when the handler is slower than the timeout, and records the timeout", async () => {
    const target = await withTarget({ kind: "hang" });
    const { capture, store } = await setup({ target, timeoutMs: 300 });
    const started = performance.now();
    const response = await send(`${capture.url}/slow`, { body: "x" });
    expect(response.status).toBe(504);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(900); // at the timeout, not at some coarser timer's tick
    await vi.waitFor(() => expect(store.listEvents({ limit: 0 })[0]?.delivery?.error).toBe("timeout"));
  });

  it("with --ack answers at once and forwards in the background", async () => {
    const target = await withTarget({ kind: "answer", status: 500, body: "boom", delayMs: 300 });
    const { capture, store, notices } = await setup({ target, ack: 202 });
    const response = await send(`${capture.url}/acked`, { body: "payload" });
    expect(response.status).toBe(202);
    // The handler has the request, but its (slow) answer is not in yet when the sender already has 202.
    expect(store.listEvents({ limit: 0 })[0]?.delivery).toBeNull();
    await vi.waitFor(() => expect(store.listEvents({ limit: 0 })[0]?.delivery?.status).toBe(500), { timeout: 3_000 });
    expect(target.received[0]?.body.toString()).toBe("payload");
    expect(notices.some((notice) => notice.type === "event" && notice.event.delivery?.status === 500)).toBe(true);
  });

  it("answers 413 past the body limit and records the request as rejected, without the body", async () => {
    const target = await withTarget();
    const { capture, store } = await setup({ target, maxBodyBytes: 1024 });
    const response = await send(`${capture.url}/big`, { body: Buffer.alloc(4096, 0x61) });
    expect(response.status).toBe(413);
    expect(target.received).toHaveLength(0);
    const [summary] = store.listEvents({ limit: 0 });
    expect(summary).toMatchObject({ rejected: "too_large", bodySize: 4096, delivery: null });
    expect(store.getEvent(summary?.id ?? "").body.length).toBe(0);
    // A body of exactly the limit is fine.
    const ok = await send(`${capture.url}/fits`, { body: Buffer.alloc(1024, 0x62) });
    expect(ok.status).toBe(200);
  });

  it("rejects a chunked upload that grows past the limit", async () => {
    const { capture, store } = await setup({ maxBodyBytes: 100 });
    const status = await new Promise<number>((resolve, reject) => {
      const socket = net.connect(capture.port, "127.0.0.1", () => {
        socket.write("POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        socket.write(`c8\r\n${"z".repeat(200)}\r\n`);
      });
      let data = "";
      socket.on("data", (chunk) => {
        data += chunk.toString();
        const match = /^HTTP\/1\.1 (\d{3})/.exec(data);
        if (match) {
          resolve(Number(match[1]));
          socket.destroy();
        }
      });
      socket.on("error", reject);
    });
    expect(status).toBe(413);
    expect(store.listEvents({ limit: 0 })[0]?.rejected).toBe("too_large");
  });

  it("keeps serving after malformed HTTP, aborted uploads and huge headers, and records none of them", async () => {
    const target = await withTarget();
    const { capture, store } = await setup({ target });
    const rawExchange = (payload: string, { end = true } = {}) =>
      new Promise<string>((resolve) => {
        // Without `end`, the sender goes away once its bytes are on the wire: the server reads them, then a reset.
        const socket = net.connect(capture.port, "127.0.0.1", () => (end ? socket.end(payload) : socket.write(payload, () => socket.destroy())));
        let data = "";
        socket.on("data", (chunk) => (data += chunk.toString()));
        socket.on("close", () => resolve(data));
        socket.on("error", () => resolve(data));
      });

    expect(await rawExchange("THIS IS NOT HTTP\r\n\r\n")).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawExchange(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(70_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431/);
    // An upload that announces 1000 bytes and stops after 10.
    await rawExchange("POST /aborted HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789", { end: false });

    const response = await send(`${capture.url}/after`, { body: "still here" });
    expect(response.status).toBe(200);
    const urls = store.listEvents({ limit: 0 }).map((event) => event.url);
    expect(urls).toEqual(["/after"]);
  });

  it("two capture servers on one database file both record everything", async () => {
    const dbFile = path.join(tempDir(), "shared.db");
    const first = await setup({ dbFile });
    const second = await setup({ dbFile });
    const sends: Array<Promise<unknown>> = [];
    for (let i = 0; i < 60; i++) {
      const server = i % 2 === 0 ? first.capture : second.capture;
      sends.push(send(`${server.url}/n/${i}`, { body: `{"n":${i}}` }));
    }
    const responses = (await Promise.all(sends)) as Array<{ status: number }>;
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const reader = new EventStore(dbFile);
    cleanups.push(() => reader.close());
    const urls = reader.listEvents({ limit: 0 }).map((event) => event.url).sort();
    expect(urls).toHaveLength(60);
    expect(new Set(urls).size).toBe(60);
  });

  it("answers 503 (so the sender retries) when the database cannot record", async () => {
    const { capture, store, notices } = await setup();
    store.close();
    const response = await send(`${capture.url}/lost`, { body: "x" });
    expect(response.status).toBe(503);
    expect(notices.some((notice) => notice.type === "warning" && /could not record/.test(notice.message))).toBe(true);
  });
});

describe("secrets in headers", () => {
  it("forwards a token scheme's header as it came but never writes the token to the database", async () => {
    const target = await withTarget();
    const store = new EventStore(path.join(tempDir(), "token.db"));
    const agent = createDeliveryAgent();
    const token = "glpat-token-that-is-the-secret";
    const verifier = createVerifier({ providerId: "gitlab", secretsOf: () => [token] });
    const capture = await startCaptureServer({
      store,
      host: "127.0.0.1",
      port: 0,
      target: new URL(target.url),
      ack: null,
      timeoutMs: 5_000,
      maxBodyBytes: 1024 * 1024,
      dispatcher: agent,
      publicUrl: () => null,
      verify: (request) => {
        const outcome = verifier(request, { nowSec: Math.floor(request.receivedAt / 1000) });
        return { provider: outcome.provider?.id ?? null, verification: outcome.verification, secretHeaders: secretHeadersOf(outcome.provider) };
      },
      onNotice: () => undefined,
    });
    cleanups.push(async () => {
      await capture.close(1_000);
      await agent.close();
      store.close();
    });

    const response = await send(`${capture.url}/gitlab`, { headers: [["X-Gitlab-Token", token], ["X-Gitlab-Event", "Push Hook"]], body: "{}" });
    expect(response.status).toBe(200);
    expect(target.received[0]?.headers).toContainEqual(["X-Gitlab-Token", token]); // the handler can check it
    const [summary] = store.listEvents({ limit: 0 });
    expect(summary?.verification.status).toBe("valid");
    const stored = store.getEvent(summary?.id ?? "");
    expect(stored.headers).toContainEqual(["X-Gitlab-Token", "[redacted]"]);
    store.close();
    expect(readFileSync(store.file).includes(token)).toBe(false);
    for (const suffix of ["-wal", "-shm"]) {
      if (existsSync(store.file + suffix)) expect(readFileSync(store.file + suffix).includes(token)).toBe(false);
    }
  });
});
