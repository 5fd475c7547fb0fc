import type { InspectorInfo, RunStatus } from "./api.js";
import { dateTimeOf } from "./format.js";

/** No token in this tab, or not this inspector's: say how to get in, never a bare 401. */
export function Locked() {
  return (
    <main class="locked">
      <h1>hooktape inspector</h1>
      <p role="alert">This tab has no access to this inspector.</p>
      <p>
        Open the URL hooktape printed (it ends in <code>#t=…</code>). <code>hooktape ui --new-token</code> replaces the token, which locks out tabs
        opened with the old one.
      </p>
    </main>
  );
}

/** An empty list: where to send a webhook, or — for a store with nothing in it — where events were recorded lately. */
export function EmptyList({ filtered, info, run }: { filtered: boolean; info: InspectorInfo | null; run: RunStatus | null }) {
  if (filtered) return <p class="empty">No events match these filters.</p>;
  // Under `hooktape ui` (no run in this process) an empty store may be the wrong one: say where events were.
  const recent = run === null ? (info?.recentStores ?? []) : [];
  return (
    <div class="empty">
      <p>
        No events yet{info ? <> in <code>{info.db}</code></> : ""}.{" "}
        {run ? <>Send a webhook to {run.publicUrl ?? run.captureUrl}; it shows up here at once.</> : "Events that a `hooktape listen` on this store records show up here at once."}
      </p>
      {recent.length > 0 && (
        <>
          <p>Stores used recently:</p>
          <ul class="recent-stores" aria-label="Stores used recently">
            {recent.map((store) => (
              <li key={store.path}>
                <code>{store.path}</code> <span class="muted">{dateTimeOf(Date.parse(store.usedAt))}</span>
              </li>
            ))}
          </ul>
          <p class="muted">
            Open one with <code>hooktape ui --db &lt;path&gt;</code>.
          </p>
        </>
      )}
    </div>
  );
}
