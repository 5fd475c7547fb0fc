// Where am I: the inspector says which run it belongs to (capture URL, public URL and the tunnel's state, live;
// the target; the store), and `hooktape ui` opened in the wrong folder says which store it opened and where events
// were recorded lately. The built CLI, real sockets, the fake cloudflared standing in for Cloudflare's network.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FAKE_CLOUDFLARED } from "../tunnel/helpers.js";
import { startListen } from "../helpers/cli.js";
import { startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { call, openStream, sendStripe, startListenUi, startUi, stripeBody, STRIPE_SECRET } from "./helpers.js";

interface RunDocument {
  captureUrl: string;
  publicUrl: string | null;
  tunnel: { state: string; note: string | null };
  target: string | null;
}

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function handler(): Promise<TargetServer> {
  const server = await startTargetServer({ kind: "answer", status: 200, body: "ok" });
  stops.push(() => server.close());
  return server;
}

describe("the run an inspector belongs to", () => {
  it("listen --ui: /api/info names the capture URL, the target, the store and that there is no tunnel", async () => {
    const target = await handler();
    const dir = tempDir();
    const db = path.join(dir, "store.db");
    const listen = await startListenUi([`${target.url}/webhooks`, "--no-tunnel", "--db", db, "--secret", `stripe=${STRIPE_SECRET}`], { XDG_CONFIG_HOME: dir });
    stops.push(() => listen.stop());
    const info = (await call(listen.origin, "/api/info", { token: listen.token })).json<{ db: string; run: RunDocument; resign: string[] }>();
    expect(info.db).toBe(db);
    expect(info.run).toEqual({ captureUrl: listen.ready.url, publicUrl: null, tunnel: { state: "off", note: null }, target: `${target.url}/webhooks` });
    expect(info.resign).toEqual(["stripe"]);
    expect(JSON.stringify(info)).not.toContain(STRIPE_SECRET);
    // A port asked for as 0 (any free one) is not a port it failed to get.
    expect(listen.stderr()).not.toMatch(/is in use/);
  });

  it("the stream tells an open page the tunnel's state as it changes: up with its public URL, then down", async () => {
    const dir = tempDir();
    const listen = await startListenUi(["--db", path.join(dir, "t.db"), "--cloudflared", FAKE_CLOUDFLARED], {
      FAKE_CLOUDFLARED_MODE: "die-after:2500",
      FAKE_CLOUDFLARED_STATE: path.join(dir, "edge.json"),
      XDG_CONFIG_HOME: dir,
    });
    stops.push(() => listen.stop());
    expect(listen.ready.publicUrl).toMatch(/trycloudflare\.com$/);
    const stream = await openStream(listen.origin, listen.token);
    stops.push(async () => stream.close());
    const runOf = (data: string) => JSON.parse(data) as RunDocument;
    const up = await stream.waitFor((message) => message.event === "run");
    expect(runOf(up.data)).toMatchObject({ captureUrl: listen.ready.url, publicUrl: listen.ready.publicUrl, tunnel: { state: "up" } });
    const down = await stream.waitFor((message) => message.event === "run" && runOf(message.data).tunnel.state === "down", 15_000);
    expect(runOf(down.data).tunnel.note).toEqual(expect.any(String));
  });
});

describe("hooktape ui outside a project", () => {
  it("says which store it opened, that it is empty, and where events were recorded lately (kept 0600, paths only)", async () => {
    const config = tempDir();
    const project = tempDir();
    const used = path.join(project, ".hooktape", "hooktape.db");
    const target = await handler();
    const listen = await startListen([target.url, "--no-tunnel"], { XDG_CONFIG_HOME: config, HOOKTAPE_DB: used });
    await sendStripe(listen.ready.url, "/webhooks/stripe", stripeBody("evt_recent"));
    await listen.waitForEvents(1);
    await listen.stop();

    const file = path.join(config, "hooktape", "recent-stores.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const kept = JSON.parse(readFileSync(file, "utf8")) as { stores: Array<Record<string, string>> };
    expect(kept.stores.map((store) => Object.keys(store).sort())).toEqual([["path", "usedAt"]]);
    expect(kept.stores[0]?.path).toBe(used);

    const elsewhere = tempDir();
    const ui = await startUi(["--port", "0"], { XDG_CONFIG_HOME: config, HOOKTAPE_DB: undefined }, elsewhere);
    stops.push(() => ui.stop());
    const opened = path.join(elsewhere, ".hooktape", "hooktape.db");
    await expect.poll(() => ui.stderr()).toContain("Open one with: hooktape ui --db <path>");
    const lines = ui.stderr().split("\n");
    expect(lines).toContain(`Store: ${opened} (no events yet)`);
    expect(lines).toContain("Stores used recently:");
    expect(lines.some((line) => line.startsWith(`  ${used}  (`))).toBe(true);
    const info = (await call(ui.origin, "/api/info", { token: ui.token })).json<{ db: string; run: null; recentStores: Array<{ path: string }> }>();
    expect(info).toMatchObject({ db: opened, run: null, recentStores: [{ path: used }] });
  });
});
