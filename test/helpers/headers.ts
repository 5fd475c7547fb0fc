import type { HeaderPairs } from "../../src/core/types.js";

// Header lookups for tests: on [name, value] pairs in arrival order, as hooktape records them and handlers get them.

/** The value of a header (case-insensitive, first occurrence), on the pairs or on a request that carries them. */
export function headerOf(headers: HeaderPairs | { headers: HeaderPairs }, name: string): string | undefined {
  const pairs = Array.isArray(headers) ? headers : headers.headers;
  const wanted = name.toLowerCase();
  return pairs.find(([n]) => n.toLowerCase() === wanted)?.[1];
}

/** As headerOf, but a missing header throws, naming the headers there are, so that a test says which. */
export function headerValue(headers: HeaderPairs, name: string): string {
  const value = headerOf(headers, name);
  if (value === undefined) throw new Error(`header ${name} missing from ${JSON.stringify(headers.map(([n]) => n))}`);
  return value;
}

/** Headers as the lower-cased record Node's http module hands to SDKs (`req.headers`); the first of a name wins. */
export function headerRecord(headers: HeaderPairs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) out[name.toLowerCase()] ??= value;
  return out;
}

/** Node's `rawHeaders` ([name, value, name, value, ...]) as [name, value] pairs, in arrival order. */
export function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}
