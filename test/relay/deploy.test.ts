import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { relayEnv } from "./relay-helpers.js";

// `relay deploy` against a stand-in of Cloudflare's REST API on 127.0.0.1 (the real one needs the internet and an
// account): what it uploads is checked as Cloudflare reads it — the multipart form's metadata and module.

const API_TOKEN = "cf-api-token-not-real-0123456789";
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const WORKER = path.resolve(import.meta.dirname, "../../dist/worker/relay-worker.js");

interface Upload {
  metadata: {
    main_module: string;
    compatibility_date: string;
    compatibility_flags: string[];
    bindings: Array<Record<string, string>>;
    migrations?: { new_tag: string; new_sqlite_classes: string[] };
  };
  modules: Record<string, { type: string; text: string }>;
}

interface StandIn {
  base: string;
  calls: Array<{ method: string; path: string; authorization: string | undefined }>;
  uploads: Upload[];
  subdomainCalls: unknown[];
  close(): Promise<void>;
}

const servers: StandIn[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** Cloudflare's API as far as deploy uses it: accounts, the account's workers.dev subdomain, scripts, upload, route. */
async function startCloudflareStandIn(options: { accounts?: string[]; subdomain?: string | null; existing?: string[] } = {}): Promise<StandIn> {
  const calls: StandIn["calls"] = [];
  const uploads: Upload[] = [];
  const subdomainCalls: unknown[] = [];
  const scripts = new Map<string, { id: string; migration_tag?: string }>((options.existing ?? []).map((id) => [id, { id }]));
  const reply = (res: http.ServerResponse, status: number, result: unknown, errors: unknown[] = []) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ success: status < 400, errors, messages: [], result }));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "http://stand-in");
      const route = url.pathname.replace(/^\/client\/v4/, "");
      calls.push({ method: req.method ?? "", path: route, authorization: req.headers.authorization });
      if (req.headers.authorization !== `Bearer ${API_TOKEN}`) return reply(res, 403, null, [{ code: 10000, message: "Authentication error" }]);
      if (req.method === "GET" && route === "/accounts") return reply(res, 200, (options.accounts ?? [ACCOUNT]).map((id) => ({ id, name: "Test" })));
      const match = /^\/accounts\/([^/]+)\/workers\/(subdomain|scripts)(?:\/([^/]+)(\/subdomain)?)?$/.exec(route);
      if (match === null || match[1] !== ACCOUNT) return reply(res, 404, null, [{ code: 7003, message: "Could not route" }]);
      if (match[2] === "subdomain") {
        if (options.subdomain === null) return reply(res, 404, null, [{ code: 10007, message: "no subdomain" }]);
        return reply(res, 200, { subdomain: options.subdomain ?? "you" });
      }
      const name = match[3];
      if (name === undefined) return reply(res, 200, [...scripts.values()]);
      if (match[4] === "/subdomain") {
        subdomainCalls.push(JSON.parse(body.toString("utf8")));
        return reply(res, 200, { enabled: true });
      }
      // The upload, read as a multipart form the way Cloudflare reads it.
      const form = await new Request("http://stand-in/", { method: "PUT", headers: { "content-type": req.headers["content-type"] ?? "" }, body }).formData();
      const metadata = JSON.parse(await (form.get("metadata") as Blob).text()) as Upload["metadata"];
      const modules: Upload["modules"] = {};
      for (const [key, value] of form.entries()) {
        if (key !== "metadata" && typeof value !== "string") modules[key] = { type: value.type, text: await value.text() };
      }
      uploads.push({ metadata, modules });
      const previous = scripts.get(name);
      scripts.set(name, { id: name, migration_tag: metadata.migrations?.new_tag ?? previous?.migration_tag });
      return reply(res, 200, { id: name });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const standIn: StandIn = {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`,
    calls,
    uploads,
    subdomainCalls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  servers.push(standIn);
  return standIn;
}

describe("relay deploy", { timeout: 120_000 }, () => {
  it("uploads the worker module with both Durable Object bindings, a new_sqlite_classes migration and the admin token's hash, enables workers.dev, and keeps the admin token in the user's config (0600)", async () => {
    const api = await startCloudflareStandIn({ subdomain: "acme" });
    const env = { ...relayEnv(), HOOKTAPE_CLOUDFLARE_API_BASE: api.base, CLOUDFLARE_API_TOKEN: API_TOKEN };
    const result = await runCli(["--json", "relay", "deploy"], { env });
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ url: "https://hooktape-relay.acme.workers.dev", name: "hooktape-relay", account: ACCOUNT, migrated: true });

    expect(api.uploads).toHaveLength(1);
    const upload = api.uploads[0]!;
    expect(upload.metadata.main_module).toBe("relay-worker.js");
    expect(upload.modules["relay-worker.js"]).toEqual({ type: "application/javascript+module", text: readFileSync(WORKER, "utf8") });
    expect(upload.metadata.compatibility_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(upload.metadata.compatibility_flags).toEqual(["no_web_socket_compression"]);
    expect(upload.metadata.bindings).toEqual(
      expect.arrayContaining([
        { type: "durable_object_namespace", name: "CHANNELS", class_name: "RelayChannel" },
        { type: "durable_object_namespace", name: "DIRECTORY", class_name: "RelayDirectory" },
        { type: "plain_text", name: "TRUST_CF_HEADERS", text: "1" },
      ]),
    );
    expect(upload.metadata.migrations).toEqual({ new_tag: "hooktape-relay-v1", new_sqlite_classes: ["RelayChannel", "RelayDirectory"] });
    expect(api.subdomainCalls).toEqual([{ enabled: true, previews_enabled: false }]);
    // The account came from the token's one account; every call carried the token, in a header.
    expect(api.calls.every((call) => call.authorization === `Bearer ${API_TOKEN}`)).toBe(true);

    // The admin token stays on this machine: the worker holds its SHA-256 only.
    const file = path.join(env.XDG_CONFIG_HOME!, "hooktape", "relays.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, "utf8")) as { relays: Array<{ url: string; adminToken: string }> };
    const entry = saved.relays.find((relay) => relay.url === "https://hooktape-relay.acme.workers.dev")!;
    const hashBinding = upload.metadata.bindings.find((binding) => binding.name === "ADMIN_TOKEN_SHA256")!;
    expect(hashBinding.text).toBe(createHash("sha256").update(entry.adminToken).digest("hex"));
    expect(JSON.stringify(upload)).not.toContain(entry.adminToken);
    expect(JSON.stringify(upload)).not.toContain(API_TOKEN);

    // A second deploy updates the code with the same admin token and no second migration.
    const again = await runCli(["--json", "relay", "deploy"], { env: { ...env, CLOUDFLARE_ACCOUNT_ID: ACCOUNT } });
    expect(again.code).toBe(0);
    expect(api.uploads[1]!.metadata.migrations).toBeUndefined();
    expect(api.uploads[1]!.metadata.bindings.find((binding) => binding.name === "ADMIN_TOKEN_SHA256")!.text).toBe(hashBinding.text);
  });

  it("refuses without a token (exit 2, one line), when Cloudflare refuses the token, and never overwrites someone else's worker", async () => {
    const api = await startCloudflareStandIn({ existing: ["their-worker"] });
    const env = { ...relayEnv(), HOOKTAPE_CLOUDFLARE_API_BASE: api.base, CLOUDFLARE_API_TOKEN: "" };
    const none = await runCli(["relay", "deploy"], { env });
    expect([none.code, none.stderr.trim().split("\n")]).toEqual([2, [expect.stringMatching(/needs a Cloudflare API token/)]]);
    expect(api.calls).toHaveLength(0);

    const refused = await runCli(["relay", "deploy"], { env: { ...env, CLOUDFLARE_API_TOKEN: "wrong-token" } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refused the API token \(403/);

    const taken = await runCli(["relay", "deploy", "--name", "their-worker"], { env: { ...env, CLOUDFLARE_API_TOKEN: API_TOKEN } });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/already exists on this account and is not a hooktape relay/);
    const badName = await runCli(["relay", "deploy", "--name", "Not_A_Name"], { env: { ...env, CLOUDFLARE_API_TOKEN: API_TOKEN } });
    expect(badName.code).toBe(2);
    expect(api.uploads).toHaveLength(0);
  });

  it("says how to get a workers.dev subdomain when the account has none (exit 3)", async () => {
    const api = await startCloudflareStandIn({ subdomain: null });
    const result = await runCli(["relay", "deploy"], { env: { ...relayEnv(), HOOKTAPE_CLOUDFLARE_API_BASE: api.base, CLOUDFLARE_API_TOKEN: API_TOKEN } });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no workers\.dev subdomain yet/);
    expect(api.uploads).toHaveLength(0);
  });
});
