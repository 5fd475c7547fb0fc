import type { HeaderPairs } from "./types.js";

/** What a redacted header value becomes, in the database and in fixtures. */
export const REDACTED = "[redacted]";

/** The headers with the values of the named ones (any case) replaced by REDACTED; order and names kept. */
export function redactNamed(headers: HeaderPairs, names: readonly string[]): HeaderPairs {
  if (names.length === 0) return headers;
  const lower = new Set(names.map((name) => name.toLowerCase()));
  return headers.map(([name, value]) => [name, lower.has(name.toLowerCase()) ? REDACTED : value]);
}
