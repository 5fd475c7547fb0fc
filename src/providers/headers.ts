import { findHeader } from "../core/headers.js";
import type { HeaderPairs } from "../core/types.js";

export { findHeader, hasHeader } from "../core/headers.js";

/**
 * A header a real delivery carries besides the signature (X-GitHub-Event, X-Shopify-Topic): the
 * request's own value when it has one, else a plausible default, so that signing never overrides
 * what the caller set.
 */
export function keepOrDefault(headers: HeaderPairs, name: string, fallback: string): [string, string] {
  return [name, findHeader(headers, name.toLowerCase()) ?? fallback];
}
