import type { HeaderPairs } from "../core/types.js";
import type { DedupContainer, DedupKey } from "./types.js";

/**
 * Reading a provider's dedup keys (types.ts `DedupKey`) out of a request: what a handler deduplicates on. A JSON key
 * is written as a path of members and `[*]` (every item of an array): `id`, `data.id`, `events[*].id`, `[*].eventId`.
 */

type Step = { kind: "key"; key: string } | { kind: "each" };

const stepsCache = new Map<string, Step[]>();

/** `events[*].id` as steps: a member, every item, a member. Keys are written by the provider modules, never by users. */
function stepsOf(path: string): Step[] {
  const hit = stepsCache.get(path);
  if (hit !== undefined) return hit;
  const steps: Step[] = [];
  for (const part of path.split(".")) {
    const match = /^([^[\]]*)((?:\[\*\])*)$/.exec(part);
    if (match === null) throw new TypeError(`dedup key "${path}": only members and [*] are allowed`);
    if (match[1] !== "") steps.push({ kind: "key", key: match[1] as string });
    for (let i = 0; i < (match[2] as string).length / 3; i++) steps.push({ kind: "each" });
  }
  stepsCache.set(path, steps);
  return steps;
}

/**
 * Every place `path` names in a parsed JSON value, as concrete paths in the `--set` syntax (`events[0].id`), with the
 * value found there: `[*]` is expanded over the arrays the value really has.
 */
export function jsonKeyPlaces(value: unknown, path: string): Array<{ path: string; value: unknown }> {
  let places: Array<{ path: string; value: unknown }> = [{ path: "", value }];
  for (const step of stepsOf(path)) {
    const next: Array<{ path: string; value: unknown }> = [];
    for (const place of places) {
      if (step.kind === "each") {
        if (Array.isArray(place.value)) place.value.forEach((item: unknown, i) => next.push({ path: `${place.path}[${i}]`, value: item }));
      } else if (place.value !== null && typeof place.value === "object" && !Array.isArray(place.value) && Object.hasOwn(place.value, step.key)) {
        const member = (place.value as Record<string, unknown>)[step.key];
        const name = /^[A-Za-z_$][\w$-]*$/.test(step.key) ? step.key : `[${JSON.stringify(step.key)}]`;
        next.push({ path: place.path === "" ? name : name.startsWith("[") ? `${place.path}${name}` : `${place.path}.${name}`, value: member });
      }
    }
    places = next;
  }
  return places;
}

/** The members a JSON path goes through, for building a sample that has it: `events[*].id` → ["events", "*", "id"]. */
export function jsonKeySteps(path: string): Array<string | "*"> {
  return stepsOf(path).map((step) => (step.kind === "each" ? "*" : step.key));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isFormBody(text: string): boolean {
  return /^[\w.%+[\]-]+=[^&]*(&[\w.%+[\]-]+=[^&]*)*$/.test(text);
}

/** The claims of a compact JWT (`header.payload.signature`), unverified; undefined when the text is not one. */
function jwtClaims(text: string): unknown {
  const parts = text.trim().split(".");
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  return parseJson(Buffer.from(parts[1], "base64url").toString("utf8"));
}

/**
 * The JSON document a key reads: the body, a form field's value (Mandrill), or a JWT claim that holds JSON text (Wix).
 * A body that is the unsigned document itself (a sample before `sign` wraps it in a token) is read as it is.
 */
export function dedupDocument(body: Buffer, within: DedupContainer | undefined): unknown {
  const text = body.toString("utf8");
  if (within === undefined) return parseJson(text);
  if ("form" in within) {
    const value = isFormBody(text) ? new URLSearchParams(text).get(within.form) : null;
    return value === null ? undefined : parseJson(value);
  }
  const plain = parseJson(text);
  if (plain !== undefined) return plain;
  const claim = (jwtClaims(text) as Record<string, unknown> | undefined)?.[within.jwtClaim];
  return typeof claim === "string" ? parseJson(claim) : claim;
}

/**
 * The values a request carries under one dedup key, as text (numbers as JSON writes them), in order: a header's
 * every value, a JSON path's every match that is a string or a number, a form field's every value. Empty when absent.
 */
export function dedupValues(request: { headers: HeaderPairs; body: Buffer }, key: DedupKey): string[] {
  if ("header" in key) {
    const wanted = key.header.toLowerCase();
    return request.headers.filter(([name]) => name.toLowerCase() === wanted).map(([, value]) => value);
  }
  if ("json" in key) {
    return jsonKeyPlaces(dedupDocument(request.body, key.within), key.json).flatMap(({ value }) =>
      typeof value === "string" ? [value] : typeof value === "number" ? [JSON.stringify(value)] : [],
    );
  }
  const text = request.body.toString("utf8");
  return isFormBody(text) ? new URLSearchParams(text).getAll(key.form) : [];
}

/** How a key is named in messages and documentation: `header X-GitHub-Delivery`, `body events[*].id`, `form MessageSid`. */
export function describeDedupKey(key: DedupKey): string {
  if ("header" in key) return `header ${key.header}`;
  if ("json" in key) {
    if (key.within === undefined) return `body ${key.json}`;
    return "form" in key.within ? `${key.json} in form field ${key.within.form}` : `${key.json} in the token's ${key.within.jwtClaim} claim`;
  }
  return `form field ${key.form}`;
}
