import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { FormData, fetch } from "undici";
import { HooktapeError } from "../core/errors.js";
import { trimTrailingSlashes } from "../core/text.js";
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS, DURABLE_OBJECT_CLASSES, WORKER_SCRIPT } from "./serve-relay.js";

/** Cloudflare's REST API (`HOOKTAPE_CLOUDFLARE_API_BASE` points tests at a stand-in). */
export const CLOUDFLARE_API_BASE = "https://api.cloudflare.com/client/v4";

/** The Durable Object migration that creates both classes with SQLite storage, once per worker. */
export const MIGRATION_TAG = "hooktape-relay-v1";

export interface DeployOptions {
  apiToken: string;
  /** CLOUDFLARE_ACCOUNT_ID; when absent, the token's one account. */
  accountId?: string | undefined;
  name: string;
  apiBase?: string | undefined;
  /** The admin token the relay will accept, for the account and worker this deploy finds (only its hash is uploaded). */
  adminTokenFor: (key: { account: string; name: string }, url: string) => string;
  info?: (message: string) => void;
}

export interface Deployed {
  url: string;
  name: string;
  account: string;
  /** Whether this upload created the Durable Object classes (the first deploy of this worker). */
  migrated: boolean;
}

const WORKER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Uploads the relay's worker with its two Durable Object classes (SQLite storage, created by a `new_sqlite_classes`
 * migration on the first deploy) and the admin token's hash, then enables its workers.dev route. Only Cloudflare's
 * REST API, with the user's API token: nothing to install, nothing run as a child process.
 */
export async function deployRelay(options: DeployOptions): Promise<Deployed> {
  if (!WORKER_NAME.test(options.name)) {
    throw new HooktapeError("bad_input", `Invalid --name "${options.name}": lower-case letters, digits and hyphens, at most 63, e.g. hooktape-relay`);
  }
  const api = new CloudflareApi(trimTrailingSlashes(options.apiBase || CLOUDFLARE_API_BASE), options.apiToken);
  const account = options.accountId || (await api.onlyAccount());
  const subdomain = await api.call<{ subdomain?: string }>("GET", `/accounts/${account}/workers/subdomain`, undefined, {
    404: "this account has no workers.dev subdomain yet; choose one in the Cloudflare dashboard (Workers & Pages), then deploy again",
  });
  if (!subdomain.subdomain) throw new HooktapeError("environment", "this account has no workers.dev subdomain yet; choose one in the Cloudflare dashboard (Workers & Pages), then deploy again");
  const url = `https://${options.name}.${subdomain.subdomain}.workers.dev`;
  const scripts = await api.call<Array<{ id: string; migration_tag?: string }>>("GET", `/accounts/${account}/workers/scripts`);
  const existing = scripts.find((script) => script.id === options.name);
  // A worker of that name that this migration did not make is someone else's: never overwritten.
  if (existing !== undefined && existing.migration_tag !== MIGRATION_TAG) {
    throw new HooktapeError("bad_input", `A worker named ${options.name} already exists on this account and is not a hooktape relay; pass another --name`);
  }
  const migrated = existing === undefined;

  const adminToken = options.adminTokenFor({ account, name: options.name }, url);
  const metadata = {
    main_module: "relay-worker.js",
    compatibility_date: COMPATIBILITY_DATE,
    compatibility_flags: [...COMPATIBILITY_FLAGS],
    bindings: [
      ...DURABLE_OBJECT_CLASSES.map((item) => ({ type: "durable_object_namespace", name: item.binding, class_name: item.className })),
      { type: "secret_text", name: "ADMIN_TOKEN_SHA256", text: createHash("sha256").update(adminToken).digest("hex") },
      // On Cloudflare the edge sets CF-Connecting-IP; a sender cannot forge it.
      { type: "plain_text", name: "TRUST_CF_HEADERS", text: "1" },
    ],
    ...(migrated ? { migrations: { new_tag: MIGRATION_TAG, new_sqlite_classes: DURABLE_OBJECT_CLASSES.map((item) => item.className) } } : {}),
  };
  const form = new FormData();
  form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
  form.append("relay-worker.js", new Blob([readFileSync(WORKER_SCRIPT)], { type: "application/javascript+module" }), "relay-worker.js");
  options.info?.(`Uploading ${options.name} to account ${account}…`);
  await api.call("PUT", `/accounts/${account}/workers/scripts/${options.name}`, form);
  await api.call("POST", `/accounts/${account}/workers/scripts/${options.name}/subdomain`, { enabled: true, previews_enabled: false });
  return { url, name: options.name, account, migrated };
}

interface Envelope<T> {
  success?: boolean;
  errors?: Array<{ code?: number; message?: string }>;
  result?: T;
}

class CloudflareApi {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async onlyAccount(): Promise<string> {
    const accounts = await this.call<Array<{ id: string; name?: string }>>("GET", "/accounts");
    if (accounts.length === 1 && accounts[0] !== undefined) return accounts[0].id;
    if (accounts.length === 0) throw new HooktapeError("bad_input", "The API token sees no Cloudflare account; give it access to one, or set CLOUDFLARE_ACCOUNT_ID");
    throw new HooktapeError("bad_input", `The API token sees ${accounts.length} accounts (${accounts.map((account) => account.id).join(", ")}); set CLOUDFLARE_ACCOUNT_ID to one of them`);
  }

  async call<T>(method: string, path: string, body?: unknown, hints: Record<number, string> = {}): Promise<T> {
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined || body instanceof FormData ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new HooktapeError("unreachable", `Cannot reach Cloudflare's API at ${this.base} (${cause})`);
    }
    const text = await response.text();
    let envelope: Envelope<T> = {};
    try {
      envelope = JSON.parse(text) as Envelope<T>;
    } catch {
      // described below
    }
    if (response.ok && envelope.success !== false) return envelope.result as T;
    const said = envelope.errors?.map((error) => `${error.message ?? ""}${error.code ? ` (${error.code})` : ""}`).join("; ") || text.slice(0, 200);
    const hint = hints[response.status];
    if (response.status === 401 || response.status === 403) {
      throw new HooktapeError("bad_input", `Cloudflare refused the API token (${response.status}: ${said}); it needs Workers Scripts: Edit on the account (and Account Settings: Read without CLOUDFLARE_ACCOUNT_ID)`);
    }
    throw new HooktapeError("environment", `Cloudflare's API answered ${response.status} to ${method} ${path}: ${hint ?? said}`);
  }
}
