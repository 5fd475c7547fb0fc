import { HooktapeError, badInput } from "../core/errors.js";
import type { EventFilter } from "../core/event-filter.js";
import type { ReplayableEvent } from "../core/types.js";
import type { EventStore } from "../store/index.js";

/** Which events a replay takes: explicit ids, or the list filters (with `--last n` as the limit). */
export type ReplaySelector = { kind: "ids"; ids: readonly string[] } | { kind: "filter"; filter: EventFilter };

export interface Selection {
  /** In capture order (oldest first). */
  events: ReplayableEvent[];
  /** Events the filters matched but that cannot be replayed (rejected as too large: no body was kept). */
  skipped: string[];
}

/** Reads the selected events with their bodies and headers; "no events match" is exit 2. */
export function selectEvents(store: EventStore, selector: ReplaySelector): Selection {
  if (selector.kind === "ids") {
    const seen = new Set<string>();
    const events: ReplayableEvent[] = [];
    for (const id of selector.ids) {
      const event = store.getEvent(id);
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      if (event.rejected) throw badInput(`Event ${event.id} was rejected (body too large) and has no body to replay`);
      events.push(event);
    }
    return { events: sortCaptured(events), skipped: [] };
  }
  const events: ReplayableEvent[] = [];
  const skipped: string[] = [];
  for (const event of store.replayableEvents(selector.filter)) {
    if (event.rejected === null) events.push(event);
    else skipped.push(event.id);
  }
  if (events.length === 0) {
    throw new HooktapeError(
      "no_match",
      skipped.length > 0
        ? `no events match that can be replayed (${skipped.length} matched but were rejected as too large, without a body)`
        : "no events match; see `hooktape events list` for what was captured",
    );
  }
  return { events: sortCaptured(events), skipped };
}

function sortCaptured(events: ReplayableEvent[]): ReplayableEvent[] {
  return events.sort((a, b) => a.receivedAt - b.receivedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
