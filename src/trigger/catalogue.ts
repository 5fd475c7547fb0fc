import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync } from "node:zlib";
import { randomIds, sampleSubject } from "../check/sample-event.js";
import { jsonShapeOf, serialiseJson } from "../providers/json-shape.js";
import { HooktapeError } from "../core/errors.js";
import type { HeaderPairs } from "../core/types.js";
import { eventTypeOf } from "../providers/event-type.js";
import type { Provider } from "../providers/types.js";
import { STRIPE_EVENTS } from "./stripe-events.js";

/** Where an event type's payload comes from, as `trigger --list` shows it. */
export interface PayloadSource {
  /** `@octokit/webhooks-examples 7.6.1`, `hooktape sample`. */
  name: string;
  licence: string | null;
  /** What the examples are and where their publisher took them from. */
  origin: string;
}

export interface CatalogueEntry {
  type: string;
  source: PayloadSource;
  /** The provider marks the type deprecated (Shopify's reference does). */
  deprecated: boolean;
}

/** One delivery of a type before signing: its headers besides the signature's, and the body as the provider writes it. */
export interface TriggerDraft {
  type: string;
  headers: HeaderPairs;
  body: Buffer;
}

/** The event types `trigger` can send for one provider, and a fresh delivery of each. */
export interface TriggerCatalogue {
  provider: Provider;
  /** Sorted by type. */
  entries: readonly CatalogueEntry[];
  /** A new delivery of `type` (fresh ids and times) as of `nowMs`; undefined for a type not in the catalogue. */
  draft(type: string, nowMs: number): TriggerDraft | undefined;
}

/** The catalogues built from the vendors' published examples (scripts/build-catalogues.mjs writes them). */
const PUBLISHED = new Set(["github", "shopify", "stripe"]);

interface PublishedFile {
  provider: string;
  source: { name: string; version?: string; commit?: string | null; licence: string; origin: string; apiVersion?: string };
  types?: Record<string, { headers: HeaderPairs; body: unknown; deprecated?: boolean }>;
  resources?: Record<string, Record<string, unknown>>;
  stripeApiVersion?: string;
}

/** From src/trigger/ and from dist/trigger/ alike, the package's dist/trigger/catalogues. */
function cataloguesDir(): string {
  return fileURLToPath(new URL("../../dist/trigger/catalogues/", import.meta.url));
}

function readPublished(providerId: string): PublishedFile {
  const file = `${cataloguesDir()}${providerId}.json.br`;
  try {
    return JSON.parse(brotliDecompressSync(readFileSync(file)).toString("utf8")) as PublishedFile;
  } catch (error) {
    throw new HooktapeError("environment", `The event catalogue ${file} is missing or unreadable (${(error as { code?: string }).code ?? error}); run \`npm run build\``);
  }
}

function describeSource(source: PublishedFile["source"]): PayloadSource {
  const version = source.version ?? (source.commit ? `@${source.commit.slice(0, 12)}` : "");
  return { name: `${source.name}${version.startsWith("@") ? version : version ? ` ${version}` : ""}`, licence: source.licence, origin: source.origin };
}

const HOOKTAPE_SAMPLE: PayloadSource = {
  name: "hooktape sample",
  licence: null,
  origin: "written by hooktape after the example in the provider's documentation",
};

export async function loadTriggerCatalogue(provider: Provider): Promise<TriggerCatalogue> {
  if (PUBLISHED.has(provider.id)) return publishedCatalogue(provider, readPublished(provider.id));
  return sampleCatalogue(provider);
}

function publishedCatalogue(provider: Provider, file: PublishedFile): TriggerCatalogue {
  const source = describeSource(file.source);
  const shape = jsonShapeOf(provider);
  if (provider.id === "stripe") {
    const resources = file.resources ?? {};
    const types = Object.keys(STRIPE_EVENTS).filter((type) => resources[STRIPE_EVENTS[type]?.resource ?? ""] !== undefined);
    return {
      provider,
      entries: types.sort().map((type) => ({ type, source, deprecated: false })),
      draft(type, nowMs) {
        if (!types.includes(type)) return undefined;
        const event = stripeEvent(type, resources, file.stripeApiVersion ?? null, nowMs);
        return { type, headers: [["Content-Type", "application/json; charset=utf-8"]], body: Buffer.from(serialiseJson(event, shape), "utf8") };
      },
    };
  }
  const types = file.types ?? {};
  return {
    provider,
    entries: Object.keys(types)
      .sort()
      .map((type) => ({ type, source, deprecated: types[type]?.deprecated === true })),
    draft(type, nowMs) {
      const entry = Object.hasOwn(types, type) ? types[type] : undefined;
      if (entry === undefined) return undefined;
      const body = provider.id === "shopify" ? freshShopifyResource(entry.body, nowMs) : entry.body;
      return { type, headers: [["Content-Type", "application/json"], ...entry.headers], body: Buffer.from(serialiseJson(body, shape), "utf8") };
    },
  };
}

/**
 * Stripe's event envelope around the fixture object of the type's resource
 * (https://docs.stripe.com/api/events/object), members in Stripe's order: a fresh `evt_` id, `created` now, the
 * object with a fresh id of its own shape and the state the type reports, and the request that caused it.
 */
function stripeEvent(type: string, resources: Record<string, Record<string, unknown>>, apiVersion: string | null, nowMs: number) {
  const recipe = STRIPE_EVENTS[type];
  if (recipe === undefined) throw new TypeError(`no Stripe recipe for ${type}`);
  const object: Record<string, unknown> = { ...structuredClone(resources[recipe.resource]) };
  const created = Math.floor(nowMs / 1000);
  if (typeof object.id === "string") object.id = freshId(object.id);
  if (typeof object.created === "number") object.created = created;
  if (typeof object.livemode === "boolean") object.livemode = false;
  for (const [key, value] of Object.entries(recipe.set ?? {})) object[key] = structuredClone(value);
  return {
    id: `evt_${token(24)}`,
    object: "event",
    api_version: apiVersion,
    created,
    data: { object, ...(recipe.previous !== undefined ? { previous_attributes: structuredClone(recipe.previous) } : {}) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: `req_${token(14)}`, idempotency_key: randomUUID() },
    type,
  };
}

/**
 * Shopify's documented examples use the same ids in every topic: the resource gets a fresh one (13 digits, as
 * Shopify's ids are today, and inside JavaScript's safe integers), kept in step with its GraphQL id.
 */
function freshShopifyResource(body: unknown, nowMs: number): unknown {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const resource = { ...(body as Record<string, unknown>) };
  if (typeof resource.id === "number") {
    const id = randomInt(1_000_000_000_000, 9_000_000_000_000);
    resource.id = id;
    if (typeof resource.admin_graphql_api_id === "string") resource.admin_graphql_api_id = resource.admin_graphql_api_id.replace(/\/\d+$/, `/${id}`);
  }
  if (typeof resource.updated_at === "string") resource.updated_at = shopifyTime(nowMs);
  return resource;
}

/** `2026-12-05T10:32:11-00:00`, the form of Shopify's payload times. */
function shopifyTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "-00:00");
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function token(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join("");
}

/** `pi_3Pga...` -> `pi_` and fresh characters of the same length. */
function freshId(id: string): string {
  const cut = id.lastIndexOf("_") + 1;
  return id.slice(0, cut) + token(Math.max(id.length - cut, 14));
}

/**
 * The other providers: the provider's sample event (its module's, else `check`'s generic one), one type, the one the
 * provider's own rule reads from the sample. A sample that names no type (the generic one) gives no entry.
 */
function sampleCatalogue(provider: Provider): TriggerCatalogue {
  const make = (nowMs: number): Omit<TriggerDraft, "type"> => {
    const subject = sampleSubject(provider, nowMs, randomIds);
    return { headers: subject.headers, body: subject.body };
  };
  const probe = make(Date.now());
  const type = eventTypeOf(provider, probe);
  const entries: CatalogueEntry[] = type === null || type === "hooktape.check" ? [] : [{ type, source: HOOKTAPE_SAMPLE, deprecated: false }];
  return {
    provider,
    entries,
    draft(wanted, nowMs) {
      if (type === null || wanted !== type) return undefined;
      return { type, ...make(nowMs) };
    },
  };
}
