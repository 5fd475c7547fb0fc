import type { RunStatus } from "./api.js";
import type { Connection } from "./live-stream.js";

const CONNECTION_WORDS: Record<Connection, string> = {
  connecting: "◌ connecting…",
  live: "● live",
  offline: "○ offline — reconnecting…",
  locked: "○ locked out",
};

function tunnelWords(run: RunStatus): string {
  const { state, note } = run.tunnel;
  if (state === "up") return "tunnel up";
  if (state === "down") return `tunnel down${note ? `: ${note}` : ""}`;
  if (state === "failed") return "no tunnel: it did not start";
  return "no tunnel (--no-tunnel)";
}

/** Where am I: the connection, and the run this page belongs to — capture URL, public URL and tunnel, target, store. */
export function TopBar({ connection, run, db, changes }: { connection: Connection; run: RunStatus | null; db: string | null; changes: number }) {
  return (
    <header class="topbar">
      <h1>hooktape</h1>
      <span class={`connection connection-${connection}`} role="status" aria-live="polite" data-testid="connection">
        {CONNECTION_WORDS[connection]}
      </span>
      <dl class="where" aria-label="Where this inspector is">
        {run ? (
          <>
            <dt>capture</dt>
            <dd data-testid="capture-url">{run.captureUrl}</dd>
            <dt>public</dt>
            <dd data-testid="public-url">
              {run.publicUrl ?? "—"} <span class={`tunnel tunnel-${run.tunnel.state}`} data-testid="tunnel">{tunnelWords(run)}</span>
            </dd>
            <dt>forward</dt>
            <dd data-testid="target">{run.target ?? "nowhere (capture only)"}</dd>
          </>
        ) : (
          <>
            <dt>capture</dt>
            <dd class="muted" data-testid="capture-url">
              not in this process (hooktape ui)
            </dd>
          </>
        )}
        <dt>store</dt>
        <dd data-testid="store">{db ?? "…"}</dd>
      </dl>
      <span class="muted" data-testid="changes">{changes > 0 ? `${changes} update${changes === 1 ? "" : "s"}` : ""}</span>
    </header>
  );
}
