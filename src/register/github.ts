import { ApiRefusedError, callApi, oneLine, type ApiRequest, type ApiResponse } from "./api-client.js";
import { trimTrailingSlashes } from "../core/text.js";

/**
 * GitHub's repository and organization webhooks (https://docs.github.com/en/rest/repos/webhooks,
 * https://docs.github.com/en/rest/orgs/webhooks): JSON bodies, `Authorization: Bearer <token>`, the
 * `X-GitHub-Api-Version` header, page-number pagination announced in `Link`, errors as `{"message","errors"}`.
 * The hook's secret is never returned (the config shows `********`), so a run's hooks are marked by a query
 * parameter in their URL instead.
 */
export const GITHUB_API_BASE = "https://api.github.com";
export const GITHUB_API_VERSION = "2022-11-28";
/** The query parameter that marks a hook URL as one a hooktape run created. */
export const GITHUB_RUN_PARAM = "hooktape_run";

export type GithubScope = { kind: "repo"; owner: string; repo: string } | { kind: "org"; org: string };

export interface GithubHook {
  id: number;
  name: string;
  active: boolean;
  events: string[];
  config: { url?: string; content_type?: string; insecure_ssl?: string; secret?: string };
}

export interface GithubApiOptions {
  token: string;
  base?: string | undefined;
  userAgent?: string;
}

export function describeScope(scope: GithubScope): string {
  return scope.kind === "repo" ? `${scope.owner}/${scope.repo}` : `org ${scope.org}`;
}

function hooksPath(scope: GithubScope): string {
  return scope.kind === "repo"
    ? `/repos/${encodeURIComponent(scope.owner)}/${encodeURIComponent(scope.repo)}/hooks`
    : `/orgs/${encodeURIComponent(scope.org)}/hooks`;
}

function headers(options: GithubApiOptions, extra: Record<string, string> = {}): Record<string, string> {
  return {
    Accept: "application/vnd.github+json",
    Authorization: `Bearer ${options.token}`,
    "X-GitHub-Api-Version": GITHUB_API_VERSION,
    // GitHub rejects requests without a User-Agent.
    "User-Agent": options.userAgent ?? "hooktape",
    ...extra,
  };
}

function apiUrl(options: GithubApiOptions, path: string): string {
  return `${trimTrailingSlashes(options.base ?? GITHUB_API_BASE)}${path}`;
}

export function buildCreateHookRequest(
  options: GithubApiOptions,
  scope: GithubScope,
  hook: { url: string; events: readonly string[]; secret: string },
): ApiRequest {
  return {
    method: "POST",
    url: apiUrl(options, hooksPath(scope)),
    headers: headers(options, { "Content-Type": "application/json" }),
    body: JSON.stringify({
      name: "web",
      active: true,
      events: hook.events,
      config: { url: hook.url, content_type: "json", secret: hook.secret, insecure_ssl: "0" },
    }),
  };
}

export function buildListHooksRequest(options: GithubApiOptions, scope: GithubScope): ApiRequest {
  return { method: "GET", url: apiUrl(options, `${hooksPath(scope)}?per_page=100`), headers: headers(options) };
}

export function buildDeleteHookRequest(options: GithubApiOptions, scope: GithubScope, id: number): ApiRequest {
  return { method: "DELETE", url: apiUrl(options, `${hooksPath(scope)}/${id}`), headers: headers(options) };
}

/** `Link: <…?page=2>; rel="next", <…>; rel="last"` → the next page's URL. */
export function nextPageUrl(link: string | null): string | null {
  if (!link) return null;
  // Read by position, not by a regex: the header comes from the network and may be long (no backtracking).
  for (const part of link.split(",")) {
    const open = part.indexOf("<");
    const close = part.indexOf(">", open + 1);
    if (open < 0 || close < 0) continue;
    const params = part.slice(close + 1).split(";").map((param) => param.trim().toLowerCase());
    if (params.includes('rel="next"') || params.includes("rel=next")) return part.slice(open + 1, close).trim();
  }
  return null;
}

/** GitHub's error body as one line: `422: Validation Failed (Hook already exists on this repository)`. */
export function describeGithubError(response: ApiResponse): string {
  const body = response.json as { message?: string; errors?: Array<{ message?: string; code?: string; field?: string }> } | null;
  if (!body?.message) return `HTTP ${response.status}${response.text ? `: ${oneLine(response.text, 120)}` : ""}`;
  const details = (body.errors ?? []).map((item) => item.message ?? [item.field, item.code].filter(Boolean).join(" ")).filter(Boolean);
  return `${response.status}: ${oneLine(body.message)}${details.length ? ` (${oneLine(details.join("; "))})` : ""}`;
}

/** What a user should check when GitHub says no, by status. */
export function githubHint(status: number, scope: GithubScope): string {
  const where = describeScope(scope);
  if (status === 401) return "; check GITHUB_TOKEN (or `gh auth login`)";
  if (status === 403 || status === 404) {
    return `; the token needs admin access to ${where} and the ${scope.kind === "repo" ? "admin:repo_hook" : "admin:org_hook"} scope (fine-grained: Webhooks read and write)`;
  }
  return "";
}

async function expectOk(request: ApiRequest, what: string, scope: GithubScope): Promise<ApiResponse> {
  const response = await callApi(request);
  if (response.status < 200 || response.status >= 300) {
    throw new ApiRefusedError(`GitHub refused to ${what} (${describeGithubError(response)})${githubHint(response.status, scope)}`, response.status);
  }
  return response;
}

export async function createGithubHook(
  options: GithubApiOptions,
  scope: GithubScope,
  hook: { url: string; events: readonly string[]; secret: string },
): Promise<GithubHook> {
  const response = await expectOk(buildCreateHookRequest(options, scope, hook), `create a webhook on ${describeScope(scope)}`, scope);
  const created = response.json as GithubHook | null;
  if (!created || typeof created.id !== "number") throw new ApiRefusedError("GitHub's answer to creating the webhook has no id", response.status);
  return created;
}

/** Every hook of the repository or organization, following `Link: rel="next"`, bounded to 20 pages. */
export async function listGithubHooks(options: GithubApiOptions, scope: GithubScope): Promise<GithubHook[]> {
  const all: GithubHook[] = [];
  let request: ApiRequest | null = buildListHooksRequest(options, scope);
  for (let page = 0; page < 20 && request !== null; page++) {
    const response = await expectOk(request, `list the webhooks of ${describeScope(scope)}`, scope);
    all.push(...((response.json as GithubHook[] | null) ?? []));
    const next = nextPageUrl(response.headers.get("link"));
    request = next ? { method: "GET", url: next, headers: headers(options) } : null;
  }
  return all;
}

/** Deletes one hook; one already gone (404) counts as deleted. */
export async function deleteGithubHook(options: GithubApiOptions, scope: GithubScope, id: number): Promise<void> {
  const response = await callApi(buildDeleteHookRequest(options, scope, id));
  if (response.status === 404 || (response.status >= 200 && response.status < 300)) return;
  throw new ApiRefusedError(`GitHub refused to delete webhook ${id} on ${describeScope(scope)} (${describeGithubError(response)})`, response.status);
}
