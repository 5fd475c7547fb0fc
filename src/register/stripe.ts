import { randomUUID } from "node:crypto";
import { ApiRefusedError, callApi, oneLine, type ApiRequest, type ApiResponse } from "./api-client.js";
import { trimTrailingSlashes } from "../core/text.js";

/**
 * Stripe's webhook endpoint API (https://docs.stripe.com/api/webhook_endpoints): form-encoded bodies,
 * `Authorization: Bearer <secret key>`, a pinned `Stripe-Version`, cursor pagination with `starting_after`,
 * errors as `{"error":{"type","code","message",...}}`. The signing `secret` is returned only by create.
 */
export const STRIPE_API_BASE = "https://api.stripe.com";
/** The API version the official stripe-node SDK in our devDependencies pins; responses keep this shape. */
export const STRIPE_API_VERSION = "2026-10-28.endive";
/** The metadata key that marks an endpoint as one a hooktape run created. */
export const STRIPE_RUN_KEY = "hooktape_run";

export interface StripeEndpoint {
  id: string;
  url: string;
  enabled_events: string[];
  metadata: Record<string, string>;
  livemode: boolean;
  /** Only in the answer to create. */
  secret?: string;
}

export type StripeKeyMode = "test" | "live" | "unknown";

/** `sk_test_`/`rk_test_` are test mode, `sk_live_`/`rk_live_` live (https://docs.stripe.com/keys). */
export function stripeKeyMode(key: string): StripeKeyMode {
  if (/^(sk|rk)_test_/.test(key)) return "test";
  if (/^(sk|rk)_live_/.test(key)) return "live";
  return "unknown";
}

export interface StripeApiOptions {
  apiKey: string;
  base?: string | undefined;
  userAgent?: string;
}

function headers(options: StripeApiOptions, extra: Record<string, string> = {}): Record<string, string> {
  return {
    Authorization: `Bearer ${options.apiKey}`,
    "Stripe-Version": STRIPE_API_VERSION,
    "User-Agent": options.userAgent ?? "hooktape",
    Accept: "application/json",
    ...extra,
  };
}

function endpointUrl(options: StripeApiOptions, path: string): string {
  return `${trimTrailingSlashes(options.base ?? STRIPE_API_BASE)}${path}`;
}

/**
 * Stripe's form encoding: arrays as `name[0]=a&name[1]=b`, hashes as `name[key]=value`, as stripe-node sends them.
 */
export function encodeStripeForm(fields: Record<string, string | readonly string[] | Record<string, string>>): string {
  const pairs: string[] = [];
  const add = (name: string, value: string) => pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === "string") add(name, value);
    else if (Array.isArray(value)) value.forEach((item, index) => add(`${name}[${index}]`, item));
    else for (const [key, item] of Object.entries(value as Record<string, string>)) add(`${name}[${key}]`, item);
  }
  return pairs.join("&");
}

export function buildCreateEndpointRequest(
  options: StripeApiOptions,
  endpoint: { url: string; events: readonly string[]; runId: string },
): ApiRequest {
  return {
    method: "POST",
    url: endpointUrl(options, "/v1/webhook_endpoints"),
    headers: headers(options, {
      "Content-Type": "application/x-www-form-urlencoded",
      // Safe to retry: Stripe answers a repeated key with the first result (https://docs.stripe.com/api/idempotent_requests).
      "Idempotency-Key": randomUUID(),
    }),
    body: encodeStripeForm({
      url: endpoint.url,
      enabled_events: endpoint.events,
      description: `hooktape listen (run ${endpoint.runId}): temporary, deleted when the run ends`,
      metadata: { [STRIPE_RUN_KEY]: endpoint.runId },
    }),
  };
}

export function buildListEndpointsRequest(options: StripeApiOptions, startingAfter?: string): ApiRequest {
  const query = new URLSearchParams({ limit: "100" });
  if (startingAfter) query.set("starting_after", startingAfter);
  return { method: "GET", url: endpointUrl(options, `/v1/webhook_endpoints?${query}`), headers: headers(options) };
}

export function buildDeleteEndpointRequest(options: StripeApiOptions, id: string): ApiRequest {
  return { method: "DELETE", url: endpointUrl(options, `/v1/webhook_endpoints/${encodeURIComponent(id)}`), headers: headers(options) };
}

/** Stripe's error object as one line: `401 invalid_request_error: Invalid API Key provided: sk_test_****abcd`. */
export function describeStripeError(response: ApiResponse): string {
  const error = (response.json as { error?: { type?: string; code?: string; message?: string } } | null)?.error;
  if (!error) return `HTTP ${response.status}${response.text ? `: ${oneLine(response.text, 120)}` : ""}`;
  const kind = [error.type, error.code].filter(Boolean).join("/");
  return `${response.status}${kind ? ` ${kind}` : ""}: ${oneLine(error.message ?? "no message")}`;
}

async function expectOk(request: ApiRequest, what: string): Promise<ApiResponse> {
  const response = await callApi(request);
  if (response.status < 200 || response.status >= 300) {
    throw new ApiRefusedError(`Stripe refused to ${what} (${describeStripeError(response)})`, response.status);
  }
  return response;
}

export async function createStripeEndpoint(
  options: StripeApiOptions,
  endpoint: { url: string; events: readonly string[]; runId: string },
): Promise<StripeEndpoint & { secret: string }> {
  const response = await expectOk(buildCreateEndpointRequest(options, endpoint), "create the webhook endpoint");
  const created = response.json as StripeEndpoint | null;
  if (!created || typeof created.id !== "string" || typeof created.secret !== "string") {
    throw new ApiRefusedError("Stripe's answer to creating the webhook endpoint has no id or secret", response.status);
  }
  return created as StripeEndpoint & { secret: string };
}

/** Every endpoint of the account, page by page (`has_more`, `starting_after`), bounded to 50 pages. */
export async function listStripeEndpoints(options: StripeApiOptions): Promise<StripeEndpoint[]> {
  const all: StripeEndpoint[] = [];
  let after: string | undefined;
  for (let page = 0; page < 50; page++) {
    const response = await expectOk(buildListEndpointsRequest(options, after), "list webhook endpoints");
    const list = response.json as { data?: StripeEndpoint[]; has_more?: boolean } | null;
    const data = list?.data ?? [];
    all.push(...data);
    const last = data[data.length - 1];
    if (!list?.has_more || last === undefined) break;
    after = last.id;
  }
  return all;
}

/** Deletes one endpoint; one already gone (404) counts as deleted. */
export async function deleteStripeEndpoint(options: StripeApiOptions, id: string): Promise<void> {
  const response = await callApi(buildDeleteEndpointRequest(options, id));
  if (response.status === 404 || (response.status >= 200 && response.status < 300)) return;
  throw new ApiRefusedError(`Stripe refused to delete webhook endpoint ${id} (${describeStripeError(response)})`, response.status);
}
