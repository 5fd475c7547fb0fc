import type { EventDetail, Signing } from "./api.js";
import { VerdictBadge } from "./badge.js";
import { formatSize, localDateTime } from "./format.js";

/** The facts of an event: id, when and how it arrived, its type, the verdict with its hint, the body's size and hash. */
export function EventFacts({ event, signing }: { event: EventDetail; signing: Signing | null }) {
  return (
    <dl class="facts">
      <dt>id</dt>
      <dd>
        <code>{event.id}</code>
      </dd>
      <dt>received</dt>
      <dd>
        {localDateTime(Date.parse(event.receivedAt))} via {event.via}
        {event.remoteAddress ? ` from ${event.remoteAddress}` : ""}
      </dd>
      {event.eventType !== undefined && (
        <>
          <dt>type</dt>
          <dd>{event.eventType ?? "—"}</dd>
        </>
      )}
      <dt>signature</dt>
      <dd class="verdict">
        {event.provider ?? "unknown provider"} <VerdictBadge event={event} />
        {signing?.hint && <span class="hint"> — {signing.hint}</span>}
      </dd>
      <dt>body</dt>
      <dd>
        {formatSize(event.bodySize)} <span class="muted">sha256 {event.bodySha256.slice(0, 16)}…</span>
      </dd>
    </dl>
  );
}
