import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { withoutSecrets } from "../core/child-env.js";
import { badInput } from "../core/errors.js";
import { trimTrailingSlashes } from "../core/text.js";
import type { SecretBook } from "../secrets/secret-book.js";
import { ApiRefusedError, ApiUnreachableError } from "./api-client.js";
import {
  GITHUB_RUN_PARAM,
  createGithubHook,
  deleteGithubHook,
  describeScope,
  listGithubHooks,
  type GithubApiOptions,
  type GithubScope,
} from "./github.js";
import { isQuickTunnelHost, machineTag, newRunId, parseRunId, processIsAlive, runMayBeAlive, type RunId } from "./run-id.js";
import {
  STRIPE_RUN_KEY,
  createStripeEndpoint,
  deleteStripeEndpoint,
  listStripeEndpoints,
  stripeKeyMode,
  type StripeApiOptions,
} from "./stripe.js";

export type RegisterTarget = { provider: "stripe" } | { provider: "github"; scope: GithubScope };

/** `stripe`, `github:<owner>/<repo>`, `github:org:<org>`. */
export function parseRegisterTarget(text: string): RegisterTarget {
  if (text === "stripe") return { provider: "stripe" };
  const org = /^github:org:([A-Za-z0-9][A-Za-z0-9-]*)$/.exec(text);
  if (org) return { provider: "github", scope: { kind: "org", org: org[1] as string } };
  const repo = /^github:([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)$/.exec(text);
  if (repo) return { provider: "github", scope: { kind: "repo", owner: repo[1] as string, repo: repo[2] as string } };
  throw badInput(`Invalid --register "${text}": expected stripe, github:<owner>/<repo> or github:org:<org>, e.g. --register github:acme/shop`);
}

/** The target as the user wrote it: `stripe`, `github:acme/shop`, `github:org:acme`. */
export function registerLabel(target: RegisterTarget): string {
  if (target.provider === "stripe") return "stripe";
  return target.scope.kind === "repo" ? `github:${target.scope.owner}/${target.scope.repo}` : `github:org:${target.scope.org}`;
}

/** `--events a,b` → ["a","b"]; default every event (`*`, which both Stripe and GitHub accept). */
export function parseEvents(text: string | undefined): string[] {
  if (text === undefined) return ["*"];
  const events = text.split(",").map((item) => item.trim()).filter((item) => item !== "");
  if (events.length === 0) throw badInput(`Invalid --events "${text}": expected a comma-separated list, e.g. --events push,pull_request`);
  return events;
}

/** The URL the provider calls: the public URL with `--path` (and, for GitHub, the run marker) added. */
export function endpointUrl(publicUrl: string, path: string | undefined, marker?: { name: string; value: string }): string {
  const url = new URL(publicUrl);
  if (path) {
    const [pathname, query] = path.split("?", 2) as [string, string | undefined];
    url.pathname = `${trimTrailingSlashes(url.pathname)}/${pathname.replace(/^\/+/, "")}`;
    if (query) url.search = query;
  }
  if (marker) url.searchParams.set(marker.name, marker.value);
  return url.href;
}

export type RegistrationNotice =
  | { type: "registered"; provider: string; endpoint: string; url: string }
  | { type: "unregistered"; provider: string; endpoint: string; url: string }
  | { type: "info"; message: string }
  | { type: "warning"; message: string };

export interface Registration {
  provider: "stripe" | "github";
  endpoint: string;
  url: string;
  /** The signing secret, for the verifier (memory only: never stored, logged or passed to a child). */
  secret: { providerId: "stripe" | "github"; value: string };
  /** Deletes the endpoint; safe to call more than once (one deletion, one notice). */
  remove(): Promise<void>;
}

export interface RegisterOptions {
  publicUrl: string;
  path?: string | undefined;
  events: readonly string[];
  env: NodeJS.ProcessEnv;
  /** `--allow-live`: register with a Stripe live-mode key. */
  allowLive?: boolean;
  /** The command's secrets: a GitHub secret given there is the one the hook is created with. */
  secrets?: Pick<SecretBook, "signing">;
  notify(notice: RegistrationNotice): void;
  runId?: RunId;
  /** Where `gh auth token` comes from; injectable for tests. */
  githubTokenFromCli?: () => Promise<string | null>;
  isAlive?: (pid: number) => boolean;
  userAgent?: string;
  /**
   * An endpoint kept beyond this run (a relay channel's, deleted by `relay channel delete`): no run marker on it, and
   * no cleaning up of other endpoints, which may be other channels' on the same relay.
   */
  persistent?: boolean;
}

/**
 * Creates the provider's endpoint for this run, after deleting what crashed runs left behind. Fails softly: any
 * problem (no key, a refused key, the API unreachable) is one warning that says what to fix, and null.
 */
export async function registerEndpoint(target: RegisterTarget, options: RegisterOptions): Promise<Registration | null> {
  const label = registerLabel(target);
  try {
    return target.provider === "stripe" ? await registerStripe(options) : await registerGithub(target.scope, options);
  } catch (error) {
    if (error instanceof ApiRefusedError || error instanceof ApiUnreachableError) {
      let fix = "";
      if (error instanceof ApiUnreachableError) {
        const baseVariable = target.provider === "stripe" ? "HOOKTAPE_STRIPE_API_BASE" : "HOOKTAPE_GITHUB_API_BASE";
        fix = options.env[baseVariable] ? `; check ${baseVariable}` : "; check your internet connection";
      }
      options.notify({ type: "warning", message: `--register ${label}: ${error.message}${fix}; capturing without registration` });
      return null;
    }
    throw error;
  }
}

function liveness(options: RegisterOptions) {
  return { machine: machineTag(), isAlive: options.isAlive ?? processIsAlive };
}

/** Marked by a hooktape run that is over, on a quick-tunnel host (dead with its run) or this run's own host. */
function isLeftover(url: string, marker: string | undefined, publicUrl: string, options: RegisterOptions): boolean {
  if (!marker) return false;
  const run = parseRunId(marker);
  if (!run || runMayBeAlive(run, liveness(options))) return false;
  return isQuickTunnelHost(url) || sameHost(url, publicUrl);
}

function sameHost(a: string, b: string): boolean {
  try {
    return new URL(a).host === new URL(b).host;
  } catch {
    return false;
  }
}

function once(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => (running ??= work());
}

async function registerStripe(options: RegisterOptions): Promise<Registration | null> {
  const apiKey = options.env.STRIPE_API_KEY;
  if (!apiKey) {
    options.notify({
      type: "warning",
      message: "--register stripe: STRIPE_API_KEY is not set; set it to a test-mode secret key (sk_test_…, Dashboard → Developers → API keys); capturing without registration",
    });
    return null;
  }
  const mode = stripeKeyMode(apiKey);
  if (mode === "live" && !options.allowLive) {
    options.notify({
      type: "warning",
      message: "--register stripe: STRIPE_API_KEY is a live-mode key; hooktape registers with test-mode keys (sk_test_…, rk_test_…) unless you pass --allow-live; capturing without registration",
    });
    return null;
  }
  if (mode === "unknown") {
    options.notify({
      type: "warning",
      message: "--register stripe: STRIPE_API_KEY does not look like a Stripe secret key (sk_test_… or rk_test_…); capturing without registration",
    });
    return null;
  }
  const api: StripeApiOptions = { apiKey, base: options.env.HOOKTAPE_STRIPE_API_BASE || undefined, userAgent: options.userAgent };
  const runId = options.runId ?? newRunId();

  const leftovers = options.persistent
    ? []
    : (await listStripeEndpoints(api)).filter((endpoint) => isLeftover(endpoint.url, endpoint.metadata?.[STRIPE_RUN_KEY], options.publicUrl, options));
  await cleanUp(
    leftovers.map((endpoint) => endpoint.id),
    (id) => deleteStripeEndpoint(api, id),
    "Stripe webhook endpoint",
    options,
  );

  const url = endpointUrl(options.publicUrl, options.path);
  const created = await createStripeEndpoint(api, { url, events: options.events, runId: runId.text });
  options.notify({ type: "registered", provider: "stripe", endpoint: created.id, url: created.url || url });
  return {
    provider: "stripe",
    endpoint: created.id,
    url: created.url || url,
    secret: { providerId: "stripe", value: created.secret },
    remove: once(() => removeWith(() => deleteStripeEndpoint(api, created.id), "stripe", "stripe", created.id, created.url || url, options)),
  };
}

async function registerGithub(scope: GithubScope, options: RegisterOptions): Promise<Registration | null> {
  const label = registerLabel({ provider: "github", scope });
  const token = options.env.GITHUB_TOKEN || (await (options.githubTokenFromCli ?? githubTokenFromCli)());
  if (!token) {
    options.notify({
      type: "warning",
      message: `--register ${label}: no GitHub token; set GITHUB_TOKEN (a token with the ${scope.kind === "repo" ? "admin:repo_hook" : "admin:org_hook"} scope) or run \`gh auth login\`; capturing without registration`,
    });
    return null;
  }
  const api: GithubApiOptions = { token, base: options.env.HOOKTAPE_GITHUB_API_BASE || undefined, userAgent: options.userAgent };
  const runId = options.runId ?? newRunId();

  const leftovers = options.persistent
    ? []
    : (await listGithubHooks(api, scope)).filter((hook) => {
        const url = hook.config?.url ?? "";
        return isLeftover(url, markerOf(url), options.publicUrl, options);
      });
  await cleanUp(
    leftovers.map((hook) => hook.id),
    (id) => deleteGithubHook(api, scope, id),
    `GitHub webhook on ${describeScope(scope)}`,
    options,
  );

  // A secret the user already gave for GitHub (--secret github=…, HOOKTAPE_SECRET_GITHUB, or an unnamed one with
  // --provider github) is the one their handler checks, so the hook is created with it; otherwise a fresh random one
  // that lives only in this process. An unnamed secret meant for another provider is never handed to GitHub.
  const secret = options.secrets?.signing("github")[0] ?? randomBytes(32).toString("hex");
  const url = endpointUrl(options.publicUrl, options.path, options.persistent ? undefined : { name: GITHUB_RUN_PARAM, value: runId.text });
  const created = await createGithubHook(api, scope, { url, events: options.events, secret });
  const endpoint = String(created.id);
  options.notify({ type: "registered", provider: "github", endpoint, url });
  return {
    provider: "github",
    endpoint,
    url,
    secret: { providerId: "github", value: secret },
    remove: once(() => removeWith(() => deleteGithubHook(api, scope, created.id), label, "github", endpoint, url, options)),
  };
}

function markerOf(url: string): string | undefined {
  try {
    return new URL(url).searchParams.get(GITHUB_RUN_PARAM) ?? undefined;
  } catch {
    return undefined;
  }
}

async function cleanUp<T extends string | number>(
  ids: T[],
  remove: (id: T) => Promise<void>,
  what: string,
  options: RegisterOptions,
): Promise<void> {
  if (ids.length === 0) return;
  const deleted: T[] = [];
  for (const id of ids) {
    try {
      await remove(id);
      deleted.push(id);
    } catch (error) {
      options.notify({ type: "warning", message: `could not delete ${what} ${id} left by an earlier run: ${(error as Error).message}` });
    }
  }
  if (deleted.length > 0) {
    options.notify({
      type: "info",
      message: `Deleted ${deleted.length} ${what}${deleted.length === 1 ? "" : "s"} left by an earlier hooktape run that did not stop cleanly: ${deleted.join(", ")}`,
    });
  }
}

async function removeWith(
  remove: () => Promise<void>,
  label: string,
  provider: string,
  endpoint: string,
  url: string,
  options: RegisterOptions,
): Promise<void> {
  try {
    await remove();
    options.notify({ type: "unregistered", provider, endpoint, url });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    options.notify({
      type: "warning",
      message: `could not delete the ${provider} endpoint ${endpoint} (${reason}); the next \`listen --register ${label}\` deletes it, or delete it in the ${provider === "stripe" ? "Stripe Dashboard" : "webhook settings on GitHub"}`,
    });
  }
}

/** `gh auth token`, when the GitHub CLI is installed and logged in; null otherwise. */
function githubTokenFromCli(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile("gh", ["auth", "token"], { timeout: 5000, env: withoutSecrets(process.env) }, (error, stdout) => {
      const token = String(stdout).trim();
      resolve(error || token === "" ? null : token);
    });
  });
}

/**
 * Deletes an endpoint a persistent registration made (a relay channel's), with the credentials of the environment
 * (STRIPE_API_KEY; GITHUB_TOKEN or `gh auth token`). Throws ApiRefusedError / ApiUnreachableError, or a bad-input
 * error when there is no credential to delete with.
 */
export async function removeEndpoint(target: RegisterTarget, endpoint: string, env: NodeJS.ProcessEnv, githubToken: () => Promise<string | null> = githubTokenFromCli): Promise<void> {
  if (target.provider === "stripe") {
    const apiKey = env.STRIPE_API_KEY;
    if (!apiKey) throw badInput(`STRIPE_API_KEY is not set: cannot delete Stripe webhook endpoint ${endpoint}`);
    await deleteStripeEndpoint({ apiKey, base: env.HOOKTAPE_STRIPE_API_BASE || undefined }, endpoint);
    return;
  }
  const token = env.GITHUB_TOKEN || (await githubToken());
  if (!token) throw badInput(`no GitHub token (GITHUB_TOKEN or \`gh auth login\`): cannot delete webhook ${endpoint} on ${describeScope(target.scope)}`);
  await deleteGithubHook({ token, base: env.HOOKTAPE_GITHUB_API_BASE || undefined }, target.scope, Number(endpoint));
}
