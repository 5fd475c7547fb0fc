import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createVerifier } from "../../src/providers/verification.js";
import { createSecretBook } from "../../src/secrets/secret-book.js";
import { buildCreateHookRequest, describeGithubError, nextPageUrl } from "../../src/register/github.js";
import { endpointUrl, parseEvents, parseRegisterTarget } from "../../src/register/register-endpoint.js";
import { newRunId, parseRunId, runMayBeAlive } from "../../src/register/run-id.js";
import { buildCreateEndpointRequest, describeStripeError, encodeStripeForm, stripeKeyMode } from "../../src/register/stripe.js";
import { parseCreatedTunnel, parseLoginUrl } from "../../src/tunnel/cloudflared-cli.js";
import { tunnelNameFor, validateHostname } from "../../src/tunnel/named-tunnels.js";
import { decodeStripeForm } from "./provider-apis.js";

const response = (status: number, json: unknown) => ({ status, headers: new Headers(), json, text: JSON.stringify(json) });

describe("Stripe requests", () => {
  it("encodes arrays and hashes the way Stripe reads them", () => {
    const body = encodeStripeForm({ url: "https://a.trycloudflare.com/x?y=1", enabled_events: ["charge.succeeded", "*"], metadata: { hooktape_run: "r 1" } });
    expect(body).toBe(
      "url=https%3A%2F%2Fa.trycloudflare.com%2Fx%3Fy%3D1&enabled_events%5B0%5D=charge.succeeded&enabled_events%5B1%5D=*&metadata%5Bhooktape_run%5D=r%201",
    );
    expect(decodeStripeForm(body)).toEqual({ url: "https://a.trycloudflare.com/x?y=1", enabled_events: ["charge.succeeded", "*"], metadata: { hooktape_run: "r 1" } });
  });

  it("create is a form POST with a bearer key, a pinned version and an idempotency key", () => {
    const request = buildCreateEndpointRequest({ apiKey: "sk_test_x", base: "http://127.0.0.1:1/" }, { url: "https://h/", events: ["*"], runId: "abc" });
    expect(request.method).toBe("POST");
    expect(request.url).toBe("http://127.0.0.1:1/v1/webhook_endpoints");
    expect(request.headers).toMatchObject({ Authorization: "Bearer sk_test_x", "Content-Type": "application/x-www-form-urlencoded" });
    expect(request.headers["Stripe-Version"]).toMatch(/^\d{4}-\d\d-\d\d\.\w+$/);
    expect(request.headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("tells test keys from live ones", () => {
    expect(["sk_test_1", "rk_test_1", "sk_live_1", "rk_live_1", "pk_test_1", "whsec_1"].map(stripeKeyMode)).toEqual(["test", "test", "live", "live", "unknown", "unknown"]);
  });

  it("shows an error object as one line", () => {
    expect(describeStripeError(response(400, { error: { type: "invalid_request_error", code: "url_invalid", message: "Invalid URL:\n  must be https" } }))).toBe(
      "400 invalid_request_error/url_invalid: Invalid URL: must be https",
    );
    expect(describeStripeError({ status: 502, headers: new Headers(), json: null, text: "<html>\nBad gateway</html>" })).toBe("HTTP 502: <html> Bad gateway</html>");
  });
});

describe("GitHub requests", () => {
  it("create sends a json-content hook with the secret and the API version header", () => {
    const request = buildCreateHookRequest({ token: "t" }, { kind: "org", org: "acme" }, { url: "https://h/?hooktape_run=x", events: ["*"], secret: "s" });
    expect(request.url).toBe("https://api.github.com/orgs/acme/hooks");
    expect(JSON.parse(request.body ?? "")).toEqual({ name: "web", active: true, events: ["*"], config: { url: "https://h/?hooktape_run=x", content_type: "json", secret: "s", insecure_ssl: "0" } });
    expect(request.headers).toMatchObject({ Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28", Authorization: "Bearer t" });
  });

  it("follows rel=next in Link, and reads validation errors into one line", () => {
    expect(nextPageUrl('<https://api.github.com/repositories/1/hooks?page=2>; rel="next", <https://api.github.com/repositories/1/hooks?page=5>; rel="last"')).toBe(
      "https://api.github.com/repositories/1/hooks?page=2",
    );
    expect(nextPageUrl('<https://x/?page=1>; rel="prev"')).toBeNull();
    expect(nextPageUrl(null)).toBeNull();
    expect(describeGithubError(response(422, { message: "Validation Failed", errors: [{ resource: "Hook", code: "custom", message: "Hook already exists on this repository" }] }))).toBe(
      "422: Validation Failed (Hook already exists on this repository)",
    );
  });
});

describe("--register, --events, --path", () => {
  it("parses the provider and scope", () => {
    expect(parseRegisterTarget("stripe")).toEqual({ provider: "stripe" });
    expect(parseRegisterTarget("github:acme/shop.js")).toEqual({ provider: "github", scope: { kind: "repo", owner: "acme", repo: "shop.js" } });
    expect(parseRegisterTarget("github:org:acme-inc")).toEqual({ provider: "github", scope: { kind: "org", org: "acme-inc" } });
    for (const bad of ["github", "github:", "github:acme", "github:a/b/c", "gitlab:a/b", "Stripe"]) expect(() => parseRegisterTarget(bad)).toThrow(/Invalid --register/);
    expect(parseEvents(undefined)).toEqual(["*"]);
    expect(parseEvents(" push, pull_request ,")).toEqual(["push", "pull_request"]);
  });

  it("joins the public URL, the path and the marker", () => {
    expect(endpointUrl("https://a.trycloudflare.com", undefined)).toBe("https://a.trycloudflare.com/");
    expect(endpointUrl("https://a.trycloudflare.com", "webhooks/stripe")).toBe("https://a.trycloudflare.com/webhooks/stripe");
    expect(endpointUrl("https://a.trycloudflare.com/", "/gh?x=1", { name: "hooktape_run", value: "r" })).toBe("https://a.trycloudflare.com/gh?x=1&hooktape_run=r");
  });

  it("a run id tells a dead run on this machine from a live one or another machine's", () => {
    const run = newRunId(4242, "0123abcd");
    expect(parseRunId(run.text)).toEqual(run);
    expect(parseRunId("someone-else")).toBeNull();
    const here = (alive: boolean) => ({ machine: "0123abcd", isAlive: () => alive });
    expect(runMayBeAlive(run, here(false))).toBe(false);
    expect(runMayBeAlive(run, here(true))).toBe(true);
    expect(runMayBeAlive(run, { machine: "ffffffff", isAlive: () => false })).toBe(true);
  });
});

describe("secrets learned at run time", () => {
  it("the verifier uses a secret added after it was built, along with the configured ones", () => {
    const secrets = createSecretBook({ flagValues: [], env: {} });
    const verify = createVerifier({ secretsOf: (id) => secrets.verifying(id) });
    const body = '{\n  "id": "evt_1"\n}';
    const t = 1_800_000_000;
    const request = {
      method: "POST",
      url: "/",
      headers: [["Stripe-Signature", `t=${t},v1=${createHmac("sha256", "whsec_learned").update(`${t}.${body}`).digest("hex")}`]] as Array<[string, string]>,
      body: Buffer.from(body),
    };
    expect(verify(request, { nowSec: t }).verification.status).toBe("unverified");
    secrets.learn("stripe", "whsec_learned");
    expect(verify(request, { nowSec: t }).verification.status).toBe("valid");
  });
});

describe("cloudflared output and hostnames", () => {
  it("reads the tunnel id and credentials path from `tunnel create`, and the login URL", () => {
    const lines = [
      "Tunnel credentials written to /home/me/.cloudflared/6ff42ae2-765d-4adf-8112-31c55c1551ef.json. cloudflared chose this file based on where your origin certificate was found. Keep this file secret. To revoke these credentials, delete the tunnel.",
      "",
      "Created tunnel hooktape-hooks-example-com with id 6ff42ae2-765d-4adf-8112-31c55c1551ef",
    ];
    expect(parseCreatedTunnel(lines)).toEqual({
      name: "hooktape-hooks-example-com",
      id: "6ff42ae2-765d-4adf-8112-31c55c1551ef",
      credentialsFile: "/home/me/.cloudflared/6ff42ae2-765d-4adf-8112-31c55c1551ef.json",
    });
    expect(parseCreatedTunnel(["failed to create tunnel: Create Tunnel API call failed: tunnel with name already exists"])).toBeNull();
    expect(parseLoginUrl("https://dash.cloudflare.com/argotunnel?aud=&callback=https%3A%2F%2Flogin")).toBe("https://dash.cloudflare.com/argotunnel?aud=&callback=https%3A%2F%2Flogin");
    expect(parseLoginUrl("Leave cloudflared running to download the cert automatically.")).toBeNull();
  });

  it("accepts DNS hostnames only", () => {
    expect(validateHostname("Hooks.Example.com")).toBe("hooks.example.com");
    expect(validateHostname("https://hooks.example.com/")).toBe("hooks.example.com");
    for (const bad of ["localhost", "a b.com", "-a.example.com", "a..com", ""]) expect(() => validateHostname(bad)).toThrow(/Invalid hostname/);
    expect(tunnelNameFor("hooks.example.com")).toBe("hooktape-hooks-example-com");
  });
});
