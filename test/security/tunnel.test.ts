import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTunnel, type TunnelHandle } from "../../src/tunnel/start-tunnel.js";
import { runCli } from "../helpers/cli.js";
import { listenSession } from "../helpers/listen-session.js";
import { send } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { FAKE_CLOUDFLARED, fakeEnv, readState, sendToEdge, stopAll } from "../tunnel/helpers.js";

interface FakeCloudflaredState {
  edgePort: number;
  argv: string[];
  variables: string[];
}

const session = listenSession();
const edgeStates: string[] = [];
const tunnels: TunnelHandle[] = [];
afterEach(async () => {
  await stopAll([], edgeStates.splice(0));
  for (const tunnel of tunnels.splice(0)) await tunnel.stop();
});

/** `listen <handler>` through the fake cloudflared; returns the run, its handler and what cloudflared was given. */
async function listenThroughTunnel() {
  const handler = await session.target();
  const dir = tempDir();
  const stateFile = path.join(dir, "cloudflared.json");
  edgeStates.push(stateFile);
  const db = path.join(dir, "h.db");
  const listen = await session.listen([String(handler.port), "--cloudflared", FAKE_CLOUDFLARED, "--db", db], { FAKE_CLOUDFLARED_STATE: stateFile });
  const state = (await readState(stateFile)) as unknown as FakeCloudflaredState;
  return { handler, listen, state, db };
}

function values(headers: Array<[string, string]>, name: string): string[] {
  return headers.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);
}

describe("only hooktape's own cloudflared can deliver 'via tunnel'", () => {
  it("a local process that connects to the port on cloudflared's command line is a local request: its CF-* claims are dropped", async () => {
    const { handler, listen, state, db } = await listenThroughTunnel();
    // Any local user can read the tunnel's port in `ps`: it is cloudflared's --url.
    const originUrl = state.argv[state.argv.indexOf("--url") + 1] ?? "";
    expect(originUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(originUrl).not.toBe(listen.ready.url);

    const forged = await send(`${originUrl}/forged`, {
      headers: [
        ["CF-Connecting-IP", "198.51.100.66"],
        ["CF-Ray", "8f00000000000000-AMS"],
        ["X-Forwarded-For", "198.51.100.66"],
        ["X-Forwarded-Proto", "https"],
        ["Content-Type", "application/json"],
      ],
      body: '{"forged":true}',
    });
    expect(forged.status).toBe(200);
    await listen.waitForEvents(1);
    const [record] = listen.records.filter((item) => item.type === "event");
    expect(record).toMatchObject({ url: "/forged", via: "local" });
    const forwarded = handler.received[0]?.headers ?? [];
    expect(values(forwarded, "cf-connecting-ip")).toEqual([]);
    expect(values(forwarded, "cf-ray")).toEqual([]);
    expect(values(forwarded, "x-forwarded-for")).toEqual(["127.0.0.1"]);
    expect(values(forwarded, "x-forwarded-proto")).toEqual(["http"]);
    expect(listen.records.filter((item) => item.type === "warning").map((item) => item.message)).toEqual([
      "a request on the tunnel's port did not come from hooktape's cloudflared (no per-run Host): recorded as local, its CF-* headers dropped",
    ]);
    const shown = await runCli(["--db", db, "show", String(record?.id)]);
    expect(shown.stdout).toContain("via local from 127.0.0.1");
    expect(shown.stdout).not.toContain("198.51.100.66 ");
  });

  it("a request through Cloudflare's edge is via tunnel, recorded with the visitor's Host; the per-run credential is stored, forwarded and shown nowhere", async () => {
    const { handler, listen, state, db } = await listenThroughTunnel();
    const publicHost = new URL(listen.ready.publicUrl ?? "").host;
    const answer = await sendToEdge(state.edgePort, {
      method: "POST",
      path: "/hook",
      headers: [["Host", publicHost], ["X-Forwarded-Host", "evil.example"], ["Content-Type", "application/json"]],
      body: Buffer.from('{\n  "tunnel": "héllo"\n}'),
    });
    expect(answer.status).toBe(200);
    await listen.waitForEvents(1);
    const [record] = listen.records.filter((item) => item.type === "event");
    expect(record).toMatchObject({ url: "/hook", via: "tunnel" });

    const detail = JSON.parse((await runCli(["--db", db, "--json", "show", String(record?.id)])).stdout) as { headers: Array<[string, string]> };
    expect(values(detail.headers, "host")).toEqual([publicHost]);
    expect(values(detail.headers, "x-forwarded-host")).toEqual([]);
    const forwarded = handler.received[0]?.headers ?? [];
    expect(values(forwarded, "x-forwarded-host")).toEqual([publicHost]);
    expect(values(forwarded, "cf-connecting-ip")).toEqual(["203.0.113.195"]);

    // cloudflared got the credential in its environment, not in its arguments; nothing else ever shows it.
    expect(state.variables).toContain("TUNNEL_HTTP_HOST_HEADER");
    const everything = [JSON.stringify(state.argv), JSON.stringify(detail), JSON.stringify(listen.records), listen.stderr(), JSON.stringify(forwarded)].join("\n");
    expect(everything).not.toMatch(/tunnel\.hooktape\.invalid/);
  });

  it("cloudflared's own log, which lists its TUNNEL_ variables, never carries the credential into hooktape's messages", async () => {
    const dir = tempDir();
    const hostHeader = "0123456789abcdef0123456789abcdef.tunnel.hooktape.invalid";
    const tunnel = await startTunnel({
      originUrl: "http://127.0.0.1:9",
      originHostHeader: hostHeader,
      binary: FAKE_CLOUDFLARED,
      env: fakeEnv(path.join(dir, "state.json")),
      cacheDir: dir,
      timeoutMs: 5000,
    });
    tunnels.push(tunnel);
    const output = tunnel.recentOutput().join("\n");
    expect(output).toContain("Environmental variables map[TUNNEL_HTTP_HOST_HEADER:[redacted]");
    expect(output).not.toContain(hostHeader);
  });
});

describe("an empty HOOKTAPE_TUNNEL_TOKEN is an unset one", () => {
  it("HOOKTAPE_TUNNEL_TOKEN= opens a quick tunnel instead of asking for --public-url", async () => {
    const dir = tempDir();
    const stateFile = path.join(dir, "cloudflared.json");
    edgeStates.push(stateFile);
    const listen = await session.listen(["--cloudflared", FAKE_CLOUDFLARED, "--db", path.join(dir, "h.db")], {
      HOOKTAPE_TUNNEL_TOKEN: "",
      FAKE_CLOUDFLARED_STATE: stateFile,
    });
    expect(listen.ready.publicUrl).toMatch(/^https:\/\/[a-z-]+\.trycloudflare\.com$/);
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as { argv: string[]; tokenSource: string | null };
    expect(state.argv).not.toContain("run");
    expect(state.tokenSource).toBe(null);
  });

  it("an empty --tunnel-token on the command line is exit 2 in one line", async () => {
    const result = await runCli(["listen", "--tunnel-token", "", "--public-url", "https://hooks.example.com", "--db", path.join(tempDir(), "h.db")]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("hooktape: --tunnel-token is empty; pass the named tunnel's token, or leave the flag out for a quick tunnel");
  });
});
