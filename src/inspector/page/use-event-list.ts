import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { api, type EventSummary } from "./api.js";
import { hasFilters, listParams, NO_FILTERS, sameFilters, type Filters } from "./route.js";

const PAGE = 100;

export interface EventList {
  events: EventSummary[];
  replays: Record<string, number>;
  next: string | null;
  loading: boolean;
  error: string | null;
  /** Moves each time the open event changes (a new delivery attempt): the open event reloads then. */
  openRevision: number;
  loadMore(): void;
  reload(): void;
  /** A change from the stream: merged at the top of an unfiltered list, or a reload of a filtered one. */
  applyChange(change: { event: EventSummary; replays: number }): void;
}

/** The first page is asked for as soon as the script runs, not after the first render. */
let firstPage: ReturnType<typeof api.list> | null = null;
export function prefetchFirstPage(filters: Filters): void {
  if (!hasFilters(filters)) firstPage = api.list(listParams(NO_FILTERS, null, PAGE));
}

export function useEventList(filters: Filters, openId: string | null): EventList {
  const [events, setEvents] = useState<EventSummary[]>([]);
  const [replays, setReplays] = useState<Record<string, number>>({});
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [openRevision, setOpenRevision] = useState(0);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const openRef = useRef(openId);
  openRef.current = openId;

  const load = useCallback(async (current: Filters, cursor: string | null) => {
    setLoading(true);
    try {
      const prefetched = firstPage !== null && !hasFilters(current) && cursor === null ? firstPage : null;
      firstPage = null;
      const page = await (prefetched ?? api.list(listParams(current, cursor, PAGE)));
      if (!sameFilters(filtersRef.current, current)) return;
      setEvents((old) => (cursor ? [...old, ...page.events] : page.events));
      setReplays((old) => (cursor ? { ...old, ...page.replays } : page.replays));
      setNext(page.next);
      setError(null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setLoading(false);
    }
  }, []);

  // Filters reload the first page a moment after the last keystroke; the first page loads at once.
  const key = listParams(filters, null, PAGE).toString();
  const firstLoad = useRef(true);
  useEffect(() => {
    const timer = setTimeout(() => void load(filtersRef.current, null), firstLoad.current ? 0 : 150);
    firstLoad.current = false;
    return () => clearTimeout(timer);
  }, [key, load]);

  const applyChange = useChangeBatches(filtersRef, {
    replays,
    setEvents,
    setReplays,
    changed: (ids) => {
      if (openRef.current !== null && ids.has(openRef.current)) setOpenRevision((n) => n + 1);
    },
    reload: () => void load(filtersRef.current, null),
  });
  return {
    events,
    replays,
    next,
    loading,
    error,
    openRevision,
    loadMore: () => void load(filtersRef.current, next),
    reload: () => void load(filtersRef.current, null),
    applyChange,
  };
}

type Setter<T> = (update: (old: T) => T) => void;

/**
 * Under a burst (thousands of events a second) the list is merged and sorted once per flush, not once per event: a
 * copy and a sort of the whole list per event made the page, on the same cores as the capture, the slowest part of
 * `listen --ui`.
 */
function useChangeBatches(
  filtersRef: { current: Filters },
  sink: {
    replays: Record<string, number>;
    setEvents: Setter<EventSummary[]>;
    setReplays: Setter<Record<string, number>>;
    changed(ids: ReadonlySet<string>): void;
    reload(): void;
  },
) {
  const pending = useRef(new Map<string, { event: EventSummary; replays: number }>());
  const replaysRef = useRef(sink.replays);
  replaysRef.current = sink.replays;
  const flush = useRef<ReturnType<typeof setTimeout> | null>(null);
  const sinkRef = useRef(sink);
  sinkRef.current = sink;
  useEffect(() => () => clearTimeout(flush.current ?? undefined), []);

  const apply = () => {
    flush.current = null;
    const batch = pending.current;
    pending.current = new Map();
    const { setEvents, setReplays, changed, reload } = sinkRef.current;
    changed(new Set(batch.keys()));
    if (hasFilters(filtersRef.current)) return reload();
    // Only replayed events are kept: a day of events streamed does not grow a map copied on every flush.
    const replayed = [...batch].filter(([id, item]) => item.replays > 0 || id in replaysRef.current);
    if (replayed.length > 0) {
      setReplays((old) => {
        const next = { ...old };
        for (const [id, item] of replayed) next[id] = item.replays;
        return next;
      });
    }
    setEvents((old) => mergeChanges(old, batch));
  };

  return useCallback((change: { event: EventSummary; replays: number }) => {
    pending.current.set(change.event.id, change);
    flush.current ??= setTimeout(apply, hasFilters(filtersRef.current) ? 300 : 100);
  }, []);
}

/** Changed events replace their rows; new ones join, newest first. */
function mergeChanges(old: EventSummary[], batch: Map<string, { event: EventSummary }>): EventSummary[] {
  const seen = new Set<string>();
  const updated = old.map((event) => {
    const changed = batch.get(event.id);
    if (changed === undefined) return event;
    seen.add(event.id);
    return changed.event;
  });
  const added = [...batch.values()].filter((item) => !seen.has(item.event.id)).map((item) => item.event);
  if (added.length === 0) return updated;
  const merged = [...added, ...updated];
  merged.sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0));
  return merged;
}
