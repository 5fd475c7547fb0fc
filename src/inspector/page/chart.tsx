import type { EventSummary } from "./api.js";

/** The handler's latency and status over the events in view, oldest left: a slow or failing handler shows at a glance. */
export function LatencyChart({ events }: { events: EventSummary[] }) {
  const shown = events.filter((event) => event.delivery !== null).slice(0, 120).reverse();
  if (shown.length < 2) return null;
  const max = Math.max(1, ...shown.map((event) => event.delivery?.durationMs ?? 0));
  const width = 600;
  const height = 48;
  const step = width / shown.length;
  return (
    <figure class="chart" aria-label={`Handler latency of the last ${shown.length} deliveries, up to ${Math.round(max)} ms`}>
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img">
        {shown.map((event, i) => {
          const delivery = event.delivery;
          const h = Math.max(2, ((delivery?.durationMs ?? 0) / max) * (height - 2));
          const kind = delivery?.status == null ? "failed" : delivery.status < 300 ? "ok" : delivery.status < 500 ? "warn" : "failed";
          return (
            <rect class={`bar bar-${kind}`} x={i * step + 0.5} y={height - h} width={Math.max(1, step - 1)} height={h}>
              <title>{`${event.method} ${event.url}: ${delivery?.status ?? delivery?.error ?? "—"} in ${Math.round(delivery?.durationMs ?? 0)} ms`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption class="muted">latency, last {shown.length} deliveries (max {Math.round(max)} ms)</figcaption>
    </figure>
  );
}
