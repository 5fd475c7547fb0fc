import type { RefObject } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { EmptyList, Locked } from "./notices.js";
import { EventTable } from "./event-table.js";
import { EventView, type Command } from "./event-view.js";
import { FilterBar } from "./filter-bar.js";
import { LatencyChart } from "./chart.js";
import { compareLabel } from "./compare.js";
import { hasFilters, type Route } from "./route.js";
import { SplitPanes } from "./split-panes.js";
import { TopBar } from "./top-bar.js";
import { useEventList, type EventList } from "./use-event-list.js";
import { useKeys } from "./use-keys.js";
import { useLive } from "./use-live.js";
import { useRoute } from "./use-route.js";

type Navigate = ReturnType<typeof useRoute>[1];

/** The inspector: where am I, filters, the list, and the open event — keyed by its id, whatever arrives. */
export function App() {
  const [route, navigate] = useRoute();
  const list = useEventList(route.filters, route.eventId);
  const live = useLive(list);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLElement>(null);
  const { selectedId, openId, command, open } = useSelection(list, route, navigate, searchRef, listRef);
  // A User Timing mark when the first rows are on screen (effects run after paint): what the benchmark reads.
  useEffect(() => {
    if (list.events.length > 0 && performance.getEntriesByName("hooktape:list-rendered").length === 0) performance.mark("hooktape:list-rendered");
  }, [list.events]);
  const showType = list.events.some((event) => event.eventType !== undefined);
  const compareChoices = useMemo(() => list.events.slice(0, 200).map((event) => ({ id: event.id, label: compareLabel(event) })), [list.events]);

  if (live.connection === "locked") return <Locked />;
  return (
    <div class="app">
      <TopBar connection={live.connection} run={live.run} db={live.info?.db ?? null} changes={live.changes} />
      <FilterBar filters={route.filters} showType={showType} searchRef={searchRef} onChange={(filters) => navigate({ ...route, filters }, "replace")} />
      {list.error && (
        <p class="error" role="alert">
          {list.error}
        </p>
      )}
      <SplitPanes
        list={
          <section class="list" aria-label="Events" ref={listRef}>
            {openId === null && <LatencyChart events={list.events} />}
            <EventTable events={list.events} replays={list.replays} selectedId={selectedId} openId={openId} compact={openId !== null} showType={showType} onOpen={open} />
            {!list.loading && list.events.length === 0 && <EmptyList filtered={hasFilters(route.filters)} info={live.info} run={live.run} />}
            {list.next && (
              <button type="button" class="more" disabled={list.loading} onClick={list.loadMore}>
                Load more
              </button>
            )}
          </section>
        }
        detail={
          openId === null ? null : (
            <EventView
              key={openId}
              id={openId}
              revision={list.openRevision}
              command={command}
              compareChoices={compareChoices}
              onClose={() => navigate({ ...route, eventId: null }, "push")}
            />
          )
        }
      />
    </div>
  );
}

/**
 * The selected row and the open event: the keys move the selection, open it, run an action on it (opening it first),
 * focus the search and close the event; the selected row is kept in view. The open event is the route's.
 */
function useSelection(list: EventList, route: Route, navigate: Navigate, searchRef: RefObject<HTMLInputElement | null>, listRef: RefObject<HTMLElement | null>) {
  const [chosenId, setChosenId] = useState<string | null>(route.eventId);
  const [command, setCommand] = useState<Command | null>(null);
  const openId = route.eventId;
  const selectedId = chosenId ?? list.events[0]?.id ?? null;

  const open = (id: string) => {
    setChosenId(id);
    if (id !== openId) navigate({ ...route, eventId: id }, "push");
  };
  useKeys({
    move: (delta) => {
      const at = list.events.findIndex((event) => event.id === selectedId);
      const next = list.events[Math.max(0, Math.min(list.events.length - 1, at < 0 ? 0 : at + delta))];
      if (next) setChosenId(next.id);
    },
    open: () => selectedId !== null && open(selectedId),
    act: (name) => {
      const id = openId ?? selectedId;
      if (id === null) return;
      open(id);
      setCommand({ name, id, n: performance.now() });
    },
    search: () => searchRef.current?.focus(),
    back: () => openId !== null && navigate({ ...route, eventId: null }, "push"),
  });
  // An event opened from its URL (a link, back, forward) is the selected one too.
  useEffect(() => {
    if (openId !== null) setChosenId(openId);
  }, [openId]);
  useEffect(() => {
    if (selectedId !== null) listRef.current?.querySelector(`tr[data-id="${CSS.escape(selectedId)}"]`)?.scrollIntoView({ block: "nearest" });
  }, [selectedId]);
  return { selectedId, openId, command, open };
}
