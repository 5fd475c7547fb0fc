import { useState } from "preact/hooks";
import { fetchText, type Attempt, type EventDetail, type SentRequest } from "./api.js";
import { DeliveryStatus } from "./badge.js";
import { deliveryErrorInWords, formatSize, localDateTime, responseText, visible } from "./format.js";
import { HeaderTable } from "./header-table.js";

/** Where the body the `index`th attempt (0-based, in the event's order) sent is served, when it is not the event's own. */
export function sentBodyPath(eventId: string, index: number): string {
  return `/api/events/${encodeURIComponent(eventId)}/deliveries/${index + 1}/body`;
}

/** `replay #3` (numbered among the event's replays, where the server counts them), else the attempt within its delivery. */
export function attemptName(attempt: Attempt): string {
  return `${attempt.kind} #${attempt.number ?? attempt.attempt}${attempt.number !== undefined && attempt.attempt > 1 ? ` (retry ${attempt.attempt - 1})` : ""}`;
}

/** Every delivery attempt, oldest first; the latest one's answer open, so the handler's response is in view. */
export function Deliveries({ event }: { event: EventDetail }) {
  const last = event.deliveries.length - 1;
  return (
    <>
      <h3>Deliveries ({event.deliveries.length})</h3>
      <ol class="timeline" aria-label="Deliveries">
        {event.deliveries.length === 0 && <li class="muted">none</li>}
        {event.deliveries.map((attempt, index) => (
          <AttemptItem key={`${attempt.deliveryId}-${attempt.attempt}-${index}`} event={event} attempt={attempt} index={index} latest={index === last} />
        ))}
      </ol>
    </>
  );
}

function AttemptItem({ event, attempt, index, latest }: { event: EventDetail; attempt: Attempt; index: number; latest: boolean }) {
  return (
    <li data-kind={attempt.kind} data-latest={latest ? "true" : undefined}>
      <div>
        <span class="muted">{localDateTime(Date.parse(attempt.startedAt))}</span> <b>{attemptName(attempt)}</b> → {visible(attempt.target)}{" "}
        <DeliveryStatus delivery={attempt} /> <span class="muted">{Math.round(attempt.durationMs)} ms</span>
      </div>
      {attempt.status === null && <p class="attempt-error">{deliveryErrorInWords(attempt.error)}</p>}
      <details class="response" open={latest}>
        <summary>{latest ? "the handler's answer" : "answer"} ({formatSize(attempt.responseSize)})</summary>
        <HeaderTable headers={attempt.responseHeaders} label="Response headers" />
        <pre class="body" data-testid={latest ? "latest-response" : undefined}>
          {responseText(attempt)}
        </pre>
      </details>
      {attempt.request && (
        <details class="sent">
          <summary>what was sent</summary>
          <SentRequestView eventId={event.id} index={index} request={attempt.request} />
        </details>
      )}
    </li>
  );
}

/** The request an attempt sent, as recorded: its body is the event's own unless it was changed (then fetched on request). */
function SentRequestView({ eventId, index, request }: { eventId: string; index: number; request: SentRequest }) {
  const [body, setBody] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    fetchText(sentBodyPath(eventId, index)).then(
      (text) => setBody(text ?? "(binary)"),
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
  return (
    <div class="sent-request">
      <p class="request-line">
        <b>{request.method}</b> {visible(request.url)}
      </p>
      <HeaderTable headers={request.headers} label="Sent headers" />
      {!request.bodyChanged ? (
        <p class="muted">The event's own body (sha256 {request.bodySha256.slice(0, 16)}…).</p>
      ) : body === undefined ? (
        <button type="button" onClick={() => void load()}>
          Show the body it sent
        </button>
      ) : (
        <pre class="body">{body}</pre>
      )}
      {error && <p class="error">{error}</p>}
    </div>
  );
}
