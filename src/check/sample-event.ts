import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { findHeader } from "../core/headers.js";
import type { HeaderPairs } from "../core/types.js";
import { jsonKeySteps } from "../providers/dedup.js";
import { jsonShapeOf, serialiseJson } from "../providers/json-shape.js";
import type { SampleBody, SampleIds } from "../providers/sample.js";
import type { Provider } from "../providers/types.js";

/** A request `check` sends: a fixture's, or a built-in sample event of the provider. */
export interface CheckSubject {
  /** Shown in the table and the JUnit report (`stripe sample`, `fixtures/stripe.json`). */
  name: string;
  method: string;
  /** Path and query: where the request goes when `--to` is a port or an origin. */
  path: string;
  headers: HeaderPairs;
  body: Buffer;
}

/** Ids for one sample: random for `check` (each run sends events the handler has never seen), fixed for fixtures. */
export const randomIds: SampleIds = {
  token: (bytes = 9) => randomBytes(bytes).toString("hex"),
  number: (digits) => randomInt(10 ** (digits - 1), 10 ** digits),
  uuid: () => randomUUID(),
};

/** Reproducible ids (`hooktape_1`, `hooktape_2`, ...; 1000001, ...; 00000000-0000-4000-8000-000000000001), for the shipped fixtures. */
export function fixedIds(): SampleIds {
  let n = 0;
  return {
    token: () => `hooktape_${++n}`,
    number: (digits) => 10 ** (digits - 1) + ++n,
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  };
}

/**
 * A plausible event of each provider with fresh ids on every run, so that a handler that keeps state between
 * runs sees a new event (its duplicates are then the ones `check` sends on purpose), serialised the way the
 * provider serialises it.
 */
export function sampleSubject(provider: Provider, nowMs: number = Date.now(), ids: SampleIds = randomIds): CheckSubject {
  const name = `${provider.id} sample event`;
  // Where the provider's shipped fixture goes, so that `check --to 3000` and `send fixtures/<id>.json --to 3000` agree.
  const path = `/webhooks/${provider.id}`;
  const sample = provider.sample?.(ids, nowMs) ?? genericSample(provider, ids, nowMs);
  const form = "form" in sample;
  const headers: HeaderPairs = [
    // JSON or a form post unless the provider says otherwise (Amazon SNS posts its JSON as text/plain).
    ...(sample.headers?.some(([name]) => name.toLowerCase() === "content-type")
      ? []
      : [["Content-Type", form ? "application/x-www-form-urlencoded" : "application/json"] as [string, string]]),
    ...(sample.headers ?? []),
  ];
  return {
    name,
    method: "POST",
    path,
    headers: withDedupHeaders(headers, provider, ids, nowMs),
    body: Buffer.from(form ? sample.form : serialiseJson(sample.value, jsonShapeOf(provider)), "utf8"),
  };
}

/**
 * A generic event for the providers without a sample of their own, carrying the members the provider names its
 * events by (`event_id`, `data.id`, `events[*].id`, ...: its dedup keys) where a real delivery has them, so that a
 * handler written for that provider finds its event's id.
 */
function genericSample(provider: Provider, ids: SampleIds, nowMs: number): SampleBody {
  const value: Record<string, unknown> = {
    id: `evt_${ids.token()}`,
    type: "hooktape.check",
    created_at: new Date(nowMs).toISOString(),
    data: { object: { id: `obj_${ids.token()}`, amount: 2000, currency: "eur", description: "Café crème — Zoë", url: "https://example.com/orders/1" } },
  };
  for (const key of provider.dedup.keys) {
    if ("json" in key && key.within === undefined && key.optional !== true) placeMember(value, jsonKeySteps(key.json), sampleValueLike(key.example, ids, nowMs));
  }
  return { value };
}

/** Writes `leaf` at the path unless something is there already; `*` makes (or enters) a one-item array. */
function placeMember(root: Record<string, unknown>, steps: ReadonlyArray<string>, leaf: unknown): void {
  let node: unknown = root;
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    const nextIsArray = steps[i + 1] === "*";
    if (step === "*") {
      const list = node as unknown[];
      if (list.length === 0) list.push(last ? leaf : nextIsArray ? [] : {});
      node = list[0];
      return;
    }
    const object = node as Record<string, unknown>;
    if (!(step in object) || object[step] === null || typeof object[step] !== "object") {
      if (last) {
        if (!(step in object)) object[step] = leaf;
        return;
      }
      object[step] = nextIsArray ? [] : {};
    }
    node = object[step];
  });
}

/**
 * The headers a provider names its events by and that its scheme does not write itself (Twilio's
 * I-Twilio-Idempotency-Token, Shopify's X-Shopify-Event-Id, ...), as its deliveries carry them. The scheme's own
 * headers (GitHub's X-GitHub-Delivery, webhook-id: the message id it signs; SNS's, copied from the body) are `sign`'s.
 */
function withDedupHeaders(headers: HeaderPairs, provider: Provider, ids: SampleIds, nowMs: number): HeaderPairs {
  const out: HeaderPairs = [...headers];
  for (const key of provider.dedup.keys) {
    if (!("header" in key) || key.optional === true || provider.headers.includes(key.header.toLowerCase()) || findHeader(out, key.header) !== undefined) continue;
    out.push([key.header, String(sampleValueLike(key.example, ids, nowMs))]);
  }
  return out;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

/** A new id of the example's shape: a number of its digits, a UUID, a time (now), or its prefix and a token. */
function sampleValueLike(example: string | number, ids: SampleIds, nowMs: number): string | number {
  if (typeof example === "number") return String(example).length === String(nowMs).length ? nowMs : ids.number(String(example).length);
  if (UUID_RE.test(example)) return ids.uuid();
  if (ISO_RE.test(example)) return new Date(nowMs).toISOString();
  const cut = Math.max(example.lastIndexOf("_"), example.lastIndexOf("-"), example.lastIndexOf("/"), example.lastIndexOf("."), example.lastIndexOf(":")) + 1;
  return example.slice(0, cut) + ids.token();
}
