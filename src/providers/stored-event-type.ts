import type { HeaderPairs } from "../core/types.js";
import { eventTypeOf } from "./event-type.js";
import { getProvider } from "./registry.js";

/**
 * The event type of an event recorded before types were: its provider's rule over its stored headers and body. The
 * store calls it while bringing an older file forward (synchronously, inside the migration), so it takes the whole
 * catalogue; nothing else loads this module.
 */
export function storedEventType(providerId: string, headersJson: string, body: Buffer | null): string | null {
  const provider = getProvider(providerId);
  if (provider?.eventType === undefined || body === null) return null;
  let headers: HeaderPairs;
  try {
    headers = JSON.parse(headersJson) as HeaderPairs;
  } catch {
    return null;
  }
  return eventTypeOf(provider, { headers, body });
}
