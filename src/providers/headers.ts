import type { HeaderPairs } from "../core/types.js";

/** The first value of a header, matched case-insensitively; `name` must be lower-case. */
export function findHeader(headers: HeaderPairs, name: string): string | undefined {
  for (const [key, value] of headers) {
    // Compare lengths first: most names differ in length, and this runs on every verification.
    if (key.length === name.length && (key === name || key.toLowerCase() === name)) return value;
  }
  return undefined;
}

export function hasHeader(headers: HeaderPairs, name: string): boolean {
  return findHeader(headers, name) !== undefined;
}

/**
 * A header a real delivery carries besides the signature (X-GitHub-Event, X-Shopify-Topic): the
 * request's own value when it has one, else a plausible default, so that signing never overrides
 * what the caller set.
 */
export function keepOrDefault(headers: HeaderPairs, name: string, fallback: string): [string, string] {
  return [name, findHeader(headers, name.toLowerCase()) ?? fallback];
}
