// Local stand-ins for the Stripe and GitHub REST APIs on 127.0.0.1. They stand in for the NETWORK: hooktape's real
// registration client runs against them unchanged (through HOOKTAPE_STRIPE_API_BASE / HOOKTAPE_GITHUB_API_BASE).
// Request and response shapes follow the providers' API references:
//   https://docs.stripe.com/api/webhook_endpoints (form-encoded bodies, list objects, error objects)
//   https://docs.github.com/en/rest/repos/webhooks, /rest/orgs/webhooks (JSON, Link pagination, error bodies)
// Each records every request it was asked, so tests assert what hooktape sent.
import { randomBytes } from "node:crypto";
import http from "node:http";
import { serveOnLoopback } from "../helpers/target-server.js";

export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Running {
  url: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

async function serve(handle: (call: RecordedCall, res: http.ServerResponse) => void): Promise<Running> {
  const calls: RecordedCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const call = { method: req.method ?? "", path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      calls.push(call);
      handle(call, res);
    });
  });
  const { url, close } = await serveOnLoopback(server);
  return { url, calls, close };
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

// ---- Stripe ---------------------------------------------------------------------------------

export interface StripeEndpointRecord {
  id: string;
  object: "webhook_endpoint";
  api_version: string | null;
  application: string | null;
  created: number;
  description: string | null;
  enabled_events: string[];
  livemode: boolean;
  metadata: Record<string, string>;
  secret: string;
  status: "enabled" | "disabled";
  url: string;
}

export interface StripeStandIn extends Running {
  endpoints: StripeEndpointRecord[];
  /** Adds an endpoint as if made earlier (by a crashed run, by the dashboard). */
  seed(endpoint: Partial<StripeEndpointRecord> & { url: string }): StripeEndpointRecord;
  /** Answer every request with this error (status, Stripe error object) until cleared. */
  failWith(failure: { status: number; error: Record<string, string> } | null): void;
}

/** `enabled_events[0]=a&metadata[k]=v` back into arrays and hashes, as Stripe reads them. */
export function decodeStripeForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const nested = /^([^[]+)\[([^\]]*)\]$/.exec(key);
    if (!nested) {
      out[key] = value;
      continue;
    }
    const [, name, inner] = nested as unknown as [string, string, string];
    if (/^\d*$/.test(inner)) ((out[name] ??= []) as string[]).push(value);
    else ((out[name] ??= {}) as Record<string, string>)[inner] = value;
  }
  return out;
}

export async function startStripeStandIn(options: { keys: string[]; pageSize?: number; deleteDelayMs?: number }): Promise<StripeStandIn> {
  const endpoints: StripeEndpointRecord[] = [];
  let failure: { status: number; error: Record<string, string> } | null = null;
  const make = (fields: Partial<StripeEndpointRecord> & { url: string }): StripeEndpointRecord => ({
    id: `we_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`,
    object: "webhook_endpoint",
    api_version: null,
    application: null,
    created: Math.floor(Date.now() / 1000),
    description: null,
    enabled_events: ["*"],
    livemode: false,
    metadata: {},
    secret: `whsec_${randomBytes(24).toString("base64url").replace(/[-_]/g, "x")}`,
    status: "enabled",
    ...fields,
  });
  const withoutSecret = (endpoint: StripeEndpointRecord) => {
    const { secret: _secret, ...rest } = endpoint;
    return rest;
  };
  const running = await serve((call, res) => {
    if (failure) return json(res, failure.status, { error: failure.error });
    const auth = call.headers.authorization ?? "";
    if (!auth.startsWith("Bearer ")) {
      return json(res, 401, { error: { message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').", type: "invalid_request_error" } });
    }
    const key = auth.slice(7);
    if (!options.keys.includes(key)) {
      return json(res, 401, { error: { message: `Invalid API Key provided: ${key.slice(0, 8)}${"*".repeat(12)}${key.slice(-4)}`, type: "invalid_request_error" } });
    }
    if (call.method === "POST" && call.path === "/v1/webhook_endpoints") {
      const form = decodeStripeForm(call.body);
      if (typeof form.url !== "string") {
        return json(res, 400, { error: { code: "parameter_missing", message: "Missing required param: url.", param: "url", type: "invalid_request_error" } });
      }
      if (!Array.isArray(form.enabled_events)) {
        return json(res, 400, { error: { code: "parameter_missing", message: "Missing required param: enabled_events.", param: "enabled_events", type: "invalid_request_error" } });
      }
      const endpoint = make({
        url: form.url,
        enabled_events: form.enabled_events as string[],
        description: typeof form.description === "string" ? form.description : null,
        metadata: (form.metadata as Record<string, string>) ?? {},
        livemode: key.includes("_live_"),
      });
      endpoints.push(endpoint);
      return json(res, 200, endpoint); // the only answer that carries the secret
    }
    if (call.method === "GET" && call.path === "/v1/webhook_endpoints") {
      // Newest first, as Stripe lists; `starting_after` continues after that id.
      const ordered = [...endpoints].reverse();
      const after = call.query.get("starting_after");
      const start = after ? ordered.findIndex((item) => item.id === after) + 1 : 0;
      const limit = Math.min(Number(call.query.get("limit") ?? "10"), options.pageSize ?? 100);
      const page = ordered.slice(start, start + limit);
      return json(res, 200, { object: "list", data: page.map(withoutSecret), has_more: start + limit < ordered.length, url: "/v1/webhook_endpoints" });
    }
    const one = /^\/v1\/webhook_endpoints\/([^/]+)$/.exec(call.path);
    if (call.method === "DELETE" && one) {
      const index = endpoints.findIndex((item) => item.id === one[1]);
      if (index < 0) {
        return json(res, 404, { error: { code: "resource_missing", message: `No such webhook endpoint: '${one[1]}'`, param: "id", type: "invalid_request_error" } });
      }
      endpoints.splice(index, 1);
      const answer = () => json(res, 200, { id: one[1], object: "webhook_endpoint", deleted: true });
      if (options.deleteDelayMs) setTimeout(answer, options.deleteDelayMs);
      else answer();
      return;
    }
    return json(res, 404, { error: { message: `Unrecognized request URL (${call.method}: ${call.path}).`, type: "invalid_request_error" } });
  });
  return {
    ...running,
    endpoints,
    seed: (fields) => {
      const endpoint = make(fields);
      endpoints.push(endpoint);
      return endpoint;
    },
    failWith: (next) => {
      failure = next;
    },
  };
}

// ---- GitHub ---------------------------------------------------------------------------------

export interface GithubHookRecord {
  scope: string;
  id: number;
  events: string[];
  active: boolean;
  config: { url: string; content_type: string; insecure_ssl: string; secret?: string };
}

export interface GithubStandIn extends Running {
  hooks: GithubHookRecord[];
  seed(scope: string, config: { url: string; secret?: string }): GithubHookRecord;
}

/** `scopes`: "owner/repo" or "org:<org>" the token may administer. */
export async function startGithubStandIn(options: { tokens: string[]; scopes: string[]; pageSize?: number }): Promise<GithubStandIn> {
  const hooks: GithubHookRecord[] = [];
  let nextId = 490_000_001;
  let base = "";
  const view = (hook: GithubHookRecord) => {
    const path = hook.scope.startsWith("org:") ? `orgs/${hook.scope.slice(4)}` : `repos/${hook.scope}`;
    return {
      type: hook.scope.startsWith("org:") ? "Organization" : "Repository",
      id: hook.id,
      name: "web",
      active: hook.active,
      events: hook.events,
      // GitHub never shows a hook's secret back.
      config: { content_type: hook.config.content_type, insecure_ssl: hook.config.insecure_ssl, url: hook.config.url, ...(hook.config.secret ? { secret: "********" } : {}) },
      updated_at: "2026-12-01T10:00:00Z",
      created_at: "2026-12-01T10:00:00Z",
      url: `${base}/${path}/hooks/${hook.id}`,
      ping_url: `${base}/${path}/hooks/${hook.id}/pings`,
      deliveries_url: `${base}/${path}/hooks/${hook.id}/deliveries`,
      last_response: { code: null, status: "unused", message: null },
    };
  };
  const running = await serve((call, res) => {
    const auth = call.headers.authorization ?? "";
    const token = auth.replace(/^(Bearer|token) /, "");
    if (!options.tokens.includes(token)) return json(res, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
    const match = /^\/(?:repos\/([^/]+\/[^/]+)|orgs\/([^/]+))\/hooks(?:\/(\d+))?$/.exec(call.path);
    const scope = match ? (match[1] ?? `org:${match[2]}`) : null;
    if (!match || !scope || !options.scopes.includes(scope)) {
      return json(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest/repos/webhooks#list-repository-webhooks", status: "404" });
    }
    const id = match[3] ? Number(match[3]) : null;
    if (call.method === "POST" && id === null) {
      const body = JSON.parse(call.body || "{}") as { name?: string; events?: string[]; active?: boolean; config?: Record<string, string> };
      if (!body.config?.url) {
        return json(res, 422, {
          message: "Validation Failed",
          errors: [{ resource: "Hook", code: "custom", message: "Config must contain URL for webhooks" }],
          documentation_url: "https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook",
          status: "422",
        });
      }
      const hook: GithubHookRecord = {
        scope,
        id: nextId++,
        events: body.events ?? ["push"],
        active: body.active ?? true,
        config: { url: body.config.url, content_type: body.config.content_type ?? "form", insecure_ssl: body.config.insecure_ssl ?? "0", secret: body.config.secret },
      };
      hooks.push(hook);
      return json(res, 201, view(hook));
    }
    if (call.method === "GET" && id === null) {
      const mine = hooks.filter((hook) => hook.scope === scope);
      const perPage = Math.min(Number(call.query.get("per_page") ?? "30"), options.pageSize ?? 100);
      const page = Number(call.query.get("page") ?? "1");
      const slice = mine.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < mine.length) {
        const next = new URL(`${base}${call.path}`);
        next.searchParams.set("per_page", String(perPage));
        next.searchParams.set("page", String(page + 1));
        headers.link = `<${next.href}>; rel="next"`;
      }
      return json(res, 200, slice.map(view), headers);
    }
    if (call.method === "DELETE" && id !== null) {
      const index = hooks.findIndex((hook) => hook.scope === scope && hook.id === id);
      if (index < 0) return json(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest/repos/webhooks#delete-a-repository-webhook", status: "404" });
      hooks.splice(index, 1);
      res.writeHead(204);
      res.end();
      return;
    }
    return json(res, 404, { message: "Not Found", status: "404" });
  });
  base = running.url;
  return {
    ...running,
    hooks,
    seed: (scope, config) => {
      const hook: GithubHookRecord = { scope, id: nextId++, events: ["*"], active: true, config: { url: config.url, content_type: "json", insecure_ssl: "0", secret: config.secret } };
      hooks.push(hook);
      return hook;
    },
  };
}
