import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { machineTag } from "../../src/register/run-id.js";
import { startStripeStandIn } from "../register/provider-apis.js";
import { startListen, type ListenProcess } from "../helpers/cli.js";
import { runProgram } from "../helpers/program.js";
import { tempDir } from "../helpers/temp-dir.js";
import { FAKE_CLOUDFLARED, isAlive, readState, sendToEdge, stopAll } from "./helpers.js";

const running: ListenProcess[] = [];
const edgeStates: string[] = [];
afterEach(async () => {
  await stopAll(running.splice(0), edgeStates.splice(0));
});

/** A user's machine: HOME (where cloudflared keeps cert.pem and credentials) and XDG_CONFIG_HOME (hooktape's). */
function machine() {
  const home = tempDir("hooktape-home-");
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, "config"), CLOUDFLARED_BIN: FAKE_CLOUDFLARED, TUNNEL_ORIGIN_CERT: undefined };
  const account = () => JSON.parse(readFileSync(path.join(home, ".cloudflared", "fake-account.json"), "utf8")) as { tunnels: Array<{ id: string; name: string; routes: string[] }> };
  return { home, env, account, config: path.join(home, "config", "hooktape", "tunnels.json") };
}

describe("hooktape tunnel setup / list / delete and listen --tunnel (fake cloudflared as Cloudflare's account)", () => {
  it("setup logs in (showing the browser URL), creates, routes and saves 0600; listen --tunnel serves the stable URL; delete removes it", async () => {
    const m = machine();
    const setup = await runProgram(["tunnel", "setup", "hooks.example.com"], { env: m.env });
    expect(setup.code).toBe(0);
    expect(setup.stderr).toMatch(/Open this page in your browser.*\n\s+https:\/\/dash\.cloudflare\.com\/argotunnel\?aud=&callback=\S+/);
    expect(setup.stderr).toContain(`cloudflared saved its certificate in ${path.join(m.home, ".cloudflared", "cert.pem")}`);
    expect(setup.stdout).toContain("Named tunnel ready: https://hooks.example.com");

    // The account now has the tunnel and the route; hooktape's config has name, id and hostname, privately.
    const [made] = m.account().tunnels;
    expect(made).toMatchObject({ name: "hooktape-hooks-example-com", routes: ["hooks.example.com"] });
    expect(statSync(m.config).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(m.config)).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(readFileSync(m.config, "utf8")) as { tunnels: Array<Record<string, unknown>> };
    expect(saved.tunnels).toEqual([
      expect.objectContaining({ name: made?.name, id: made?.id, hostname: "hooks.example.com", credentialsFile: path.join(m.home, ".cloudflared", `${made?.id}.json`) }),
    ]);
    // The credentials stay where cloudflared keeps them: nothing secret in hooktape's config.
    const credentials = JSON.parse(readFileSync(path.join(m.home, ".cloudflared", `${made?.id}.json`), "utf8")) as { TunnelSecret: string };
    expect(readFileSync(m.config, "utf8")).not.toContain(credentials.TunnelSecret);

    const list = await runProgram(["tunnel", "list", "--json"], { env: m.env });
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ hostname: "hooks.example.com", id: made?.id, url: "https://hooks.example.com" })]);

    // A second setup of the same hostname is refused (exit 2), and login is not repeated for another one.
    const again = await runProgram(["tunnel", "setup", "hooks.example.com"], { env: m.env });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already set up/);

    const state = path.join(m.home, "edge.json");
    edgeStates.push(state);
    const proc = await startListen(["--tunnel", "hooks.example.com", "--db", path.join(m.home, "t.db")], { ...m.env, FAKE_CLOUDFLARED_STATE: state });
    running.push(proc);
    expect(proc.ready.publicUrl).toBe("https://hooks.example.com");
    const edge = await readState(state);
    expect(edge.publicUrl).toBe("https://hooks.example.com");
    const answer = await sendToEdge(edge.edgePort ?? 0, { method: "POST", path: "/stable", headers: [["Host", "hooks.example.com"]], body: Buffer.from("{}") });
    expect(answer.status).toBe(200);
    await proc.waitForEvents(1);
    expect(proc.records.find((record) => record.type === "event")).toMatchObject({ url: "/stable", via: "tunnel" });
    expect(await proc.stop("SIGTERM")).toBe(0);

    const removed = await runProgram(["tunnel", "delete", "hooks.example.com"], { env: m.env });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`Deleted tunnel ${made?.name} (${made?.id})`);
    expect(removed.stderr).toContain("The DNS record hooks.example.com");
    expect(m.account().tunnels).toEqual([]);
    expect(existsSync(path.join(m.home, ".cloudflared", `${made?.id}.json`))).toBe(false);
    expect(JSON.parse(readFileSync(m.config, "utf8"))).toEqual({ tunnels: [] });

    const gone = await runProgram(["listen", "--tunnel", "hooks.example.com", "--db", path.join(m.home, "t.db")], { env: m.env });
    expect(gone.code).toBe(2);
    expect(gone.stderr.trim()).toBe("hooktape: No named tunnel for hooks.example.com; create it once with `hooktape tunnel setup hooks.example.com`");
  });

  it("listen --tunnel with --register stripe: the endpoint is on the stable URL, and a dead run's endpoint on that host is cleaned", async () => {
    const m = machine();
    expect((await runProgram(["tunnel", "setup", "hooks.example.com"], { env: m.env })).code).toBe(0);
    const api = await startStripeStandIn({ keys: ["sk_test_named"] });
    try {
      let deadPid = 4_000_000;
      while (isAlive(deadPid)) deadPid++;
      const stale = api.seed({ url: "https://hooks.example.com/webhooks", metadata: { hooktape_run: `${machineTag()}-${deadPid}-abcdef` } });
      const otherHost = api.seed({ url: "https://staging.example.com/webhooks", metadata: { hooktape_run: `${machineTag()}-${deadPid}-fedcba` } });
      const state = path.join(m.home, "edge.json");
      edgeStates.push(state);
      const proc = await startListen(["--tunnel", "hooks.example.com", "--register", "stripe", "--path", "/webhooks", "--db", path.join(m.home, "s.db")], {
        ...m.env,
        FAKE_CLOUDFLARED_STATE: state,
        STRIPE_API_KEY: "sk_test_named",
        HOOKTAPE_STRIPE_API_BASE: api.url,
      });
      running.push(proc);
      await vi.waitFor(() => expect(proc.records.some((record) => record.type === "registered")).toBe(true), { timeout: 15_000 });
      expect(proc.records.find((record) => record.type === "registered")).toMatchObject({ url: "https://hooks.example.com/webhooks" });
      const ids = api.endpoints.map((item) => item.id);
      expect(ids).not.toContain(stale.id);
      expect(ids).toContain(otherHost.id); // not this run's host, not a quick tunnel: someone else's to delete
      expect(await proc.stop("SIGTERM")).toBe(0);
      expect(api.endpoints.map((item) => item.id)).toEqual([otherHost.id]);
    } finally {
      await api.close();
    }
  });

  it("skips login when cloudflared already has a certificate", async () => {
    const m = machine();
    mkdirSync(path.join(m.home, ".cloudflared"), { recursive: true });
    writeFileSync(path.join(m.home, ".cloudflared", "cert.pem"), "-----BEGIN ARGO TUNNEL TOKEN-----\nx\n-----END ARGO TUNNEL TOKEN-----\n");
    const setup = await runProgram(["tunnel", "setup", "api.example.org"], { env: m.env });
    expect(setup.code).toBe(0);
    expect(setup.stderr).toContain("Logged in to Cloudflare already");
    expect(setup.stderr).not.toContain("dash.cloudflare.com");
  });

  it("a route that fails is exit 3 with cloudflared's words, and leaves no tunnel behind", async () => {
    const m = machine();
    const setup = await runProgram(["tunnel", "setup", "taken.example.com"], { env: { ...m.env, FAKE_CLOUDFLARED_MODE: "route-fails" } });
    expect(setup.code).toBe(3);
    expect(setup.stderr).toMatch(/\nhooktape: cloudflared tunnel route dns \S+ taken\.example\.com failed \(cloudflared exited with code 1\)\n\s+> ERR Failed to add route: code: 1003/);
    expect(m.account().tunnels).toEqual([]);
    expect(existsSync(m.config)).toBe(false);
  });

  it("bad hostnames and unknown tunnels are exit 2 in one line", async () => {
    const m = machine();
    for (const args of [["tunnel", "setup", "not a host"], ["tunnel", "setup", "localhost"], ["tunnel", "delete", "nope.example.com"]]) {
      const result = await runProgram(args, { env: m.env });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    }
    const empty = await runProgram(["tunnel", "list"], { env: m.env });
    expect(empty.code).toBe(0);
    expect(empty.stderr).toMatch(/No named tunnels/);
  });
});
