import { badInput } from "../core/errors.js";
import { dropHeader, findHeader, mergeHeaders, setHeader } from "../core/headers.js";
import { newMessageId } from "../core/ids.js";
import { tamperBody, tamperSignatureValue } from "../core/mutate.js";
import type { HeaderPairs } from "../core/types.js";
import type { OutboundRequest } from "../forward/index.js";
import type { BodySignatureForgeries, Provider } from "../providers/types.js";

export type Tamper = "signature" | "body" | "timestamp";

/**
 * Everything needed to build a replay request at a given moment: the mutated request before signing, how to
 * sign it, and what to break afterwards. Pure: the clock comes in as an argument.
 */
export interface RequestRecipe {
  method: string;
  /** The full URL to deliver to. */
  url: string;
  /** Captured headers with `--header` / `--drop-header` applied. */
  headers: HeaderPairs;
  /** The body after `--set` / `--unset`. */
  body: Buffer;
  provider: Provider | null;
  /** Set when the request is re-signed (`--resign`, or implied by a body edit or `--stale`). */
  secret: string | null;
  /** The message id a scheme signs (Standard Webhooks' webhook-id): the captured one, kept on duplicates and retries. */
  messageId: string;
  /** `--stale`: how far in the past the signature claims to be made, in ms. */
  staleMs: number;
  tamper: Tamper | null;
  /** Headers the user set with `--header`: they win over what signing writes. */
  headerSets: HeaderPairs;
  /** Headers the user dropped with `--drop-header`: gone from the final request, even if signing adds them. */
  headerDrops: readonly string[];
}

/** How far `--tamper timestamp` moves the signed timestamp: inside every tolerance, so only the signature fails. */
const TAMPER_SHIFT_SEC = 30;

/** Builds the request for one attempt at `nowMs`; retry headers (Slack's X-Slack-Retry-Num) go on last. */
export function buildRequest(recipe: RequestRecipe, nowMs: number, extraHeaders: HeaderPairs = []): OutboundRequest {
  let headers = recipe.headers;
  let body = recipe.body;
  let url = recipe.url;
  if (recipe.secret !== null && recipe.provider !== null) {
    const timestamp = Math.floor((nowMs - recipe.staleMs) / 1000);
    const signed = recipe.provider.sign({
      body,
      secret: recipe.secret,
      timestamp,
      id: recipe.messageId,
      url,
      method: recipe.method,
      headers,
    });
    headers = mergeHeaders(headers, signed.headers);
    if (signed.url !== undefined) url = signed.url;
    if (signed.body !== undefined) body = signed.body;
  }
  for (const [name, value] of recipe.headerSets) headers = setHeader(headers, name, value);
  for (const name of recipe.headerDrops) headers = dropHeader(headers, name);
  const inBody = signedInBody(headers, recipe.provider);
  if (recipe.tamper === "signature") {
    if (inBody === null) headers = tamperSignature(headers, recipe.provider);
    else body = inBody.tamper(body) ?? refuse(`--tamper signature: the body carries no ${recipe.provider?.name ?? ""} signature to tamper with; add --resign`);
  } else if (recipe.tamper === "body") {
    // Where the signature covers fields, not bytes (Adyen's items, SNS), the change must be to a signed field, or a
    // correct handler would accept it and the forgery prove nothing.
    body = (inBody === null ? null : inBody.tamperSigned(body)) ?? tamperBody(body);
  }
  else if (recipe.tamper === "timestamp") headers = tamperTimestamp(headers, body, recipe);
  if (extraHeaders.length > 0) headers = mergeHeaders(headers, extraHeaders);
  return { method: recipe.method, url, headers, body };
}

/**
 * The forgeries of a provider that signs inside the body (Adyen's notification items, SNS), when this request is
 * signed that way: Adyen's header variant (HmacSignature, over the bytes) is forged in its header like any other.
 */
function signedInBody(headers: HeaderPairs, provider: Provider | null): BodySignatureForgeries | null {
  if (provider?.bodySignature === undefined) return null;
  // (SNS names its deliveries with headers, but its signature is always in the body: a certificate scheme.)
  if (provider.kind === "hmac" && signatureHeaderOf(headers, provider) !== null) return null;
  return provider.bodySignature;
}

function refuse(message: string): never {
  throw badInput(message);
}

/** The name of the header that carries a provider's signature, as present on the request. */
export function signatureHeaderOf(headers: HeaderPairs, provider: Provider | null): string | null {
  if (provider === null) return null;
  const wanted = provider.headers[0];
  return headers.find(([name]) => name.toLowerCase() === wanted)?.[0] ?? null; // the name as the request spells it
}

function tamperSignature(headers: HeaderPairs, provider: Provider | null): HeaderPairs {
  const name = signatureHeaderOf(headers, provider);
  if (name === null) {
    throw badInput(
      provider === null
        ? "--tamper signature: the event's provider is unknown, so hooktape does not know which header is the signature; pass --provider"
        : `--tamper signature: the request has no ${provider.headers[0]} header to tamper with; add --resign`,
    );
  }
  const value = findHeader(headers, name) ?? "";
  return setHeader(headers, name, tamperSignatureValue(value));
}

/**
 * Moves the signed timestamp by a few seconds without re-signing, wherever the scheme writes it (its own header,
 * or inside the signature header as Stripe's `t=`), in the unit the scheme uses (seconds, ms or ISO).
 */
function tamperTimestamp(headers: HeaderPairs, body: Buffer, recipe: RequestRecipe): HeaderPairs {
  const provider = recipe.provider;
  const label = provider?.name ?? "this event's provider";
  const seconds = provider?.timestampOf?.({ method: recipe.method, url: recipe.url, headers, body }) ?? null;
  if (provider === null || seconds === null) {
    throw badInput(`--tamper timestamp: ${label} signs no timestamp in its headers; use --tamper signature or --tamper body`);
  }
  const moved = seconds - TAMPER_SHIFT_SEC;
  const forms: Array<[string, string]> = [
    [String(seconds * 1000), String(moved * 1000)],
    [String(seconds), String(moved)],
    [new Date(seconds * 1000).toISOString(), new Date(moved * 1000).toISOString()],
    [new Date(seconds * 1000).toISOString().replace(".000Z", "Z"), new Date(moved * 1000).toISOString().replace(".000Z", "Z")],
  ];
  const signatureHeaders = new Set(provider.headers);
  for (const [from, to] of forms) {
    const at = headers.findIndex(([name, value]) => signatureHeaders.has(name.toLowerCase()) && value.includes(from));
    if (at === -1) continue;
    const [name, value] = headers[at] as [string, string];
    const out: HeaderPairs = headers.map((pair) => [pair[0], pair[1]]);
    out[at] = [name, value.replace(from, to)];
    return out;
  }
  throw badInput(`--tamper timestamp: ${label} keeps its timestamp outside the headers; use --tamper body instead`);
}

/** The message id a scheme signs, from the captured headers (so duplicates keep it), else a fresh `msg_` id. */
export function messageIdOf(headers: HeaderPairs, provider: Provider | null, fresh: () => string = newMessageId): string {
  if (provider !== null) {
    for (const name of provider.headers) {
      if (!/(^|-)id$|delivery$/.test(name)) continue;
      const found = findHeader(headers, name);
      if (found) return found;
    }
  }
  return fresh();
}
