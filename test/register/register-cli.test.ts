import { createHmac } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { machineTag } from "../../src/register/run-id.js";
import { spawn } from "node:child_process";
import { CLI, startListen, type ListenProcess } from "../helpers/cli.js";
import { runProgram } from "../helpers/program.js";
import { startTargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { FAKE_CLOUDFLARED, readState, sendToEdge, stopAll } from "../tunnel/helpers.js";
import { startGithubStandIn, startStripeStandIn, decodeStripeForm, type GithubStandIn, type StripeStandIn } from "./provider-apis.js";

const TEST_KEY = "sk_test_51HooktapeStandInKey0000000000abcd";
const LIVE_KEY = "sk_live_51HooktapeStandInKey0000000000wxyz";
const GITHUB_TOKEN = "ghp_standInToken0000000000000000000000";

const running: ListenProcess[] = [];
const edgeStates: string[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await stopAll(running.splice(0), edgeStates.splice(0));
  for (const close of closers.splice(0)) await close();
});

async function stripeApi(options: Parameters<typeof startStripeStandIn>[0] = { keys: [TEST_KEY] }): Promise<StripeStandIn> {
  const api = await startStripeStandIn(options);
  closers.push(api.close);
  return api;
}

async function githubApi(options: Parameters<typeof startGithubStandIn>[0]): Promise<GithubStandIn> {
  const api = await startGithubStandIn(options);
  closers.push(api.close);
  return api;
}

interface Run {
  proc: ListenProcess;
  dir: string;
  db: string;
  edgePort: () => Promise<number>;
}

/** `hooktape listen --json` through the fake cloudflared, with its own folder, store and edge state file. */
async function listen(args: string[], env: NodeJS.ProcessEnv, dir = tempDir()): Promise<Run> {
  const db = path.join(dir, "register.db");
  const state = path.join(dir, `edge-${running.length}.json`);
  edgeStates.push(state);
  const proc = await startListen(["--db", db, "--cloudflared", FAKE_CLOUDFLARED, ...args], {
    FAKE_CLOUDFLARED_STATE: state,
    HOME: dir,
    GITHUB_TOKEN: undefined,
    STRIPE_API_KEY: undefined,
    PATH: path.dirname(process.execPath), // no `gh` to fall back on
    ...env,
  });
  running.push(proc);
  return { proc, dir, db, edgePort: async () => (await readState(state)).edgePort ?? 0 };
}

function recordOf(proc: ListenProcess, type: string): Promise<Record<string, unknown>> {
  return proc.waitForRecord((record) => record.type === type, 15_000);
}

function warnings(proc: ListenProcess): string[] {
  return proc.records.filter((record) => record.type === "warning").map((record) => String(record.message));
}

/** What Stripe sends: a pretty-printed event, signed `t=<ts>,v1=<hmac>` with the endpoint's secret. */
function stripeDelivery(secret: string, host: string): { method: string; path: string; headers: Array<[string, string]>; body: Buffer } {
  const body = JSON.stringify({ id: "evt_1QhooktapeÉté", object: "event", type: "customer.created", data: { object: { id: "cus_1", name: "Zoë Müller" } } }, null, 2);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return {
    method: "POST",
    path: "/webhooks/stripe",
    headers: [["Host", host], ["Content-Type", "application/json; charset=utf-8"], ["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"], ["Stripe-Signature", `t=${t},v1=${v1}`]],
    body: Buffer.from(body),
  };
}

describe("listen --register stripe (Stripe API stand-in, fake cloudflared)", () => {
  it("creates the endpoint for the public URL, verifies with its secret, and deletes it on SIGTERM", async () => {
    const api = await stripeApi();
    const run = await listen(["--register", "stripe", "--path", "/webhooks/stripe", "--events", "customer.created,invoice.paid"], {
      STRIPE_API_KEY: TEST_KEY,
      HOOKTAPE_STRIPE_API_BASE: api.url,
    });
    const registered = await recordOf(run.proc, "registered");
    const publicUrl = String(run.proc.ready.publicUrl);
    expect(publicUrl).toMatch(/^https:\/\/[a-z-]+\.trycloudflare\.com$/);
    expect(registered).toMatchObject({ type: "registered", provider: "stripe", url: `${publicUrl}/webhooks/stripe` });

    // What hooktape asked Stripe, as Stripe's docs say to ask it.
    const create = api.calls.find((call) => call.method === "POST");
    expect(create?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(create?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(create?.headers["stripe-version"]).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(create?.headers["idempotency-key"]).toBeTruthy();
    const form = decodeStripeForm(create?.body ?? "");
    expect(form).toMatchObject({ url: `${publicUrl}/webhooks/stripe`, enabled_events: ["customer.created", "invoice.paid"] });
    expect((form.metadata as Record<string, string>).hooktape_run).toMatch(new RegExp(`^${machineTag()}-\\d+-[0-9a-f]{6}$`));
    expect(String(form.description)).toContain("hooktape");
    const endpoint = api.endpoints[0];
    expect(registered.endpoint).toBe(endpoint?.id);

    // An event Stripe signs with the secret it returned arrives through the edge: valid, with no --secret given.
    const answer = await sendToEdge(await run.edgePort(), stripeDelivery(endpoint?.secret ?? "", new URL(publicUrl).host));
    expect(answer.status).toBe(200);
    await run.proc.waitForEvents(1);
    expect(run.proc.records.find((record) => record.type === "event")).toMatchObject({
      provider: "stripe",
      via: "tunnel",
      verification: { status: "valid" },
    });

    expect(await run.proc.stop("SIGTERM")).toBe(0);
    expect(api.endpoints).toHaveLength(0);
    expect(api.calls.at(-1)).toMatchObject({ method: "DELETE", path: `/v1/webhook_endpoints/${endpoint?.id}` });
    expect(run.proc.records.find((record) => record.type === "unregistered")).toMatchObject({ provider: "stripe", endpoint: endpoint?.id });

    // The secret lives in memory only: not in the database (nor its WAL), not in any output.
    const secret = endpoint?.secret ?? "";
    for (const file of readdirSync(run.dir).filter((name) => name.startsWith("register.db"))) {
      expect(readFileSync(path.join(run.dir, file)).includes(Buffer.from(secret))).toBe(false);
    }
    expect(run.proc.stderr()).not.toContain(secret);
    expect(JSON.stringify(run.proc.records)).not.toContain(secret);
  });

  it("Ctrl-C (SIGINT) deletes the endpoint too", async () => {
    const api = await stripeApi();
    const run = await listen(["--register", "stripe"], { STRIPE_API_KEY: TEST_KEY, HOOKTAPE_STRIPE_API_BASE: api.url });
    await recordOf(run.proc, "registered");
    expect(api.endpoints).toHaveLength(1);
    expect(await run.proc.stop("SIGINT")).toBe(0);
    expect(api.endpoints).toHaveLength(0);
  });

  it("Ctrl-C in a terminal (SIGINT to the whole process group, cloudflared included) is a clean stop, not a tunnel failure", async () => {
    const api = await stripeApi({ keys: [TEST_KEY], deleteDelayMs: 800 }); // Stripe takes a moment to answer
    const dir = tempDir();
    const child = spawn(process.execPath, [CLI, "--json", "listen", "--register", "stripe", "--db", path.join(dir, "g.db"), "--cloudflared", FAKE_CLOUDFLARED], {
      detached: true, // its own process group, as a terminal's foreground job
      env: { ...process.env, NO_COLOR: "1", STRIPE_API_KEY: TEST_KEY, HOOKTAPE_STRIPE_API_BASE: api.url, HOME: dir },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      await vi.waitFor(() => expect(stdout).toContain('"type":"registered"'), { timeout: 15_000 });
      process.kill(-(child.pid ?? 0), "SIGINT");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) process.kill(-(child.pid ?? 0), "SIGKILL");
    }
    expect(api.endpoints).toHaveLength(0);
    expect(stderr).not.toMatch(/tunnel went down|public URL is gone/);
    expect(stdout.trim().split("\n").map((line) => JSON.parse(line).type)).toEqual(["ready", "registered", "unregistered"]);
  });

  it("when Stripe cannot delete at exit, says so in one line and still exits 0; the next run cleans up", async () => {
    const api = await stripeApi();
    const run = await listen(["--register", "stripe"], { STRIPE_API_KEY: TEST_KEY, HOOKTAPE_STRIPE_API_BASE: api.url });
    const endpoint = String((await recordOf(run.proc, "registered")).endpoint);
    api.failWith({ status: 500, error: { type: "api_error", message: "An unknown error occurred" } });
    expect(await run.proc.stop("SIGTERM")).toBe(0);
    expect(warnings(run.proc)).toEqual([
      `could not delete the stripe endpoint ${endpoint} (Stripe refused to delete webhook endpoint ${endpoint} (500 api_error: An unknown error occurred)); the next \`listen --register stripe\` deletes it, or delete it in the Stripe Dashboard`,
    ]);
    expect(run.proc.records.some((record) => record.type === "unregistered")).toBe(false);
    expect(api.endpoints.map((item) => item.id)).toEqual([endpoint]);

    api.failWith(null);
    const next = await listen(["--register", "stripe"], { STRIPE_API_KEY: TEST_KEY, HOOKTAPE_STRIPE_API_BASE: api.url });
    const fresh = String((await recordOf(next.proc, "registered")).endpoint);
    expect(api.endpoints.map((item) => item.id)).toEqual([fresh]);
  });

  it("a tunnel that dies takes its endpoint with it, and capture goes on", async () => {
    const api = await stripeApi();
    const run = await listen(["--register", "stripe"], {
      STRIPE_API_KEY: TEST_KEY,
      HOOKTAPE_STRIPE_API_BASE: api.url,
      FAKE_CLOUDFLARED_MODE: "die-after:600",
    });
    await recordOf(run.proc, "registered");
    await recordOf(run.proc, "unregistered");
    expect(api.endpoints).toHaveLength(0);
    expect(run.proc.child.exitCode).toBeNull(); // still capturing on the local URL
    const local = await fetch(`${run.proc.ready.url}/still-here`, { method: "POST", body: "{}" });
    expect(local.status).toBe(200);
    expect(await run.proc.stop("SIGTERM")).toBe(0);
    expect(api.calls.filter((call) => call.method === "DELETE")).toHaveLength(1); // deleted once, not again at exit
  });

  it("an endpoint left by a SIGKILLed run is deleted at the next start; others' endpoints are left alone", async () => {
    const api = await stripeApi({ keys: [TEST_KEY], pageSize: 2 }); // pages of 2: the leftover is found on a later page
    const env = { STRIPE_API_KEY: TEST_KEY, HOOKTAPE_STRIPE_API_BASE: api.url };
    const first = await listen(["--register", "stripe"], env);
    const leftover = String((await recordOf(first.proc, "registered")).endpoint);
    expect(await first.proc.stop("SIGKILL")).toBeNull();
    expect(api.endpoints.map((item) => item.id)).toEqual([leftover]);

    const mine = api.seed({ url: "https://shop.example.com/webhooks" }); // the user's own endpoint
    const alive = api.seed({ url: "https://live-run.trycloudflare.com/", metadata: { hooktape_run: `${machineTag()}-${process.pid}-abcdef` } });
    const elsewhere = api.seed({ url: "https://teammate.trycloudflare.com/", metadata: { hooktape_run: "0badf00d-4242-abcdef" } });

    const second = await listen(["--register", "stripe"], env);
    const registered = await recordOf(second.proc, "registered");
    expect(second.proc.stderr()).toContain(`Deleted 1 Stripe webhook endpoint left by an earlier hooktape run that did not stop cleanly: ${leftover}`);
    expect(api.endpoints.map((item) => item.id).sort()).toEqual([mine.id, alive.id, elsewhere.id, String(registered.endpoint)].sort());
    expect(api.calls.filter((call) => call.method === "GET").length).toBeGreaterThan(1); // followed has_more
  });

  it("refuses a live-mode key without --allow-live, in one line, and goes on capturing", async () => {
    const api = await stripeApi({ keys: [LIVE_KEY] });
    const run = await listen(["--register", "stripe"], { STRIPE_API_KEY: LIVE_KEY, HOOKTAPE_STRIPE_API_BASE: api.url });
    await recordOf(run.proc, "warning");
    expect(warnings(run.proc)).toEqual([expect.stringMatching(/live-mode key.*--allow-live/)]);
    expect(api.calls).toHaveLength(0);
    expect((await fetch(`${run.proc.ready.url}/x`, { method: "POST", body: "{}" })).status).toBe(200);

    const allowed = await listen(["--register", "stripe", "--allow-live"], { STRIPE_API_KEY: LIVE_KEY, HOOKTAPE_STRIPE_API_BASE: api.url });
    expect(await recordOf(allowed.proc, "registered")).toMatchObject({ provider: "stripe" });
  });

  it("API trouble is one warning line saying what to fix: no key, a bad key, an error object, no API", async () => {
    const api = await stripeApi();
    // Runs that see the API in the same state start side by side.
    const [noKey, badKey] = await Promise.all([
      listen(["--register", "stripe"], { HOOKTAPE_STRIPE_API_BASE: api.url }),
      listen(["--register", "stripe"], { STRIPE_API_KEY: "sk_test_wrong000000000000000000000000dcba", HOOKTAPE_STRIPE_API_BASE: api.url }),
    ]);
    await Promise.all([recordOf(noKey.proc, "warning"), recordOf(badKey.proc, "warning")]);
    expect(warnings(noKey.proc)).toEqual([expect.stringContaining("STRIPE_API_KEY is not set")]);
    expect(warnings(badKey.proc)).toEqual([expect.stringMatching(/^--register stripe: Stripe refused to list webhook endpoints \(401 invalid_request_error: Invalid API Key provided: sk_test_\*+dcba\); capturing without registration$/)]);

    api.failWith({ status: 500, error: { type: "api_error", message: "An unknown error occurred.\nPlease retry\n   later." } });
    const serverError = await listen(["--register", "stripe"], { STRIPE_API_KEY: TEST_KEY, HOOKTAPE_STRIPE_API_BASE: api.url });
    await recordOf(serverError.proc, "warning");
    expect(warnings(serverError.proc)).toEqual([expect.stringContaining("(500 api_error: An unknown error occurred. Please retry later.)")]);

    await api.close();
    const [unreachable, down] = await Promise.all([
      listen(["--register", "stripe", "--no-tunnel"], { STRIPE_API_KEY: TEST_KEY, HOOKTAPE_STRIPE_API_BASE: api.url }),
      listen(["--register", "stripe"], { STRIPE_API_KEY: TEST_KEY, HOOKTAPE_STRIPE_API_BASE: api.url }),
    ]);
    await Promise.all([recordOf(unreachable.proc, "warning"), recordOf(down.proc, "warning")]);
    expect(warnings(unreachable.proc)).toEqual([expect.stringContaining("no public URL")]);
    expect(warnings(down.proc)).toEqual([expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); check HOOKTAPE_STRIPE_API_BASE; capturing without registration$/)]);
    for (const run of [noKey, badKey, serverError, down]) {
      expect(warnings(run.proc).every((line) => !line.includes("\n"))).toBe(true);
      expect(run.proc.child.exitCode).toBeNull();
    }
    // Five listens, three rounds one after another: a minute, not the default half, on two loaded cores.
  }, 60_000);
});

describe("listen --register github (GitHub API stand-in)", () => {
  it("creates a json hook with a secret it verifies with, marks it, and deletes it at exit", async () => {
    const api = await githubApi({ tokens: [GITHUB_TOKEN], scopes: ["acme/shop"] });
    const run = await listen(["--register", "github:acme/shop", "--events", "push,pull_request", "--path", "/gh"], {
      GITHUB_TOKEN,
      HOOKTAPE_GITHUB_API_BASE: api.url,
    });
    const registered = await recordOf(run.proc, "registered");
    const hook = api.hooks[0];
    const publicUrl = String(run.proc.ready.publicUrl);
    expect(hook).toMatchObject({ scope: "acme/shop", events: ["push", "pull_request"], active: true, config: { content_type: "json", insecure_ssl: "0" } });
    expect(hook?.config.url).toMatch(new RegExp(`^${publicUrl.replace(/\./g, "\\.")}/gh\\?hooktape_run=${machineTag()}-\\d+-[0-9a-f]{6}$`));
    expect(hook?.config.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(registered).toMatchObject({ provider: "github", endpoint: String(hook?.id), url: hook?.config.url });
    const create = api.calls.find((call) => call.method === "POST");
    expect(create?.path).toBe("/repos/acme/shop/hooks");
    expect(create?.headers).toMatchObject({ authorization: `Bearer ${GITHUB_TOKEN}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" });
    expect(create?.headers["user-agent"]).toBeTruthy();

    // GitHub's delivery of that hook, signed with the secret hooktape gave it.
    const body = JSON.stringify({ ref: "refs/heads/main", repository: { full_name: "acme/shop" }, pusher: { name: "zoë" } }, null, 2);
    const signature = "sha256=" + createHmac("sha256", hook?.config.secret ?? "").update(body).digest("hex");
    const target = new URL(hook?.config.url ?? "");
    await sendToEdge(await run.edgePort(), {
      method: "POST",
      path: target.pathname + target.search,
      headers: [["Host", target.host], ["Content-Type", "application/json"], ["X-GitHub-Event", "push"], ["X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"], ["X-Hub-Signature-256", signature]],
      body: Buffer.from(body),
    });
    await run.proc.waitForEvents(1);
    expect(run.proc.records.find((record) => record.type === "event")).toMatchObject({ provider: "github", verification: { status: "valid" } });

    expect(await run.proc.stop("SIGTERM")).toBe(0);
    expect(api.hooks).toHaveLength(0);
    expect(run.proc.records.find((record) => record.type === "unregistered")).toMatchObject({ provider: "github", endpoint: String(hook?.id) });
  });

  it("without GITHUB_TOKEN, takes the token from `gh auth token` (which gets no hooktape secret)", async () => {
    const api = await githubApi({ tokens: [GITHUB_TOKEN], scopes: ["acme/shop"] });
    const dir = tempDir();
    const bin = path.join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(path.join(bin, "gh"), `#!/bin/sh\nenv > "${dir}/gh-env.txt"\n[ "$1 $2" = "auth token" ] && echo ${GITHUB_TOKEN}\n`, { mode: 0o755 });
    const run = await listen(["--register", "github:acme/shop"], {
      HOOKTAPE_GITHUB_API_BASE: api.url,
      HOOKTAPE_SECRET_GITHUB: "handler-secret-from-env",
      PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    }, dir);
    await recordOf(run.proc, "registered");
    expect(api.calls.find((call) => call.method === "POST")?.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);
    expect(api.hooks[0]?.config.secret).toBe("handler-secret-from-env");
    expect(readFileSync(path.join(dir, "gh-env.txt"), "utf8")).not.toContain("handler-secret-from-env");
  });

  it("an org hook uses the secret given with --secret github=…, so the handler's own secret keeps working", async () => {
    const api = await githubApi({ tokens: [GITHUB_TOKEN], scopes: ["org:acme"] });
    const run = await listen(["--register", "github:org:acme", "--secret", "github=handler-secret-of-mine"], { GITHUB_TOKEN, HOOKTAPE_GITHUB_API_BASE: api.url });
    await recordOf(run.proc, "registered");
    expect(api.calls.find((call) => call.method === "POST")?.path).toBe("/orgs/acme/hooks");
    expect(api.hooks[0]?.config.secret).toBe("handler-secret-of-mine");
  });

  it("an unnamed --secret (meant for the provider --provider names, or for verifying) is never handed to GitHub", async () => {
    const api = await githubApi({ tokens: [GITHUB_TOKEN], scopes: ["acme/shop"] });
    const run = await listen(["--register", "github:acme/shop", "--secret", "whsec_meant_for_stripe"], { GITHUB_TOKEN, HOOKTAPE_GITHUB_API_BASE: api.url });
    await recordOf(run.proc, "registered");
    const secret = api.hooks[0]?.config.secret ?? "";
    expect(secret).not.toBe("whsec_meant_for_stripe");
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
  });

  it("cleans hooks a SIGKILLed run left (across pages), and says why GitHub refused in one line", async () => {
    const api = await githubApi({ tokens: [GITHUB_TOKEN], scopes: ["acme/shop"], pageSize: 1 });
    const env = { GITHUB_TOKEN, HOOKTAPE_GITHUB_API_BASE: api.url };
    api.seed("acme/shop", { url: "https://ci.example.com/hook" });
    const first = await listen(["--register", "github:acme/shop"], env);
    const leftover = String((await recordOf(first.proc, "registered")).endpoint);
    await first.proc.stop("SIGKILL");
    const second = await listen(["--register", "github:acme/shop"], env);
    await recordOf(second.proc, "registered");
    expect(second.proc.stderr()).toContain(`left by an earlier hooktape run that did not stop cleanly: ${leftover}`);
    expect(api.hooks.map((hook) => hook.config.url)).toContain("https://ci.example.com/hook");
    expect(api.hooks.map((hook) => String(hook.id))).not.toContain(leftover);

    // Three refusals that touch nothing the others read: their runs start side by side.
    const [notAdmin, noOrg, noToken] = await Promise.all([
      listen(["--register", "github:acme/other"], env),
      listen(["--register", "github:org:nope"], env),
      listen(["--register", "github:acme/shop"], { HOOKTAPE_GITHUB_API_BASE: api.url }),
    ]);
    await Promise.all([notAdmin, noOrg, noToken].map((run) => recordOf(run.proc, "warning")));
    expect(warnings(notAdmin.proc)).toEqual([expect.stringMatching(/^--register github:acme\/other: GitHub refused to list the webhooks of acme\/other \(404: Not Found\); the token needs admin access/)]);
    expect(warnings(noOrg.proc)).toEqual([expect.stringMatching(/^--register github:org:nope: GitHub refused to list the webhooks of org nope \(404: Not Found\); .*admin:org_hook/)]);
    expect(warnings(noToken.proc)).toEqual([expect.stringContaining("set GITHUB_TOKEN")]);
    // Five listens, two of them one after another: a minute, not the default half, on two loaded cores.
  }, 60_000);
});

describe("replay --resign in another terminal during a --register run", () => {
  it("signs with the secret given to both commands: the run itself writes no secret anywhere", async () => {
    const api = await githubApi({ tokens: [GITHUB_TOKEN], scopes: ["acme/shop"] });
    const handler = await startTargetServer({ kind: "answer", status: 204 });
    closers.push(handler.close);
    const secret = "shared-handler-secret";
    const run = await listen([String(handler.port), "--register", "github:acme/shop", "--secret", `github=${secret}`], { GITHUB_TOKEN, HOOKTAPE_GITHUB_API_BASE: api.url });
    await recordOf(run.proc, "registered");
    const hook = api.hooks[0];
    expect(hook?.config.secret).toBe(secret);
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: hook?.id }, null, 2);
    const target = new URL(hook?.config.url ?? "");
    await sendToEdge(await run.edgePort(), {
      method: "POST",
      path: target.pathname + target.search,
      headers: [["Host", target.host], ["Content-Type", "application/json"], ["X-GitHub-Event", "ping"], ["X-GitHub-Delivery", "d-1"], ["X-Hub-Signature-256", "sha256=" + createHmac("sha256", secret).update(body).digest("hex")]],
      body: Buffer.from(body),
    });
    await run.proc.waitForEvents(1);
    const id = String(run.proc.records.find((record) => record.type === "event")?.id);

    // replay in process: another process than the listen whose store it reads, as another terminal's would be.
    const replay = await runProgram(["replay", id, "--resign", "--secret", `github=${secret}`, "--to", String(handler.port), "--db", run.db, "--json"]);
    expect(replay.code).toBe(0);
    const resent = handler.received.at(-1);
    const signature = resent?.headers.find(([name]) => name.toLowerCase() === "x-hub-signature-256")?.[1];
    expect(signature).toBe("sha256=" + createHmac("sha256", secret).update(resent?.body ?? Buffer.alloc(0)).digest("hex"));

    const withoutSecret = await runProgram(["replay", id, "--resign", "--to", String(handler.port), "--db", run.db]);
    expect(withoutSecret.code).toBe(2);
    expect(withoutSecret.stderr).toMatch(/secret/);
  });
});

describe("--on-url and --on-exit", () => {
  it("run through the shell with HOOKTAPE_PUBLIC_URL and without hooktape's secrets", async () => {
    const dir = tempDir();
    const onUrl = `printf '%s\\n' "$HOOKTAPE_PUBLIC_URL" > "${dir}/url.txt"; env > "${dir}/env.txt"`;
    const onExit = `printf 'bye %s\\n' "$HOOKTAPE_PUBLIC_URL" > "${dir}/exit.txt"`;
    const run = await listen(["--on-url", onUrl, "--on-exit", onExit], { HOOKTAPE_SECRET_STRIPE: "whsec_must_not_leak", STRIPE_API_KEY: TEST_KEY }, dir);
    const publicUrl = String(run.proc.ready.publicUrl);
    await vi.waitFor(() => expect(readFileSync(path.join(dir, "url.txt"), "utf8")).toBe(`${publicUrl}\n`), { timeout: 10_000 });
    const env = readFileSync(path.join(dir, "env.txt"), "utf8");
    expect(env).not.toContain("whsec_must_not_leak");
    expect(env).not.toMatch(/^HOOKTAPE_SECRET_/m);
    expect(env).not.toContain(TEST_KEY); // nor the API key hooktape itself reads
    expect(existsSync(path.join(dir, "exit.txt"))).toBe(false);
    expect(await run.proc.stop("SIGTERM")).toBe(0);
    expect(readFileSync(path.join(dir, "exit.txt"), "utf8")).toBe(`bye ${publicUrl}\n`);
  });

  it("a slow --on-url neither holds up events nor a SIGTERM", async () => {
    const dir = tempDir();
    const run = await listen(["--on-url", `echo started > "${dir}/started"; sleep 45; echo finished > "${dir}/finished"`], {}, dir);
    await vi.waitFor(() => expect(existsSync(path.join(dir, "started"))).toBe(true), { timeout: 10_000 });
    expect((await fetch(`${run.proc.ready.url}/during`, { method: "POST", body: "{}" })).status).toBe(200);
    await run.proc.waitForEvents(1);
    expect(await run.proc.stop("SIGTERM")).toBe(0); // well before the script's 45 s
    expect(existsSync(path.join(dir, "finished"))).toBe(false);
    expect(warnings(run.proc)).toEqual([]);
  });

  it("without a public URL neither --on-url nor --on-exit runs: there is nothing to point at, nothing to undo", async () => {
    const dir = tempDir();
    const run = await listen(["--no-tunnel", "--on-url", `touch "${dir}/on-url"`, "--on-exit", `touch "${dir}/on-exit"`], {}, dir);
    await vi.waitFor(() => expect(warnings(run.proc)).toHaveLength(2), { timeout: 10_000 });
    expect(warnings(run.proc)).toEqual([
      "--on-url: there is no public URL (no tunnel); not run",
      "--on-exit: there is no public URL (no tunnel); it will not run at exit",
    ]);
    expect(await run.proc.stop("SIGTERM")).toBe(0);
    expect(existsSync(path.join(dir, "on-url"))).toBe(false);
    expect(existsSync(path.join(dir, "on-exit"))).toBe(false);
  });

  it("a failing --on-url is a warning, not the end of the run", async () => {
    const run = await listen(["--on-url", "exit 7"], {});
    await recordOf(run.proc, "warning");
    expect(warnings(run.proc)).toEqual(["--on-url exited with code 7"]);
    expect(run.proc.child.exitCode).toBeNull();
  });
});

describe("bad --register input is exit 2 in one line", () => {
  it.each([
    [["--register", "stripe:acct"], /Invalid --register "stripe:acct"/],
    [["--register", "github:acme"], /Invalid --register "github:acme"/],
    [["--register", "stripe", "--events", ","], /Invalid --events ","/],
    [["--events", "push"], /--events needs --register/],
    [["--register", "github:acme/shop", "--allow-live"], /--allow-live applies to --register stripe only/],
  ])("%j", async (args, message) => {
    // The program's decision, before anything starts: run in process (test/e2e/listen.test.ts spawns a usage error).
    const result = await runProgram(["listen", "--no-tunnel", "--db", path.join(tempDir(), "bad.db"), ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
