import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startTunnel, TunnelError, type TunnelHandle } from "../../src/tunnel/index.js";
import {
  FAKE_CLOUDFLARED,
  fakeEnv,
  headerValues,
  isAlive,
  makeTempDir,
  readState,
  sendToEdge,
  startOrigin,
} from "./helpers.js";

// Every test here really spawns test/fake-cloudflared/cloudflared.mjs through the `cloudflared`
// package, exactly as `hooktape listen` does; only Cloudflare's network is simulated.

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(mode = "ok", extra: Record<string, string> = {}) {
  const temp = makeTempDir();
  cleanups.push(temp.remove);
  const stateFile = join(temp.dir, "state.json");
  return { dir: temp.dir, stateFile, env: fakeEnv(stateFile, mode, extra) };
}

function track(handle: TunnelHandle): TunnelHandle {
  cleanups.push(() => handle.stop(200));
  return handle;
}

async function startFailing(options: Parameters<typeof startTunnel>[0]): Promise<TunnelError> {
  const error = await startTunnel(options).then(
    () => {
      throw new Error("expected startTunnel to fail");
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TunnelError);
  return error as TunnelError;
}

describe("startTunnel against the fake cloudflared", () => {
  it("starts a quick tunnel: the public URL and connection come from cloudflared's log lines", async () => {
    const { stateFile, env, dir } = setup();
    const handle = track(
      await startTunnel({ originUrl: "http://127.0.0.1:9", binary: FAKE_CLOUDFLARED, env, cacheDir: dir, timeoutMs: 5000 }),
    );
    const state = await readState(stateFile);

    expect(handle.publicUrl).toMatch(/^https:\/\/[a-z]+(-[a-z]+){3}\.trycloudflare\.com$/);
    expect(handle.publicUrl).toBe(state.publicUrl);
    expect(handle.connection.id).toMatch(UUID_V4);
    expect(handle.connection.ip).toMatch(/^198\.41\.200\.\d+$/);
    expect(handle.connection.location).toBe("ams16");
    expect(handle.binary).toBe(FAKE_CLOUDFLARED);
    expect(handle.recentOutput().some((line) => line.includes("Registered tunnel connection connIndex=0"))).toBe(true);

    await handle.stop();
    expect(isAlive(state.pid)).toBe(false);
    expect(handle.recentOutput().some((line) => line.includes("Initiating graceful shutdown due to signal interrupt"))).toBe(true);
  });

  it("carries public traffic to the origin byte-exact with Cloudflare's headers, and the answer back", async () => {
    const origin = await startOrigin();
    cleanups.push(origin.close);
    const { stateFile, env, dir } = setup();
    const handle = track(await startTunnel({ originUrl: origin.url, binary: FAKE_CLOUDFLARED, env, cacheDir: dir, timeoutMs: 5000 }));
    const state = await readState(stateFile);
    // Every byte value plus invalid UTF-8: a tunnel that decodes text would break signatures.
    const body = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from([0xc3, 0x28, 0xff])]);

    const answer = await sendToEdge(state.edgePort as number, {
      method: "POST",
      path: "/webhooks/stripe?attempt=1&x=%20y",
      headers: [
        ["Stripe-Signature", "t=1,v1=abc"],
        ["X-Dup", "first"],
        ["X-Dup", "second"],
        ["Content-Type", "application/octet-stream"],
      ],
      body,
    });

    expect(origin.requests).toHaveLength(1);
    const received = origin.requests[0]!;
    expect(received.method).toBe("POST");
    expect(received.url).toBe("/webhooks/stripe?attempt=1&x=%20y");
    expect(received.body.equals(body)).toBe(true);
    const h = (name: string) => headerValues(received.rawHeaders, name);
    expect(h("stripe-signature")).toEqual(["t=1,v1=abc"]);
    expect(h("x-dup")).toEqual(["first", "second"]);
    expect(h("host")).toEqual([new URL(handle.publicUrl).hostname]);
    expect(h("cf-connecting-ip")).toEqual(["203.0.113.195"]);
    expect(h("x-forwarded-for")).toEqual(["203.0.113.195"]);
    expect(h("x-forwarded-proto")).toEqual(["https"]);
    expect(h("cdn-loop")).toEqual(["cloudflare"]);
    expect(h("cf-ipcountry")).toEqual(["NL"]);
    expect(h("cf-ray")[0]).toMatch(/^[0-9a-f]{16}-AMS$/);

    expect(answer.status).toBe(201);
    expect(answer.body.equals(Buffer.from([0xde, 0xad, 0xbe, 0xef]))).toBe(true);
    expect(headerValues(answer.rawHeaders, "set-cookie")).toEqual(["a=1", "b=2"]);
    expect(headerValues(answer.rawHeaders, "server")).toEqual(["cloudflare"]);
  });

  it("answers 502 with Cloudflare's bad-gateway page when the origin is down", async () => {
    const origin = await startOrigin();
    await origin.close(); // the port is now closed: connection refused
    const { stateFile, env, dir } = setup();
    const handle = track(await startTunnel({ originUrl: origin.url, binary: FAKE_CLOUDFLARED, env, cacheDir: dir, timeoutMs: 5000 }));
    const state = await readState(stateFile);

    const answer = await sendToEdge(state.edgePort as number, { method: "POST", path: "/hook", headers: [], body: Buffer.from("{}") });

    expect(answer.status).toBe(502);
    expect(answer.body.toString()).toMatch(/Error.*502[\s\S]*Bad gateway/);
    expect(headerValues(answer.rawHeaders, "server")).toEqual(["cloudflare"]);
    await waitForLine(handle, "Unable to reach the origin service");
  });

  it("SIGKILLs a cloudflared that ignores SIGINT once the grace period is over", async () => {
    const { stateFile, env, dir } = setup("ignore-sigint");
    const handle = await startTunnel({ originUrl: "http://127.0.0.1:9", binary: FAKE_CLOUDFLARED, env, cacheDir: dir, timeoutMs: 5000 });
    const state = await readState(stateFile);
    const started = Date.now();

    await handle.stop(300);

    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(isAlive(state.pid)).toBe(false);
    // SIGINT did arrive (and was ignored) before SIGKILL.
    expect(handle.recentOutput().some((line) => line.includes("Initiating graceful shutdown"))).toBe(true);
  });

  it("stop() is idempotent and resolves at once when cloudflared has already exited", async () => {
    const { stateFile, env, dir } = setup();
    const handle = await startTunnel({ originUrl: "http://127.0.0.1:9", binary: FAKE_CLOUDFLARED, env, cacheDir: dir, timeoutMs: 5000 });
    const state = await readState(stateFile);
    await Promise.all([handle.stop(), handle.stop()]);
    await handle.stop();
    expect(isAlive(state.pid)).toBe(false);
  });

  it("fails with cloudflared's last lines when it exits early", async () => {
    const { stateFile, env, dir } = setup("exit-early");
    const started = Date.now();

    const error = await startFailing({ originUrl: "http://127.0.0.1:9", binary: FAKE_CLOUDFLARED, env, cacheDir: dir, timeoutMs: 5000 });

    expect(Date.now() - started).toBeLessThan(3000);
    const [first, ...tail] = error.message.split("\n");
    expect(first).toBe("cloudflared exited with code 1 before the tunnel was ready");
    expect(tail.length).toBeLessThanOrEqual(3);
    expect(tail.at(-1)).toBe(
      '  > failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp: lookup api.trycloudflare.com: no such host',
    );
    expect(tail.join("\n")).toContain("INF Requesting new quick Tunnel on trycloudflare.com...");
    expect(error.recentOutput.at(-1)).toContain("failed to request quick Tunnel");
    expect(isAlive((await readState(stateFile)).pid)).toBe(false);
  });

  it("times out with a clear message when cloudflared never prints a URL, and leaves no process", async () => {
    const { stateFile, env, dir } = setup("no-url");

    const error = await startFailing({ originUrl: "http://127.0.0.1:9", binary: FAKE_CLOUDFLARED, env, cacheDir: dir, timeoutMs: 3000 });

    // 3 s: long enough for the fake cloudflared to start and print on a loaded machine, which the error must quote.
    expect(error.message.split("\n")[0]).toBe("cloudflared printed no tunnel URL within 3 s");
    expect(error.message).toContain("> INF Requesting new quick Tunnel on trycloudflare.com...");
    expect(isAlive((await readState(stateFile)).pid)).toBe(false);
  });

  it("times out when a URL is printed but no connection is ever registered", async () => {
    const { stateFile, env, dir } = setup("no-connection");

    const error = await startFailing({ originUrl: "http://127.0.0.1:9", binary: FAKE_CLOUDFLARED, env, cacheDir: dir, timeoutMs: 3000 });

    const state = await readState(stateFile);
    expect(error.message.split("\n")[0]).toBe(
      `cloudflared registered no connection with Cloudflare's edge within 3 s (for ${state.publicUrl}); outbound port 7844 may be blocked`,
    );
    expect(error.message).toContain("WRN Failed to dial a quic connection");
    expect(isAlive(state.pid)).toBe(false);
  });

  it("reports once through onDown when cloudflared dies after start", async () => {
    const { stateFile, env, dir } = setup("die-after:150");
    const handle = track(await startTunnel({ originUrl: "http://127.0.0.1:9", binary: FAKE_CLOUDFLARED, env, cacheDir: dir, timeoutMs: 5000 }));
    const reasons: string[] = [];
    handle.onDown((reason) => reasons.push(reason));

    await waitFor(() => expect(reasons).toHaveLength(1));
    expect(reasons[0]).toBe("cloudflared exited with code 1: ERR no more connections active and exiting");
    expect(isAlive((await readState(stateFile)).pid)).toBe(false);
    // A listener added after the fact still hears about it.
    const late = await new Promise<string>((resolve) => handle.onDown(resolve));
    expect(late).toBe(reasons[0]);
    await handle.stop();
    expect(reasons).toHaveLength(1);
  });

  it("does not report a stop() it asked for as the tunnel going down", async () => {
    const { env, dir } = setup();
    const handle = await startTunnel({ originUrl: "http://127.0.0.1:9", binary: FAKE_CLOUDFLARED, env, cacheDir: dir, timeoutMs: 5000 });
    const reasons: string[] = [];
    handle.onDown((reason) => reasons.push(reason));
    await handle.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(reasons).toEqual([]);
  });

  it("runs a named tunnel with a token and the given public URL, never exposing the token", async () => {
    const origin = await startOrigin();
    cleanups.push(origin.close);
    const { stateFile, env, dir } = setup("ok", { FAKE_CLOUDFLARED_HOSTNAME: "hooks.example.com" });
    const token = Buffer.from(JSON.stringify({ a: "0123456789abcdef", t: "6ff42ae2-765d-4adf-8112-31c55c1551ef", s: "c2VjcmV0LXNlY3JldA==" })).toString("base64");

    const handle = track(
      await startTunnel({ originUrl: origin.url, token, publicUrl: "https://hooks.example.com", binary: FAKE_CLOUDFLARED, env, cacheDir: dir, timeoutMs: 5000 }),
    );

    expect(handle.publicUrl).toBe("https://hooks.example.com");
    expect(handle.connection.id).toMatch(UUID_V4);
    expect(handle.recentOutput().join("\n")).toContain("Starting tunnel tunnelID=6ff42ae2-765d-4adf-8112-31c55c1551ef");
    expect(handle.recentOutput().join("\n")).not.toContain(token);
    const state = await readState(stateFile);
    await sendToEdge(state.edgePort as number, { method: "POST", path: "/named", headers: [], body: Buffer.from("x") });
    expect(headerValues(origin.requests[0]!.rawHeaders, "host")).toEqual(["hooks.example.com"]);
  });

  it("rejects a token without a public URL as a programming error", async () => {
    await expect(startTunnel({ originUrl: "http://127.0.0.1:9", token: "abc", binary: FAKE_CLOUDFLARED })).rejects.toThrow(TypeError);
  });

  it("says which setting is wrong when --cloudflared or CLOUDFLARED_BIN points nowhere", async () => {
    const { dir, env } = setup();
    const missing = join(dir, "no-such-cloudflared");
    const viaFlag = await startFailing({ originUrl: "http://127.0.0.1:9", binary: missing, env, cacheDir: dir });
    expect(viaFlag.message).toBe(`--cloudflared points to ${missing}, which is not an executable file`);
    const viaEnv = await startFailing({ originUrl: "http://127.0.0.1:9", env: { ...env, CLOUDFLARED_BIN: missing }, cacheDir: dir });
    expect(viaEnv.message).toBe(`CLOUDFLARED_BIN points to ${missing}, which is not an executable file`);
  });

  it("reports a binary that is not a program, with what the system said", async () => {
    const { dir, env } = setup();
    const broken = join(dir, "cloudflared");
    writeFileSync(broken, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0])); // a truncated ELF header
    chmodSync(broken, 0o755);
    const error = await startFailing({ originUrl: "http://127.0.0.1:9", binary: broken, env, cacheDir: dir, timeoutMs: 2000 });
    // execvp hands a file it cannot load to /bin/sh, which fails with 126/127 and says why.
    const [first, ...tail] = error.message.split("\n");
    expect(first).toMatch(/^cloudflared exited with code 12[67] before the tunnel was ready$/);
    expect(tail).toHaveLength(1);
    expect(tail[0]).toContain(broken);
  });

  it("finds cloudflared on PATH and hands the caller's environment to it", async () => {
    const { dir, stateFile, env } = setup();
    const bin = join(dir, "bin");
    mkdirSync(bin);
    symlinkSync(FAKE_CLOUDFLARED, join(bin, "cloudflared"));
    const pathEnv = { ...env, PATH: [bin, dirname(process.execPath)].join(delimiter) };

    const handle = track(await startTunnel({ originUrl: "http://127.0.0.1:9", env: pathEnv, cacheDir: join(dir, "cache"), timeoutMs: 5000 }));

    expect(handle.binary).toBe(join(bin, "cloudflared"));
    // The fake only wrote its state file because it received FAKE_CLOUDFLARED_STATE from `env`.
    expect((await readState(stateFile)).publicUrl).toBe(handle.publicUrl);
    expect(process.env.FAKE_CLOUDFLARED_STATE).toBeUndefined();
  });
});

function waitFor<T>(check: () => T): Promise<T> {
  return vi.waitFor(check, { timeout: 3000, interval: 20 });
}

async function waitForLine(handle: TunnelHandle, text: string): Promise<void> {
  await waitFor(() => expect(handle.recentOutput().some((line) => line.includes(text))).toBe(true));
}
