import { api, download, type EventDetail } from "./api.js";
import { deliveryInWords } from "./format.js";
import type { EventDetailState } from "./use-event-detail.js";

/** The actions on an event, as real buttons with plain names, and what came of the last one. */
export function EventActions(props: { event: EventDetail; detail: EventDetailState; to: string; comparing: boolean; onReplay(): void; onEdit(): void; onCompare(): void }) {
  const { event, detail } = props;
  const id = event.id;
  const rejected = !!event.rejected;
  const copyCurl = () => detail.act(async () => navigator.clipboard.writeText(await api.curl(id, props.to.trim())), "Copied a curl command (credentials redacted).");
  const exportFixture = () => detail.act(() => download(`/api/events/${encodeURIComponent(id)}/fixture?download=1`, `${id}.json`), "Saved the fixture.");
  return (
    <>
      <div class="actions" role="group" aria-label="Actions">
        <button type="button" onClick={props.onReplay} disabled={detail.busy || rejected}>
          Replay
        </button>
        <button type="button" onClick={props.onEdit} disabled={rejected}>
          Edit and replay
        </button>
        <button type="button" onClick={copyCurl} disabled={rejected}>
          Copy as curl
        </button>
        <button type="button" onClick={exportFixture} disabled={rejected}>
          Export fixture
        </button>
        <button type="button" onClick={props.onCompare} aria-expanded={props.comparing}>
          Compare
        </button>
      </div>
      {detail.busy && <p class="muted">Sending…</p>}
      {detail.error && (
        <p class="error" role="alert">
          {detail.error}
        </p>
      )}
      {detail.notice && <p class="notice" role="status">{detail.notice}</p>}
      {detail.result && (
        <p class={detail.result.passed ? "notice" : "error"} role="status" data-testid="replay-result">
          Replayed: {detail.result.attempts.map((attempt) => deliveryInWords(attempt)).join(", ")}
        </p>
      )}
    </>
  );
}
