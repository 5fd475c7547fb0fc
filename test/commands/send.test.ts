import { readFileSync } from "node:fs";
import net from "node:net";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { runProgram } from "../helpers/program.js";
import { startTargetServer, type Behaviour, type TargetServer } from "../helpers/target-server.js";
import { fixtureFile, shippedSecret } from "../fixtures/shipped-secrets.js";
import { tempFixture } from "./command-helpers.js";

const stripe = new Stripe("sk_test_unused");
const targets: TargetServer[] = [];
afterEach(async () => {
  for (const target of targets.splice(0)) await target.close();
});

async function target(behaviour?: Behaviour): Promise<TargetServer> {
  const server = await startTargetServer(behaviour);
  targets.push(server);
  return server;
}

interface FixtureJson {
  request: { method: string; url: string; headers: Array<[string, string]>; body: string };
}

function readFixture(id: string): FixtureJson {
  return JSON.parse(readFileSync(fixtureFile(id), "utf8")) as FixtureJson;
}

function header(headers: Array<[string, string]>, name: string): string | undefined {
  return headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

/** A port that refuses connections: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("hooktape send", () => {
  it("sends fixtures as they are: the handler gets the exact bytes and headers, on each fixture's own path", async () => {
    const handler = await target();
    const result = await runProgram(["send", fixtureFile("stripe"), fixtureFile("github"), "--to", handler.url]);
    expect(result.code).toBe(0);
    expect(handler.received.map((r) => r.url)).toEqual(["/webhooks/stripe", "/webhooks/github"]);
    const fixture = readFixture("stripe");
    const received = handler.received[0];
    expect(received?.body.toString()).toBe(fixture.request.body);
    expect(header(received?.headers ?? [], "stripe-signature")).toBe(header(fixture.request.headers, "stripe-signature"));
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^✓ 200  .*stripe\\.json → POST ${handler.url}/webhooks/stripe  \\d+ ms$`));
    expect(result.stderr).toBe("2 of 2 sent fixtures got a 2xx.\n");
  });

  it("--resign signs with a fresh timestamp that stripe-node accepts now, keeping the body", async () => {
    const handler = await target();
    const { sign: secret } = shippedSecret("stripe");
    const result = await runProgram(["send", fixtureFile("stripe"), "--to", String(handler.port), "--resign", "--secret", secret]);
    expect(result.code).toBe(0);
    const received = handler.received[0];
    const signature = header(received?.headers ?? [], "stripe-signature") ?? "";
    expect(signature).not.toBe(header(readFixture("stripe").request.headers, "stripe-signature"));
    expect(stripe.webhooks.constructEvent(received?.body ?? "", signature, secret).id).toBe("evt_hooktape_1");
  });

  it("--resign keeps a Standard Webhooks message id, and the official library accepts the delivery", async () => {
    const handler = await target();
    const { sign: secret } = shippedSecret("standard-webhooks");
    const result = await runProgram(["send", fixtureFile("standard-webhooks"), "--to", handler.url, "--resign"], {
      env: { HOOKTAPE_SECRET_STANDARD_WEBHOOKS: secret },
    });
    expect(result.code).toBe(0);
    const received = handler.received[0];
    const headers = Object.fromEntries((received?.headers ?? []).map(([name, value]) => [name.toLowerCase(), value]));
    expect(headers["webhook-id"]).toBe(header(readFixture("standard-webhooks").request.headers, "webhook-id"));
    expect(() => new Webhook(secret).verify(received?.body.toString() ?? "", headers)).not.toThrow();
  });

  it("--resign for Twilio signs the URL actually called", async () => {
    const handler = await target();
    const { sign: secret } = shippedSecret("twilio");
    const result = await runProgram(["send", fixtureFile("twilio"), "--to", handler.url, "--resign", "--secret", secret]);
    expect(result.code).toBe(0);
    const received = handler.received[0];
    const twilio = await import("twilio/lib/webhooks/webhooks.js");
    const params = Object.fromEntries(new URLSearchParams(received?.body.toString() ?? ""));
    const signature = header(received?.headers ?? [], "x-twilio-signature") ?? "";
    expect(twilio.validateRequest(secret, signature, `${handler.url}${received?.url}`, params)).toBe(true);
  });

  it("exit 1 on a non-2xx unless --expect matches; --json has one result per fixture", async () => {
    const handler = await target({ kind: "answer", status: 400, body: "bad signature" });
    const failed = await runProgram(["send", fixtureFile("stripe"), "--to", handler.url]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^✗ 400  /);
    const expected = await runProgram(["--json", "send", fixtureFile("stripe"), "--to", handler.url, "--expect", "400"]);
    expect(expected.code).toBe(0);
    const output = JSON.parse(expected.stdout) as { results: Array<Record<string, unknown>> };
    expect(output.results).toHaveLength(1);
    expect(output.results[0]).toMatchObject({ provider: "stripe", method: "POST", url: `${handler.url}/webhooks/stripe`, resigned: false, status: 400, error: null, ok: true });
  });

  it("--expect takes a class as `replay --expect` does: 4xx passes a 400 and fails a 404 (nothing handles that route)", async () => {
    const handler = await target({ kind: "answer", status: 400, body: "bad signature" });
    const rejected = await runProgram(["send", fixtureFile("stripe"), "--to", handler.url, "--expect", "4xx"]);
    expect(rejected.code).toBe(0);
    expect(rejected.stderr).toContain("1 of 1 sent fixtures got 4xx.");
    handler.setBehaviour({ kind: "answer", status: 404, body: "Not Found" });
    const wrongRoute = await runProgram(["send", fixtureFile("stripe"), "--to", handler.url, "--expect", "4xx"]);
    expect(wrongRoute.code).toBe(1);
    expect(wrongRoute.stderr).toContain("0 of 1 sent fixtures got 4xx.");
  });

  it("a refused connection is a failed delivery: shown on its line, exit 1", async () => {
    const port = await closedPort();
    const result = await runProgram(["send", fixtureFile("stripe"), "--to", String(port)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✗ failed \(connection refused — is the handler running\?\)  .*stripe\.json → POST http:\/\/localhost:\d+\/webhooks\/stripe/);
    const json = await runProgram(["--json", "send", fixtureFile("stripe"), "--to", String(port)]);
    expect((JSON.parse(json.stdout) as { results: Array<{ error: string; status: null }> }).results[0]).toMatchObject({ status: null, error: "ECONNREFUSED" });
  });

  it("sends nothing when one fixture is malformed or a secret is missing (exit 2)", async () => {
    const handler = await target();
    const broken = tempFixture('{"hooktape":1,"provider":"stripe"}', "broken.json");
    const malformed = await runProgram(["send", fixtureFile("stripe"), broken, "--to", handler.url]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toBe(`hooktape: ${broken}: "request" must be an object with method, url, headers and body\n`);
    const noSecret = await runProgram(["send", fixtureFile("stripe"), "--to", handler.url, "--resign"], { env: { HOOKTAPE_SECRET_STRIPE: "" } });
    expect(noSecret).toMatchObject({ code: 2, stderr: "hooktape: no secret for stripe: pass --secret stripe=whsec_... or set HOOKTAPE_SECRET_STRIPE\n" });
    const missing = await runProgram(["send", "no-such.json", "--to", handler.url]);
    expect(missing).toMatchObject({ code: 2, stderr: "hooktape: no-such.json: no such file\n" });
    expect(handler.received).toHaveLength(0);
  });
});
