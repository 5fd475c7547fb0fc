import { render } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, type EventPage, type EventSummary } from "./api.js";
import { LatencyChart } from "./chart.js";
import { VerdictBadge } from "./badge.js";
import { EventView } from "./event-view.js";
import { clockTime, formatSize, statusClass, statusText, visible } from "./format.js";

type Connection = "connecting" | "live" | "offline";

interface Filters {
  provider: string;
  verification: string;
  status: string;
  path: string;
  since: string;
  q: string;
}

const NO_FILTERS: Filters = { provider: "", verification: "", status: "", path: "", since: "", q: "" };
const PAGE = 100;

function paramsOf(filters: Filters, cursor: string | null): URLSearchParams {
  const params = new URLSearchParams({ limit: String(PAGE) });
  for (const [key, value] of Object.entries(filters)) if (value.trim() !== "") params.set(key, value.trim());
  if (cursor) params.set("cursor", cursor);
  return params;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

/** The first page is asked for as soon as the script runs, not after the first render. */
let firstPage: Promise<EventPage> | null = api.list(paramsOf(NO_FILTERS, null));

function App() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [events, setEvents] = useState<EventSummary[]>([]);
  const [replays, setReplays] = useState<Record<string, number>>({});
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [changes, setChanges] = useState(0);
  const [command, setCommand] = useState<{ name: "replay" | "edit"; n: number } | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  // The key handler reads the latest state through refs: effects re-register a frame late, keys don't wait.
  const stateRef = useRef({ events, selected, openId });
  stateRef.current = { events, selected, openId };

  const load = useCallback(async (current: Filters, cursor: string | null) => {
    setLoading(true);
    try {
      const prefetched = firstPage !== null && current === NO_FILTERS && cursor === null ? firstPage : null;
      firstPage = null;
      const page = await (prefetched ?? api.list(paramsOf(current, cursor)));
      if (filtersRef.current !== current) return;
      setEvents((old) => (cursor ? [...old, ...page.events] : page.events));
      setReplays((old) => (cursor ? { ...old, ...page.replays } : page.replays));
      setNext(page.next);
      setError(null);
      if (!cursor) setSelected(0);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setLoading(false);
    }
  }, []);

  // Filters reload the first page, a moment after the last keystroke; the first page loads at once.
  const firstLoad = useRef(true);
  useEffect(() => {
    const timer = setTimeout(() => void load(filters, null), firstLoad.current ? 0 : 150);
    firstLoad.current = false;
    return () => clearTimeout(timer);
  }, [filters, load]);

  // The live stream: a new or changed event goes to the top of an unfiltered list, or reloads a filtered one.
  useEffect(() => {
    const source = new EventSource("/api/stream");
    let reload: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener("open", () => setConnection("live"));
    source.addEventListener("ready", () => setConnection("live"));
    source.addEventListener("error", () => setConnection(source.readyState === EventSource.CLOSED ? "offline" : "connecting"));
    // Under a burst (thousands of events a second) the list is merged and sorted once per flush, not once per
    // event: a copy and a sort of the whole list per event made the page, on the same cores as the capture, the
    // slowest part of `listen --ui`.
    let pending = new Map<string, { event: EventSummary; replays: number }>();
    let arrived = 0;
    let flush: ReturnType<typeof setTimeout> | undefined;
    const applyPending = () => {
      flush = undefined;
      const batch = pending;
      const count = arrived;
      pending = new Map();
      arrived = 0;
      setChanges((n) => n + count);
      setReplays((old) => {
        const next = { ...old };
        for (const [id, item] of batch) next[id] = item.replays;
        return next;
      });
      setEvents((old) => {
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
      });
    };
    source.addEventListener("event", (message) => {
      const data = JSON.parse((message as MessageEvent<string>).data) as { event: EventSummary; replays: number };
      const filtered = Object.values(filtersRef.current).some((value) => value.trim() !== "");
      if (filtered) {
        setChanges((n) => n + 1);
        clearTimeout(reload);
        reload = setTimeout(() => void load(filtersRef.current, null), 300);
        return;
      }
      pending.set(data.event.id, data);
      arrived += 1;
      flush ??= setTimeout(applyPending, 100);
    });
    return () => {
      clearTimeout(reload);
      clearTimeout(flush);
      source.close();
    };
  }, [load]);

  // Keyboard: j/k or arrows move, Enter opens, r replays, e edits, / searches, Esc goes back.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const { events, selected, openId } = stateRef.current;
      if (event.key === "Escape") {
        if (isTyping(event.target)) (event.target as HTMLElement).blur();
        else if (openId && !document.querySelector("dialog[open]")) setOpenId(null);
        return;
      }
      if (isTyping(event.target) || document.querySelector("dialog[open]")) return;
      const move = (to: number) => {
        const next = Math.max(0, Math.min(to, events.length - 1));
        stateRef.current = { ...stateRef.current, selected: next };
        setSelected(next);
      };
      if (event.key === "j" || event.key === "ArrowDown") {
        event.preventDefault();
        move(selected + 1);
      } else if (event.key === "k" || event.key === "ArrowUp") {
        event.preventDefault();
        move(selected - 1);
      } else if (event.key === "Enter") {
        const chosen = events[selected];
        if (chosen && !(event.target instanceof HTMLButtonElement) && !(event.target instanceof HTMLAnchorElement)) setOpenId(chosen.id);
      } else if (event.key === "/") {
        event.preventDefault();
        searchRef.current?.focus();
      } else if (event.key === "r" || event.key === "e") {
        const chosen = events[selected];
        if (!chosen) return;
        setOpenId(chosen.id);
        setCommand({ name: event.key === "r" ? "replay" : "edit", n: Date.now() });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // A User Timing mark when the first rows are on screen (effects run after paint): what the benchmark reads.
  useEffect(() => {
    if (events.length > 0 && performance.getEntriesByName("hooktape:list-rendered").length === 0) performance.mark("hooktape:list-rendered");
  }, [events]);

  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${selected}"]`)?.scrollIntoView({ block: "nearest" });
  }, [selected]);

  const set = (key: keyof Filters) => (event: Event) => setFilters({ ...filters, [key]: (event.currentTarget as HTMLInputElement).value });
  const filtered = Object.values(filters).some((value) => value.trim() !== "");
  const compareChoices = useMemo(() => events.slice(0, 200).map((event) => ({ id: event.id, label: `${clockTime(event.receivedAt)} ${event.method} ${event.url}` })), [events]);

  return (
    <div class={`app${openId ? " app-open" : ""}`}>
      <header class="topbar">
        <h1>hooktape</h1>
        <span class={`connection connection-${connection}`} role="status" aria-live="polite">
          {connection === "live" ? "● live" : connection === "connecting" ? "◌ connecting…" : "○ offline"}
        </span>
        <span class="muted" data-testid="changes">{changes > 0 ? `${changes} update${changes === 1 ? "" : "s"}` : ""}</span>
      </header>
      <form class="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <input ref={searchRef} type="search" aria-label="Search path, headers and body" placeholder="Search path, headers, body  ( / )" value={filters.q} onInput={set("q")} />
        <input aria-label="Provider" placeholder="provider" value={filters.provider} onInput={set("provider")} size={9} />
        <select aria-label="Verification" value={filters.verification} onChange={set("verification")}>
          <option value="">any signature</option>
          <option value="valid">valid</option>
          <option value="invalid">invalid</option>
          <option value="missing">missing</option>
          <option value="unverified">unverified</option>
        </select>
        <select aria-label="Status" value={filters.status} onChange={set("status")}>
          <option value="">any status</option>
          <option value="2xx">2xx</option>
          <option value="4xx">4xx</option>
          <option value="5xx">5xx</option>
          <option value="failed">failed</option>
        </select>
        <input aria-label="Path glob" placeholder="/path/**" value={filters.path} onInput={set("path")} size={10} />
        <input aria-label="Since" placeholder="since (1h)" value={filters.since} onInput={set("since")} size={7} />
        {filtered && (
          <button type="button" onClick={() => setFilters(NO_FILTERS)}>
            Clear filters
          </button>
        )}
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <main class="panes">
        <section class="list" aria-label="Events" ref={listRef}>
          <LatencyChart events={events} />
          <table>
            <thead>
              <tr>
                <th>time</th>
                <th>request</th>
                <th>signature</th>
                <th>handler</th>
                <th class="num">size</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event, index) => (
                <tr
                  key={event.id}
                  data-index={index}
                  data-id={event.id}
                  class={`row${index === selected ? " selected" : ""}${event.id === openId ? " open" : ""}`}
                  aria-selected={index === selected}
                  onClick={() => {
                    setSelected(index);
                    setOpenId(event.id);
                  }}
                >
                  <td class="muted">{clockTime(event.receivedAt)}</td>
                  <td class="request">
                    <b>{event.method}</b> {visible(event.url)}
                    {(replays[event.id] ?? 0) > 0 && (
                      <span class="marker" title="replayed">
                        ↻{replays[event.id]}
                      </span>
                    )}
                  </td>
                  <td>
                    {event.provider && <span class="provider">{event.provider}</span>} <VerdictBadge event={event} />
                  </td>
                  <td>
                    <span class={statusClass(event.delivery)}>{statusText(event.delivery)}</span>
                    {event.delivery && <span class="muted"> {Math.round(event.delivery.durationMs)} ms</span>}
                  </td>
                  <td class="num muted">{formatSize(event.bodySize)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!loading && events.length === 0 && (
            <p class="empty">{filtered ? "No events match these filters." : "No events yet. Send a webhook to the capture URL; it shows up here at once."}</p>
          )}
          {next && (
            <button type="button" class="more" disabled={loading} onClick={() => void load(filters, next)}>
              Load more
            </button>
          )}
        </section>
        {openId && (
          <EventView
            key={openId}
            id={openId}
            changes={changes}
            command={command}
            compareChoices={compareChoices}
            onClose={() => setOpenId(null)}
          />
        )}
      </main>
    </div>
  );
}

const root = document.getElementById("app");
if (root) render(<App />, root);
