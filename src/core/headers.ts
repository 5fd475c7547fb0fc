import { badInput } from "./errors.js";
import type { HeaderPairs } from "./types.js";
import { trimTrailingSlashes } from "./text.js";

/**
 * The one home for header pairs: lookup, building pairs from what node and undici hand over, edits, and the URL a
 * request was called on. Names compare case-insensitively; order and duplicates are kept everywhere.
 */

/**
 * A header as a user types it, `"X-Debug: 1"` -> ["X-Debug", "1"] (`option` names where it was given, for the
 * message): the name must be a token, and the value may not hold a line break, which a header cannot carry — so it
 * is refused as bad input here rather than failing when the request is sent.
 */
export function parseHeaderLine(text: string, option: string): [string, string] {
  const colon = text.indexOf(":");
  const name = colon > 0 ? text.slice(0, colon).trim() : "";
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw badInput(`Invalid ${option} "${text}": expected "Name: value", e.g. "X-Debug: 1"`);
  const value = text.slice(colon + 1).trim();
  if (/[\r\n\0]/.test(value)) throw badInput(`Invalid ${option} "${name}": the value contains a line break`);
  return [name, value];
}

/** The first value of a header, matched case-insensitively. */
export function findHeader(headers: HeaderPairs, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of headers) {
    // Compare lengths first: most names differ in length, and this runs on every request and verification.
    if (key.length === wanted.length && (key === wanted || key.toLowerCase() === wanted)) return value;
  }
  return undefined;
}

export function hasHeader(headers: HeaderPairs, name: string): boolean {
  return findHeader(headers, name) !== undefined;
}

/** node's `rawHeaders` (and undici's raw response headers): names and values alternating, as pairs. */
export function pairsFromRaw(raw: readonly (string | Buffer)[]): HeaderPairs {
  const pairs: HeaderPairs = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([String(raw[i]), String(raw[i + 1])]);
  return pairs;
}

/** A header record (`{ name: value | values }`) as pairs; a list value becomes one pair per item. */
export function pairsFromRecord(headers: Readonly<Record<string, string | readonly string[] | undefined>>): HeaderPairs {
  const pairs: HeaderPairs = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const item of typeof value === "string" ? [value] : value) pairs.push([name, item]);
  }
  return pairs;
}

/**
 * Sets a header: the first header of that name (any case) takes the value in place, later ones are removed;
 * a new header goes last.
 */
export function setHeader(headers: HeaderPairs, name: string, value: string): HeaderPairs {
  const wanted = name.toLowerCase();
  const out: HeaderPairs = [];
  let placed = false;
  for (const pair of headers) {
    if (pair[0].toLowerCase() !== wanted) out.push(pair);
    else if (!placed) {
      out.push([pair[0], value]);
      placed = true;
    }
  }
  if (!placed) out.push([name, value]);
  return out;
}

/** Removes every header of that name (any case). */
export function dropHeader(headers: HeaderPairs, name: string): HeaderPairs {
  const wanted = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() !== wanted);
}

/**
 * `base` with each of `updates` applied (signed headers over a request's own): a header of the same name takes
 * the new name and value in its place (the writer of the update spells it), further copies of it are dropped,
 * and new names are appended.
 */
export function mergeHeaders(base: HeaderPairs, updates: HeaderPairs): HeaderPairs {
  const result: HeaderPairs = base.map(([name, value]) => [name, value]);
  for (const [name, value] of updates) {
    const lower = name.toLowerCase();
    const first = result.findIndex(([key]) => key.toLowerCase() === lower);
    if (first === -1) {
      result.push([name, value]);
      continue;
    }
    result[first] = [name, value];
    for (let i = result.length - 1; i > first; i--) {
      if (result[i]?.[0].toLowerCase() === lower) result.splice(i, 1);
    }
  }
  return result;
}

/** The public URL a request arrived on through the tunnel: the tunnel's base URL and the request's path. */
export function joinPublicUrl(publicUrl: string, path: string): string {
  return trimTrailingSlashes(publicUrl) + path;
}

/**
 * The URL a local sender called: its Host header over plain http. A client's X-Forwarded-Proto is not trusted —
 * anyone who can reach the capture server could send one; through the tunnel the public URL is used instead.
 */
export function localUrlOf(headers: HeaderPairs, path: string): string {
  return `http://${findHeader(headers, "host") ?? "localhost"}${path}`;
}

// RFC 9110 §7.6.1: connection-specific headers are not forwarded; Host and Content-Length are set anew for the target.
const NOT_FORWARDED = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
  "expect",
]);

/** Whether a captured header is sent on to a target (the inspector's curl command drops the same ones). */
export function isForwardedHeader(name: string): boolean {
  return !NOT_FORWARDED.has(name.toLowerCase());
}
