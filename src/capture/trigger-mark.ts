import type { HeaderPairs } from "../core/types.js";
import { tokensEqual } from "../providers/compare.js";

/**
 * `hooktape trigger` sends through a running listen with this header, holding the run's token (from the store's
 * run record, which only the store's owner can read). Listen then records the request as triggered and strips the
 * header, so that neither the store nor the handler sees it; a request whose header holds anything else is a
 * stranger's, kept as it came.
 */
export const TRIGGER_HEADER = "X-Hooktape-Trigger";

/** The answer's headers that tell `trigger` which event listen recorded, and why listen did not forward it. */
export const TRIGGERED_EVENT_HEADER = "X-Hooktape-Event-Id";
export const NOT_FORWARDED_HEADER = "X-Hooktape-Not-Forwarded";

/** The headers without the mark when it carries this run's token; null when the request is not one `trigger` sent. */
export function takeTriggerMark(headers: HeaderPairs, token: string | undefined): HeaderPairs | null {
  if (token === undefined) return null;
  const wanted = TRIGGER_HEADER.toLowerCase();
  const at = headers.findIndex(([name]) => name.length === wanted.length && name.toLowerCase() === wanted);
  if (at === -1) return null;
  if (!tokensEqual(token, (headers[at] as [string, string])[1])) return null;
  return headers.filter((_, index) => index !== at);
}
