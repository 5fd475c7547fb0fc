import { createHmac } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CapturedEvent } from "../../src/core/types.js";
import { EventStore } from "../../src/store/index.js";
import { describe, expect, it, vi } from "vitest";
import { mask, runCli } from "../helpers/cli.js";
import { runProgram } from "../helpers/program.js";
import { send } from "../helpers/target-server.js";
import { listenSession } from "../helpers/listen-session.js";
import { tempDir } from "../helpers/temp-dir.js";

const SECRET = "e2e-secret-not-real";
const FAKE_CLOUDFLARED = path.resolve(import.meta.dirname, "../fake-cloudflared/cloudflared.mjs");

const { listen, target } = listenSession();

function signature(body: string): string {
  return "sha256=" + createHmac("sha256", SECRET).update(body).digest("hex");
}

describe("hooktape listen (built CLI, no tunnel)", () => {
  it("forwards, verifies and records; events list/show then show what arrived", async () => {
    const handler = await target({ kind: "answer", status: 200, body: '{"received":true}', headers: { "content-type": "application/json" } });
    const db = path.join(tempDir(), "nested", "store.db");
    const proc = await listen([handler.url + "/webhooks", "--no-tunnel", "--db", db, "--secret", SECRET]);
    expect(proc.ready).toMatchObject({ type: "ready", publicUrl: null, db });

    const body = '{"id":"evt_1","amount":500}';
    const response = await send(`${proc.ready.url}/github?delivery=1`, {
      headers: [["Content-Type", "application/json"], ["X-Signature", signature(body)]],
      body,
    });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('{"received":true}');
    expect(handler.received[0]?.url).toBe("/webhooks/github?delivery=1");
    expect(handler.received[0]?.body.toString()).toBe(body);

    await proc.waitForEvents(1);
    const record = proc.records.find((item) => item.type === "event");
    expect(record).toMatchObject({
      type: "event",
      method: "POST",
      url: "/github?delivery=1",
      provider: "hmac",
      verification: { status: "valid", reason: null },
      via: "local",
      rejected: null,
      delivery: { status: 200, error: null },
    });

    const list = await runProgram(["events", "list", "--json", "--db", db]);
    expect(list.code).toBe(0);
    const events = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    expect(events).toHaveLength(1);
    expect(Object.keys(events[0] ?? {}).sort()).toEqual(
      ["bodySha256", "bodySize", "delivery", "eventType", "forwarded", "id", "method", "notForwarded", "provider", "receivedAt", "rejected", "url", "verification", "via"].sort(),
    );

    const id = String(events[0]?.id);
    const show = await runProgram(["show", id, "--json", "--db", db]);
    const detail = JSON.parse(show.stdout) as { body: string; headers: Array<[string, string]>; deliveries: Array<Record<string, unknown>> };
    expect(detail.body).toBe(body);
    expect(detail.headers).toContainEqual(["X-Signature", signature(body)]);
    expect(detail.deliveries).toHaveLength(1);
    expect(detail.deliveries[0]).toMatchObject({ kind: "forward", attempt: 1, status: 200, responseBody: '{"received":true}' });

    const raw = await runProgram(["events", "show", id.slice(0, 20), "--body", "--db", db]);
    expect(raw.stdoutBytes.toString()).toBe(body);

    const human = await runProgram(["events", "show", id, "--db", db]);
    expect(mask(human.stdout)).toContain("POST /github?delivery=1");
    expect(mask(human.stdout)).toContain("signature hmac ✓ valid");
    expect(mask(human.stdout)).toContain(`forward #1  POST ${handler.url.replace(/:\d+$/, ":<port>")}/webhooks/github?delivery=1  → 200  <n> ms`);

    const line = await runProgram(["ls", "--db", db]);
    const [header, row] = mask(line.stdout).trim().split("\n");
    expect(header?.split(/ {2,}/)).toEqual(["TIME", "REQUEST", "TYPE", "VIA", "SIGNATURE", "ANSWER", "DURATION", "ID"]);
    expect(row?.split(/ {2,}/)).toEqual(["<clock>", "POST /github?delivery=1", "local", "hmac ✓ valid", "200", "<n> ms", "<id>"]);
  });

  it("a killed hooktape loses no event it had received: the event is committed before forwarding", async () => {
    const handler = await target({ kind: "hang" });
    const db = path.join(tempDir(), "kill.db");
    const proc = await listen([String(handler.port), "--no-tunnel", "--db", db]);
    const pending = send(`${proc.ready.url}/in-flight`, { body: '{"n":1}' }).catch((error: unknown) => error);
    await handler.waitFor(1);
    expect(await proc.stop("SIGKILL")).toBeNull();
    expect(await pending).toBeInstanceOf(Error); // the sender never got an answer...
    const reader = new EventStore(db, { readonly: true });
    const events = reader.listEvents({ limit: 0 });
    expect(events).toHaveLength(1); // ...yet the event is in the file.
    expect(events[0]?.url).toBe("/in-flight");
    expect(reader.getEvent(events[0]?.id ?? "").body.toString()).toBe('{"n":1}');
    reader.close();
  });

  it("a capture under load has its WAL copied into the database file by a thread of its own, while it runs", async () => {
    const db = path.join(tempDir(), "load.db");
    const proc = await listen(["--no-tunnel", "--db", db]);
    const before = statSync(db).size;
    // Shopify order updates as Shopify sends them, ~95 KB each with their line items: 60 of them, ~5.5 MiB.
    const lineItems = Array.from({ length: 900 }, (_, i) => ({ id: i, title: `Crème brûlée n°${i}`, vendor: "Pâtisserie Zoë" }));
    for (let n = 0; n < 60; n++) {
      const body = JSON.stringify({ id: n, line_items: lineItems }, null, 2);
      expect((await send(`${proc.ready.url}/shopify/orders`, { headers: [["Content-Type", "application/json"], ["X-Shopify-Topic", "orders/updated"]], body })).status).toBe(200);
    }
    // The capture's own connection never checkpoints below 64 MiB of WAL: the file grows only by the thread's work.
    await expect.poll(() => statSync(db).size, { timeout: 10_000 }).toBeGreaterThan(before + 2 * 1024 * 1024);
    expect(await proc.stop("SIGTERM")).toBe(0);
    const reader = new EventStore(db, { readonly: true });
    expect(reader.listEvents({ limit: 0 })).toHaveLength(60);
    reader.close();
  });

  it("SIGTERM lets the request in flight finish, then exits 0", async () => {
    const handler = await target({ kind: "answer", status: 200, body: "done", delayMs: 400 });
    const db = path.join(tempDir(), "term.db");
    const proc = await listen([String(handler.port), "--no-tunnel", "--db", db]);
    const pending = send(`${proc.ready.url}/slow`, { body: "x" });
    await handler.waitFor(1);
    const exit = proc.stop("SIGTERM");
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe("done");
    expect(await exit).toBe(0);
    const list = await runProgram(["ls", "--json", "--db", db]);
    expect(JSON.parse(list.stdout)[0].delivery.status).toBe(200);
  });

  it("prints one human line per event, without colour when piped", async () => {
    const db = path.join(tempDir(), "human.db");
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [path.resolve(import.meta.dirname, "../../bin/hooktape.js"), "listen", "--no-tunnel", "--db", db, "--port", "0"], {
      env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined },
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await vi.waitFor(() => expect(stdout).toContain("Local"), { timeout: 20_000 });
      const url = /Local\s+(http:\/\/\S+)/.exec(stdout)?.[1] ?? "";
      await send(`${url}/plain`, { body: "{}" });
      await vi.waitFor(() => expect(stdout).toContain("/plain"), { timeout: 10_000 });
    } finally {
      child.kill("SIGTERM");
    }
    expect(stdout).not.toMatch(/\u001b\[/);
    expect(mask(stdout)).toContain("<clock>  POST  /plain  · unverified  (captured)  <id>");
    expect(mask(stdout)).toContain("Forward  nowhere (capture only, answering 200)");
  });
});

describe("hooktape listen with a tunnel (fake cloudflared standing in for Cloudflare's network)", () => {
  it("prints the public URL once connected and records requests that come through it as via tunnel", async () => {
    const handler = await target();
    const dir = tempDir();
    const state = path.join(dir, "edge.json");
    const proc = await listen([String(handler.port), "--db", path.join(dir, "t.db"), "--cloudflared", FAKE_CLOUDFLARED], {
      FAKE_CLOUDFLARED_STATE: state,
    });
    expect(proc.ready.publicUrl).toMatch(/^https:\/\/[a-z0-9-]+\.trycloudflare\.com$/);
    const edge = JSON.parse(readFileSync(state, "utf8")) as { publicUrl: string; edgePort: number; pid: number };
    expect(edge.publicUrl).toBe(proc.ready.publicUrl);

    const body = Buffer.from([0xde, 0xad, 0xbe, 0xef]);
    const response = await send(`http://127.0.0.1:${edge.edgePort}/hook`, { body });
    expect(response.status).toBe(200);
    expect(handler.received[0]?.body.equals(body)).toBe(true);
    await proc.waitForEvents(1);
    expect(proc.records.find((item) => item.type === "event")).toMatchObject({ via: "tunnel", url: "/hook" });

    expect(await proc.stop("SIGTERM")).toBe(0);
    expect(() => process.kill(edge.pid, 0)).toThrow(); // cloudflared was stopped with hooktape

    // The sender is who Cloudflare says connected (cf-connecting-ip), not cloudflared on this machine.
    const id = String(proc.records.find((item) => item.type === "event")?.id);
    const show = await runProgram(["show", id, "--db", path.join(dir, "t.db")]);
    expect(show.stdout).toContain("via tunnel from 203.0.113.195");
  });

  it("without a cloudflared binary says so in one line and keeps capturing locally", async () => {
    const dir = tempDir();
    const proc = await listen(["--db", path.join(dir, "n.db")], {
      PATH: path.dirname(process.execPath),
      CLOUDFLARED_BIN: undefined,
      XDG_CACHE_HOME: path.join(dir, "cache"),
      HOME: dir,
    });
    expect(proc.ready.publicUrl).toBeNull();
    const warning = proc.stderr().split("\n").filter((line) => line.startsWith("warning: no public tunnel"));
    expect(warning).toHaveLength(1);
    expect(warning[0]).toContain("capturing on http://127.0.0.1:");
    const response = await send(`${proc.ready.url}/local`, { body: "{}" });
    expect(response.status).toBe(200);
  });

  it("when cloudflared dies later, says so in the --json stream (a warning record) and keeps capturing", async () => {
    const dir = tempDir();
    const proc = await listen(["--db", path.join(dir, "d.db"), "--cloudflared", FAKE_CLOUDFLARED], { FAKE_CLOUDFLARED_MODE: "die-after:300" });
    expect(proc.ready.publicUrl).toMatch(/trycloudflare\.com$/);
    await vi.waitFor(
      () => {
        const warning = proc.records.find((record) => record.type === "warning");
        expect(String(warning?.message)).toMatch(/^the tunnel went down \(.+\); still capturing on http:\/\/127\.0\.0\.1:\d+/);
      },
      { timeout: 10_000 },
    );
    expect((await send(`${proc.ready.url}/after-down`, { body: "{}" })).status).toBe(200);
    await proc.waitForEvents(1);
  });

  it("when cloudflared exits early, the warning carries its last output and capture goes on", async () => {
    const dir = tempDir();
    const proc = await listen(["--db", path.join(dir, "e.db"), "--cloudflared", FAKE_CLOUDFLARED], { FAKE_CLOUDFLARED_MODE: "exit-early" });
    expect(proc.ready.publicUrl).toBeNull();
    expect(proc.stderr()).toMatch(/warning: no public tunnel: cloudflared exited with code 1 before the tunnel was ready/);
    expect(proc.stderr()).toMatch(/> failed to request quick Tunnel/); // cloudflared's own last words
    expect((await send(`${proc.ready.url}/still`, { body: "{}" })).status).toBe(200);
  });
});

// What the program decides (reading a store, printing it, refusing bad input) runs in process; the built CLI is spawned
// where the process is the point: listen itself, an unknown flag and an unreadable store (exit codes 2 and 3 as a
// shell sees them), a port in use, the default store in the working folder.
describe("bad input and a broken environment", () => {
  it("an unknown flag is exit 2 with one line", async () => {
    const result = await runCli(["listen", "--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe("hooktape: unknown option '--bogus'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [["listen", "--no-tunnel", "--ack", "abc"], /Invalid --ack "abc"/],
    [["listen", "--no-tunnel", "--max-body", "lots"], /Invalid --max-body "lots"/],
    [["listen", "--no-tunnel", "--provider", "nope"], /Unknown --provider "nope"/],
    [["listen", "--tunnel-token", "abc"], /--tunnel-token needs --public-url/],
    [["listen", "http://"], /Invalid target/],
    [["events", "list", "--status", "2yy"], /Invalid --status "2yy"/],
    [["events", "list", "--since", "yesterday"], /Invalid --since "yesterday"/],
    [["events", "list", "--verification", "maybe"], /Invalid --verification "maybe"/],
    [["events", "show", "01ZZZZZZZZZZZZZZZZZZZZZZZZ"], /No event 01ZZZZZZZZZZZZZZZZZZZZZZZZ/],
    [["events", "prune", "--older-than", "soon"], /Invalid --older-than "soon"/],
  ])("%j is exit 2: %s", async (args, message) => {
    const db = path.join(tempDir(), "bad.db");
    new EventStore(db).close(); // an existing, empty store: reading commands never create one
    const result = await runProgram([...args, "--db", db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("a file that is not a database is exit 3, and left untouched", async () => {
    const file = path.join(tempDir(), "notes.db");
    const content = "these are my notes, not a database\n".repeat(200);
    writeFileSync(file, content);
    const result = await runCli(["events", "list", "--db", file]);
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/not a hooktape database or is corrupt/);
    expect(readFileSync(file, "utf8")).toBe(content);
  });

  it("a database that cannot be created is exit 3 with one line", async () => {
    const blocker = path.join(tempDir(), "a-file");
    writeFileSync(blocker, "x");
    const result = await runProgram(["events", "prune", "--older-than", "1d", "--db", path.join(blocker, "sub", "h.db")]);
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^hooktape: Cannot create the folder/);
  });

  it("a port in use is exit 3", async () => {
    const handler = await target();
    const result = await runCli(["listen", "--no-tunnel", "--port", String(handler.port), "--db", path.join(tempDir(), "p.db")]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Port \d+ on 127.0.0.1 is in use/);
  });

  it("the default store is ./.hooktape/hooktape.db with a .gitignore, and prune deletes old events", async () => {
    const cwd = tempDir();
    const empty = await runCli(["events", "prune", "--older-than", "1d"], { cwd, env: { HOOKTAPE_DB: undefined } });
    expect(empty.code).toBe(0);
    expect(readFileSync(path.join(cwd, ".hooktape", ".gitignore"), "utf8")).toBe("*\n");
    expect(statSync(path.join(cwd, ".hooktape")).mode & 0o777).toBe(0o700);
    const store = new EventStore(path.join(cwd, ".hooktape", "hooktape.db"));
    const event = (id: string, receivedAt: number): CapturedEvent => ({
      id,
      receivedAt,
      method: "POST",
      url: "/",
      headers: [],
      body: Buffer.from("{}"),
      remoteAddress: null,
      via: "local",
      provider: null,
      eventType: null,
      verification: { status: "unverified", reason: "no_secret" },
      rejected: null,
      notForwarded: null,
      bodySize: 2,
      bodySha256: "",
      publicUrl: null,
      target: null,
    });
    store.insertEvent(event("01AAAAAAAAAAAAAAAAAAAAAAAA", Date.now() - 10 * 86_400_000));
    store.insertEvent(event("01BBBBBBBBBBBBBBBBBBBBBBBB", Date.now()));
    store.close();
    const pruned = await runCli(["events", "prune", "--older-than", "7d", "--json"], { cwd, env: { HOOKTAPE_DB: undefined } });
    expect(JSON.parse(pruned.stdout).deleted).toBe(1);
    const left = await runCli(["ls", "--json"], { cwd, env: { HOOKTAPE_DB: undefined } });
    expect(JSON.parse(left.stdout).map((event: { id: string }) => event.id)).toEqual(["01BBBBBBBBBBBBBBBBBBBBBBBB"]);
  });
});
