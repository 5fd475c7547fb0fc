import type { EventSummary } from "./api.js";
import { DeliveryStatus, VerdictBadge } from "./badge.js";
import { formatSize, shortDateTime, visible } from "./format.js";

interface Props {
  events: EventSummary[];
  replays: Record<string, number>;
  selectedId: string | null;
  openId: string | null;
  /** An event is open beside the list: the list keeps its essential columns whole, and the path gives way. */
  compact: boolean;
  showType: boolean;
  onOpen(id: string): void;
}

/** The list: time (with the date when not today), request, type, verdict, the handler's answer, size. */
export function EventTable({ events, replays, selectedId, openId, compact, showType, onOpen }: Props) {
  const now = Date.now();
  return (
    <table class={`events${compact ? " compact" : ""}`}>
      <thead>
        <tr>
          <th>time</th>
          <th class="request">request</th>
          {showType && <th>type</th>}
          <th>signature</th>
          <th>handler</th>
          {!compact && <th class="num">size</th>}
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr
            key={event.id}
            data-id={event.id}
            class={`row${event.id === selectedId ? " selected" : ""}${event.id === openId ? " open" : ""}`}
            aria-selected={event.id === selectedId}
            onClick={() => onOpen(event.id)}
          >
            <td class="muted time">{shortDateTime(Date.parse(event.receivedAt), now)}</td>
            <td class="request" title={`${event.method} ${visible(event.url)}`}>
              {(replays[event.id] ?? 0) > 0 && (
                <span class="marker" title={`replayed ${replays[event.id]} time${replays[event.id] === 1 ? "" : "s"}`}>
                  ↻{replays[event.id]}
                </span>
              )}
              <b>{event.method}</b> <span class="path">{visible(event.url)}</span>
            </td>
            {showType && <td class="type">{event.eventType ?? "—"}</td>}
            <td class="signature">
              {event.provider && <span class="provider">{event.provider}</span>} <VerdictBadge event={event} />
            </td>
            <td class="handler">
              <DeliveryStatus delivery={event.delivery} />
              {event.delivery && <span class="muted"> {Math.round(event.delivery.durationMs)} ms</span>}
            </td>
            {!compact && <td class="num muted">{formatSize(event.bodySize)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
