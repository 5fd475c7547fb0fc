// `hooktape trigger` through the built CLI as a user runs it: the lists, the errors, a delivery to a handler (checked
// with stripe-node and octokit, recorded, replayable), one through a running listen, and signed fixtures.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { verify as octokitVerify } from "@octokit/webhooks-methods";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { startListen } from "../helpers/cli.js";
import { runProgram } from "../helpers/program.js";
import { listenSession } from "../helpers/listen-session.js";
import { send } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const STRIPE_SECRET = "whsec_trigger_cli_test";
const GITHUB_SECRET = "github-trigger-cli-test";
const stripe = new Stripe("sk_test_trigger_cli");
const { listen, target } = listenSession();

function header(headers: Array<[string, string]>, name: string): string | undefined {
  return headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

describe("trigger --list", () => {
  it("lists at least 50 GitHub, 100 Shopify and 30 Stripe types, with where they come from", async () => {
    const minimum: Record<string, number> = { github: 50, shopify: 100, stripe: 30 };
    for (const [provider, least] of Object.entries(minimum)) {
      const result = await runProgram(["trigger", provider, "--list", "--json"]);
      expect(result.code).toBe(0);
      const document = JSON.parse(result.stdout) as { provider: string; types: Array<{ type: string; licence: string }> };
      expect(document.provider).toBe(provider);
      expect(document.types.length).toBeGreaterThanOrEqual(least);
      expect(new Set(document.types.map((entry) => entry.licence))).toEqual(new Set(["MIT"]));
    }
    const human = await runProgram(["trigger", "github", "--list"]);
    expect(human.stdout).toMatch(/^pull_request\.opened\s*$/m);
    expect(human.stderr).toMatch(/GitHub event types — @octokit\/webhooks-examples \d+\.\d+\.\d+ \(MIT\)/);
  });

  it("lists a sample's type for a provider without a published catalogue, and none for one that names no events", async () => {
    const square = JSON.parse((await runProgram(["trigger", "square", "--list", "--json"])).stdout) as { types: Array<{ type: string; source: string }> };
    expect(square.types).toEqual([{ type: "payment.updated", source: "hooktape sample", licence: null, deprecated: false }]);
    const dropbox = await runProgram(["trigger", "dropbox", "--list"]);
    expect(dropbox.code).toBe(0);
    expect(dropbox.stderr).toMatch(/no event type to send for Dropbox \(it names no event types\)/);
  });
});

describe("trigger: bad input is one line, exit 2, nothing sent", () => {
  it("an unknown type names the closest ones", async () => {
    const result = await runProgram(["trigger", "github", "pull_request.open", "--secret", GITHUB_SECRET, "--to", "1"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/Unknown GitHub event type "pull_request.open"; did you mean pull_request\.opened/);
  });

  it("an unknown provider, no secret, a malformed --set, an unreadable --body-file", async () => {
    const env = { HOOKTAPE_SECRET_STRIPE: undefined };
    const cases: Array<[string[], RegExp]> = [
      [["trigger", "stripey", "invoice.paid"], /Unknown provider "stripey"; see `hooktape providers`/],
      [["trigger", "stripe", "invoice.paid", "--to", "1"], /no secret to sign Stripe deliveries with: .*HOOKTAPE_SECRET_STRIPE/],
      [["trigger", "stripe", "invoice.paid", "--to", "1", "--secret", STRIPE_SECRET, "--set", "=5"], /Invalid --set "=5"/],
      [["trigger", "stripe", "invoice.paid", "--to", "1", "--secret", STRIPE_SECRET, "--body-file", "/nonexistent/body.json"], /Cannot read --body-file .*no such file/],
      [["trigger", "stripe", "invoice.paid", "--to", "ftp://x", "--secret", STRIPE_SECRET], /Invalid --to "ftp:\/\/x"/],
    ];
    for (const [args, message] of cases) {
      const result = await runProgram(args, { env });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(message);
      expect(result.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
  });

  it("without --to and without a running listen on the store, says so (a listen that was killed does not count)", async () => {
    const db = path.join(tempDir(), "store.db");
    const first = await runProgram(["trigger", "stripe", "invoice.paid", "--secret", STRIPE_SECRET, "--db", db]);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/no running `hooktape listen` records into .*store\.db; start one there, or send straight to your handler with --to 3000/);
    // A listen killed without a chance to say it stopped leaves its run record behind: its process is gone.
    const killed = await startListen(["--no-tunnel", "--db", db]);
    await killed.stop("SIGKILL");
    const after = await runProgram(["trigger", "stripe", "invoice.paid", "--secret", STRIPE_SECRET, "--db", db]);
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(/no running `hooktape listen`/);
  });
});

describe("trigger --to <handler>", () => {
  it("sends a Stripe event stripe-node verifies, edited before signing, records it as triggered, and it can be replayed", async () => {
    const handler = await target();
    const db = path.join(tempDir(), "store.db");
    const result = await runProgram([
      "--json",
      "trigger",
      "stripe",
      "invoice.paid",
      "--to",
      `${handler.url}/webhooks/stripe`,
      "--set",
      "data.object.amount_due=4200",
      "--set",
      'data.object.description="Abonnement — März"',
      "--db",
      db,
    ], { env: { HOOKTAPE_SECRET_STRIPE: STRIPE_SECRET } });
    expect(result.code, result.stderr).toBe(0);
    const outcome = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(outcome).toMatchObject({ provider: "stripe", eventType: "invoice.paid", via: "direct", url: `${handler.url}/webhooks/stripe`, status: 200, error: null });

    expect(handler.received).toHaveLength(1);
    const received = handler.received[0];
    expect(received?.url).toBe("/webhooks/stripe");
    const event = stripe.webhooks.constructEvent(received?.body ?? Buffer.alloc(0), header(received?.headers ?? [], "stripe-signature") ?? "", STRIPE_SECRET);
    expect(event.type).toBe("invoice.paid");
    expect(event.data.object).toMatchObject({ object: "invoice", status: "paid", amount_due: 4200, description: "Abonnement — März" });
    expect(header(received?.headers ?? [], "user-agent")).toMatch(/^Stripe\/1\.0/);

    const shown = JSON.parse((await runProgram(["events", "show", String(outcome.eventId), "--json", "--db", db])).stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({
      via: "trigger",
      provider: "stripe",
      eventType: "invoice.paid",
      verification: { status: "valid", reason: null },
      target: `${handler.url}/webhooks/stripe`,
      forwarded: true,
      deliveries: [{ kind: "trigger", attempt: 1, status: 200, target: `${handler.url}/webhooks/stripe` }],
    });
    expect(Buffer.from(String(shown.body))).toEqual(received?.body);
    const list = await runProgram(["events", "list", "--db", db]);
    expect(list.stdout).toMatch(/POST \/webhooks\/stripe {2,}invoice\.paid {2,}trigger {2,}stripe ✓ valid {2,}200 /);

    const replay = await runProgram(["replay", String(outcome.eventId), "--db", db]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(handler.received).toHaveLength(2);
    expect(handler.received[1]?.body).toEqual(received?.body);
  });

  it("--body-file sends those bytes, signed; a handler's 500 is exit 1 and recorded", async () => {
    const handler = await target({ kind: "answer", status: 500, body: "boom" });
    const dir = tempDir();
    const file = path.join(dir, "issue.json");
    const body = '{\n  "action": "opened",\n  "issue": { "title": "Ünïcode / slash" }\n}\n';
    writeFileSync(file, body);
    const result = await runProgram(["trigger", "github", "issues.opened", "--to", handler.url, "--body-file", file, "--secret", GITHUB_SECRET, "--db", path.join(dir, "s.db")]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/trigger {2}github issues\.opened {2}POST http:\/\/127\.0\.0\.1:\d+\/webhooks\/github {2}→ 500/);
    expect(result.stderr).toMatch(/the handler answered 500, not a 2xx/);
    const received = handler.received[0];
    expect(received?.body.toString("utf8")).toBe(body);
    expect(await octokitVerify(GITHUB_SECRET, body, header(received?.headers ?? [], "x-hub-signature-256") ?? "")).toBe(true);
    expect(header(received?.headers ?? [], "x-github-event")).toBe("issues");
  });
});

describe("trigger through a running listen", () => {
  it("finds listen in the store, goes through it to the handler, and listen records it as triggered", async () => {
    const handler = await target();
    const db = path.join(tempDir(), "store.db");
    const proc = await listen([`${handler.url}/hooks`, "--no-tunnel", "--db", db, "--secret", `github=${GITHUB_SECRET}`]);
    const result = await runProgram(["--json", "trigger", "github", "pull_request.opened", "--path", "/github", "--db", db], {
      env: { HOOKTAPE_SECRET_GITHUB: GITHUB_SECRET },
    });
    expect(result.code, result.stderr).toBe(0);
    const outcome = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(outcome).toMatchObject({ via: "listen", eventType: "pull_request.opened", status: 200, url: `${proc.ready.url}/github` });

    expect(handler.received).toHaveLength(1);
    const received = handler.received[0];
    expect(received?.url).toBe("/hooks/github");
    // The mark that told listen who sent it stops at listen: neither the handler nor the store sees it.
    expect(header(received?.headers ?? [], "x-hooktape-trigger")).toBeUndefined();
    expect(await octokitVerify(GITHUB_SECRET, received?.body.toString("utf8") ?? "", header(received?.headers ?? [], "x-hub-signature-256") ?? "")).toBe(true);
    expect(JSON.parse(received?.body.toString("utf8") ?? "{}")).toMatchObject({ action: "opened", pull_request: { head: {}, base: {}, user: {} } });

    await proc.waitForEvents(1);
    const record = proc.records.find((item) => item.type === "event");
    expect(record).toMatchObject({ id: outcome.eventId, via: "trigger", provider: "github", eventType: "pull_request.opened", verification: { status: "valid" } });
    const shown = JSON.parse((await runProgram(["show", String(outcome.eventId), "--json", "--db", db])).stdout) as { headers: Array<[string, string]> };
    expect(shown.headers.map(([name]) => name.toLowerCase())).not.toContain("x-hooktape-trigger");

    // A stranger's mark (not this run's token) is just a header: recorded and forwarded as it came.
    const forged = await send(`${proc.ready.url}/github`, { headers: [["X-Hooktape-Trigger", "guess"], ["X-GitHub-Event", "ping"]], body: "{}" });
    expect(forged.status).toBe(200);
    expect(forged.headers["x-hooktape-event-id"]).toBeUndefined();
    await proc.waitForEvents(2);
    expect(proc.records.filter((item) => item.type === "event")[1]).toMatchObject({ via: "local", eventType: "ping" });
    expect(header(handler.received[1]?.headers ?? [], "x-hooktape-trigger")).toBe("guess");
  });
});

describe("trigger through a listen that filters", () => {
  it("says that listen recorded the event and did not forward it", async () => {
    const handler = await target();
    const db = path.join(tempDir(), "store.db");
    await listen([handler.url, "--no-tunnel", "--db", db, "--only", "invoice.*"]);
    const env = { HOOKTAPE_SECRET_STRIPE: STRIPE_SECRET };
    const json = await runProgram(["--json", "trigger", "stripe", "charge.refunded", "--db", db], { env });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ via: "listen", eventType: "charge.refunded", status: 200, notForwarded: "filtered" });
    const human = await runProgram(["trigger", "stripe", "charge.refunded", "--db", db], { env });
    expect(human.stdout).toMatch(/recorded, not forwarded: listen's --only leaves this type out/);
    expect(handler.received).toEqual([]);
  });
});

describe("trigger --format fixture", () => {
  it("writes a signed fixture that `verify` accepts, with no secret in it", async () => {
    const dir = tempDir();
    const out = path.join(dir, "pr.json");
    const result = await runProgram(["trigger", "github", "pull_request.opened", "--format", "fixture", "--out", out, "--secret", GITHUB_SECRET]);
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).not.toContain(GITHUB_SECRET);
    const fixture = JSON.parse(text) as { provider: string; meta: { eventType: string } };
    expect(fixture).toMatchObject({ provider: "github", meta: { eventType: "pull_request.opened" } });
    const verified = await runProgram(["verify", "--fixture", out, "--secret", GITHUB_SECRET]);
    expect(verified.code).toBe(0);
    expect(verified.stdout.trim()).toBe("valid");

    // A token scheme's header is the secret itself: the fixture holds it redacted.
    const gitlab = await runProgram(["trigger", "gitlab", "push", "--format", "fixture", "--secret", "gitlab-token-not-real"]);
    expect(gitlab.code, gitlab.stderr).toBe(0);
    expect(gitlab.stdout).not.toContain("gitlab-token-not-real");
    expect(gitlab.stdout).toMatch(/\["X-Gitlab-Token", "\[redacted\]"\]/);
  });
});
