import type { EventSummary } from "./api.js";
import { DeliveryStatus, VerdictBadge } from "./badge.js";
import { formatSize, shortDateTime, visible } from "./format.js";

interface Props {
  events: EventSummary[];
  replays: Record<string, number>;
  selectedId: string | null;
  openId: string | null;
  /** An event is open beside the list: each row folds to two lines, so that no column is ever cut. */
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
          {!compact && showType && <th>type</th>}
          {!compact && <th>signature</th>}
          {!compact && <th>handler</th>}
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
            {compact ? <FoldedCells event={event} replays={replays[event.id] ?? 0} showType={showType} /> : <Cells event={event} replays={replays[event.id] ?? 0} showType={showType} />}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Request({ event, replays }: { event: EventSummary; replays: number }) {
  return (
    <>
      {replays > 0 && (
        <span class="marker" title={`replayed ${replays} time${replays === 1 ? "" : "s"}`}>
          ↻{replays}
        </span>
      )}
      <b>{event.method}</b> <span class="path">{visible(event.url)}</span>
    </>
  );
}

function Handler({ event }: { event: EventSummary }) {
  return (
    <>
      <DeliveryStatus delivery={event.delivery} />
      {event.delivery && <span class="muted"> {Math.round(event.delivery.durationMs)} ms</span>}
    </>
  );
}

function Cells({ event, replays, showType }: { event: EventSummary; replays: number; showType: boolean }) {
  return (
    <>
      <td class="request" title={`${event.method} ${visible(event.url)}`}>
        <Request event={event} replays={replays} />
      </td>
      {showType && <td class="type">{event.eventType ?? "—"}</td>}
      <td class="signature">
        {event.provider && <span class="provider">{event.provider}</span>} <VerdictBadge event={event} />
      </td>
      <td class="handler">
        <Handler event={event} />
      </td>
      <td class="num muted">{formatSize(event.bodySize)}</td>
    </>
  );
}

/** Beside an open event: the request on one line (the path gives way), its type, verdict and answer wrapping below. */
function FoldedCells({ event, replays, showType }: { event: EventSummary; replays: number; showType: boolean }) {
  return (
    <td class="request">
      <div class="request-text" title={`${event.method} ${visible(event.url)}`}>
        <Request event={event} replays={replays} />
      </div>
      <div class="row-facts">
        {showType && event.eventType && <span class="type">{event.eventType}</span>}
        <VerdictBadge event={event} />
        <span class="handler">
          <Handler event={event} />
        </span>
      </div>
    </td>
  );
}
