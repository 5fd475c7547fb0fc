// One rule for where a request goes: `--to` as a port or an origin keeps the request's own path and query, a URL
// with a path is the exact URL (replay, send, check); listen's target is a prefix that dot segments never leave.
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startCaptureServer } from "../../src/capture/index.js";
import { createDeliveryAgent, hasDotSegment, joinTarget, resolveTarget, sendUrlFor } from "../../src/forward/index.js";
import { EventStore } from "../../src/store/index.js";
import { startListen } from "../helpers/cli.js";
import { runProgram } from "../helpers/program.js";
import { send, startTargetServer, type Behaviour, type TargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { fixtureFile, shippedSecret } from "../fixtures/shipped-secrets.js";
import { readFileSync } from "node:fs";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function handler(behaviour?: Behaviour): Promise<TargetServer> {
  const server = await startTargetServer(behaviour);
  cleanups.push(() => server.close());
  return server;
}

describe("sendUrlFor: the rule of replay, send, check, trigger and the inspector", () => {
  it("keeps the request's own path and query on a port or an origin, and takes a URL with a path as it is", () => {
    expect(sendUrlFor(resolveTarget("3000"), "/webhooks/stripe?x=1")).toBe("http://localhost:3000/webhooks/stripe?x=1");
    expect(sendUrlFor(resolveTarget("http://127.0.0.1:3000"), "/webhooks/stripe")).toBe("http://127.0.0.1:3000/webhooks/stripe");
    expect(sendUrlFor(resolveTarget("http://127.0.0.1:3000/"), "/webhooks/stripe")).toBe("http://127.0.0.1:3000/webhooks/stripe");
    expect(sendUrlFor(resolveTarget("http://localhost:3000/webhooks/stripe"), "/webhooks/stripe")).toBe("http://localhost:3000/webhooks/stripe");
    expect(sendUrlFor(resolveTarget("localhost:3000/hooks"), "/webhooks/github?a=1")).toBe("http://localhost:3000/hooks");
    expect(sendUrlFor(resolveTarget("http://localhost:3000/?only=this"), "/webhooks/github?a=1")).toBe("http://localhost:3000/?only=this");
  });

  it("refuses a target that is not a port, an origin or an http(s) URL", () => {
    for (const text of ["abc", "localhost", "ftp://x:21/", "70000"]) expect(() => resolveTarget(text, "--to")).toThrow(/Invalid --to/);
    expect(resolveTarget("[::1]:3000/x").href).toBe("http://[::1]:3000/x");
  });

  it("finds dot segments, plain, percent-encoded and behind a backslash, and only in the path", () => {
    for (const inbound of ["/../admin", "/%2e%2e/admin2", "/.%2E/admin3", "/a/./b", "/a/..\\b", "/a/%2E", "/.."]) expect(hasDotSegment(inbound), inbound).toBe(true);
    for (const inbound of ["/", "/a/...", "/a/..b", "/.well-known/x", "/a?p=/../b", "/%2e%2e%2fadmin"]) expect(hasDotSegment(inbound), inbound).toBe(false);
    expect(() => joinTarget(new URL("http://h:1/webhooks"), "/../admin")).toThrow(TypeError);
    expect(joinTarget(new URL("http://h:1/webhooks"), "/stripe?x=1")).toBe("http://h:1/webhooks/stripe?x=1");
  });
});

describe("the commands follow the rule", () => {
  it("send --to with the handler's whole URL posts to that URL, not to it joined with the fixture's path", async () => {
    const server = await handler();
    const run = await runProgram(["send", fixtureFile("stripe"), "--to", `${server.url}/webhooks/stripe`]);
    expect(run.code).toBe(0);
    expect(server.received.map((r) => r.url)).toEqual(["/webhooks/stripe"]);
  });

  it("check --to 3000 with no fixture and send --to 3000 reach the same route", { timeout: 90_000 }, async () => {
    const server = await handler();
    const port = String(server.port);
    const sent = await runProgram(["send", fixtureFile("stripe"), "--to", port]);
    expect(sent.code).toBe(0);
    const secret = shippedSecret("stripe").sign;
    await runProgram(["check", "--to", port, "--provider", "stripe", "--secret", secret, "--json"]);
    const paths = new Set(server.received.map((r) => r.url));
    expect(paths).toEqual(new Set(["/webhooks/stripe"]));
  });

  it("check --to <url with a path> … fixture posts every check to that URL", { timeout: 90_000 }, async () => {
    const github = await handler();
    await runProgram(["check", "--to", `${github.url}/hooks`, "--provider", "github", "--secret", shippedSecret("github").sign, "--json", fixtureFile("github")]);
    expect(github.received.length).toBeGreaterThan(5);
    expect(new Set(github.received.map((r) => r.url))).toEqual(new Set(["/hooks"]));
  });

  it("replay --to <url with a path> sends there exactly; --to <port> keeps the event's own path", { timeout: 90_000 }, async () => {
    const server = await handler();
    const db = path.join(tempDir(), "hooktape.db");
    const listen = await startListen(["--no-tunnel", "--db", db]);
    cleanups.push(() => listen.stop());
    const fixture = JSON.parse(readFileSync(fixtureFile("github"), "utf8")) as { request: { headers: Array<[string, string]>; body: string } };
    await send(`${listen.ready.url}/webhooks/github?delivery=7`, { headers: fixture.request.headers, body: Buffer.from(fixture.request.body) });
    await listen.waitForEvents(1);
    await listen.stop();
    const [id] = JSON.parse((await runProgram(["ls", "--json", "--db", db])).stdout).map((e: { id: string }) => e.id) as string[];

    expect((await runProgram(["replay", id as string, "--db", db, "--to", `${server.url}/api/hooks`])).code).toBe(0);
    expect((await runProgram(["replay", id as string, "--db", db, "--to", String(server.port)])).code).toBe(0);
    expect(server.received.map((r) => r.url)).toEqual(["/api/hooks", "/webhooks/github?delivery=7"]);
  });

  it("the 404 hint never tells the user to pass the --to they passed", { timeout: 90_000 }, async () => {
    const server = await handler({ kind: "answer", status: 404, body: "Not Found" });
    const exact = await runProgram(["send", fixtureFile("stripe"), "--to", `${server.url}/hooks`]);
    expect(exact.code).toBe(1);
    expect(exact.stdout).toContain(`404 from ${server.url}/hooks: nothing handles this route`);
    expect(exact.stdout).toContain("is /hooks the path the handler serves?");
    expect(exact.stdout + exact.stderr).not.toMatch(/--to/);

    const check = await runProgram(["check", "--to", `${server.url}/hooks`, "--provider", "stripe", "--secret", shippedSecret("stripe").sign]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`nothing handles ${server.url}/hooks — is that the path the handler serves?`);
    expect(check.stdout + check.stderr).not.toMatch(/give it in --to|--to http/);
  });

  it("listen abc is exit 2 at start, with one line", async () => {
    const run = await runProgram(["listen", "abc", "--no-tunnel", "--db", path.join(tempDir(), "h.db")]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain('Invalid target "abc"');
  });
});

describe("listen's prefix", () => {
  /** A raw request line, so that no client library resolves the dot segments before they reach hooktape. */
  function rawGet(url: string, port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => socket.write(`GET ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
      let answer = "";
      socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
      socket.on("end", () => resolve(answer));
      socket.on("error", reject);
    });
  }

  it("answers 400 to paths whose dot segments would leave the target's path, and forwards none of them", async () => {
    const server = await handler({ kind: "answer", status: 200, body: "admin deleted" });
    const store = new EventStore(path.join(tempDir(), "hooktape.db"));
    const agent = createDeliveryAgent();
    const capture = await startCaptureServer({
      store,
      host: "127.0.0.1",
      port: 0,
      target: new URL(`${server.url}/webhooks`),
      ack: null,
      timeoutMs: 5_000,
      maxBodyBytes: 1024 * 1024,
      dispatcher: agent,
      publicUrl: () => null,
      verify: () => ({ provider: null, verification: { status: "unverified", reason: "no_secret" } }),
      onNotice: () => undefined,
    });
    cleanups.push(async () => {
      await capture.close(1_000);
      await agent.close();
      store.close();
    });

    for (const url of ["/../admin/delete?x=1", "/%2e%2e/admin2", "/.%2E/admin3", "/stripe/..\\..\\admin4"]) {
      const answer = await rawGet(url, capture.port);
      expect(answer, url).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).not.toContain("admin deleted");
    }
    expect(server.received).toEqual([]);
    expect(store.listEvents({ limit: 0 })).toEqual([]);

    expect(await rawGet("/stripe?x=1", capture.port)).toMatch(/^HTTP\/1\.1 200 /);
    expect(server.received.map((r) => r.url)).toEqual(["/webhooks/stripe?x=1"]);
  });
});
