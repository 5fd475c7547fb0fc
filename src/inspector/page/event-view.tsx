import { useEffect, useRef, useState } from "preact/hooks";
import { api, download, type EventDetail, type ReplayOptions, type ReplayResult, type Signing } from "./api.js";
import { BodyView } from "./body-view.js";
import { Compare, type CompareChoice } from "./compare.js";
import { Deliveries } from "./deliveries.js";
import { EditDialog } from "./edit-dialog.js";
import { EventFacts } from "./event-facts.js";
import { deliveryInWords, visible } from "./format.js";
import { HeaderTable } from "./header-table.js";
import { ReplayOptionsForm, replayOptionsOf, useReplayChoices } from "./replay-options.js";

/** A keyboard command for one event, by id: it acts on that event whatever the list shows by then. */
export interface Command {
  name: "replay" | "edit";
  id: string;
  n: number;
}

interface Props {
  id: string;
  /** Moves when the stream reports a change of this event (a new delivery attempt). */
  revision: number;
  command: Command | null;
  compareChoices: CompareChoice[];
  onClose(): void;
}

/** Keyboard commands already carried out, so that opening the event again doesn't repeat one. */
let handledCommand = 0;

function message(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}

/** The open event: what arrived, the verdict, the actions, the body, and every delivery with the handler's answer. */
export function EventView({ id, revision, command, compareChoices, onClose }: Props) {
  const [event, setEvent] = useState<EventDetail | null>(null);
  const [signing, setSigning] = useState<Signing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [choices, setChoice] = useReplayChoices();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [editing, setEditing] = useState(false);
  const [comparing, setComparing] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    api.show(id).then(
      (detail) => live && setEvent(detail),
      (failure: unknown) => live && setError(message(failure)),
    );
    return () => {
      live = false;
    };
  }, [id, revision]);
  useEffect(() => {
    void api.signing(id).then(setSigning, () => setSigning(null));
  }, [id]);
  useEffect(() => {
    if (event !== null) headingRef.current?.focus();
  }, [event === null]);

  const replay = async (extra: ReplayOptions = {}) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.post<ReplayResult>(id, "replay", { ...replayOptionsOf(choices), ...extra }));
      setEvent(await api.show(id));
    } catch (failure) {
      setError(message(failure));
    } finally {
      setBusy(false);
    }
  };
  const act = (work: () => Promise<void>, done: string) => () =>
    void work().then(
      () => setNotice(done),
      (failure: unknown) => setError(message(failure)),
    );
  const copyCurl = act(async () => navigator.clipboard.writeText(await api.curl(id, choices.to.trim())), "Copied a curl command (credentials redacted).");
  const exportFixture = act(() => download(`/api/events/${encodeURIComponent(id)}/fixture?download=1`, `${id}.json`), "Saved the fixture.");

  useEffect(() => {
    if (!command || command.id !== id || command.n <= handledCommand) return;
    handledCommand = command.n;
    if (command.name === "replay") void replay();
    else setEditing(true);
  }, [command?.n]);

  if (!event) {
    return (
      <section class="detail" aria-label="Event">
        {error ? <p class="error" role="alert">{error}</p> : <p class="muted">Loading…</p>}
      </section>
    );
  }
  const rejected = !!event.rejected;
  return (
    <section class="detail" aria-label="Event" data-event-id={event.id}>
      <div class="detail-head">
        <h2 tabIndex={-1} ref={headingRef} class="request-line">
          <b>{event.method}</b> {visible(event.url)}
        </h2>
        <button type="button" class="close" aria-label="Back to the list" onClick={onClose}>
          ✕
        </button>
      </div>
      <EventFacts event={event} signing={signing} />
      <div class="actions" role="group" aria-label="Actions">
        <button type="button" onClick={() => void replay()} disabled={busy || rejected}>
          Replay
        </button>
        <button type="button" onClick={() => setEditing(true)} disabled={rejected}>
          Edit and replay
        </button>
        <button type="button" onClick={copyCurl} disabled={rejected}>
          Copy as curl
        </button>
        <button type="button" onClick={exportFixture} disabled={rejected}>
          Export fixture
        </button>
        <button type="button" onClick={() => setComparing(!comparing)} aria-expanded={comparing}>
          Compare
        </button>
      </div>
      <ReplayOptionsForm choices={choices} set={setChoice} target={event.target} />
      {busy && <p class="muted">Sending…</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {notice && <p class="notice" role="status">{notice}</p>}
      {result && (
        <p class={result.passed ? "notice" : "error"} role="status" data-testid="replay-result">
          Replayed: {result.attempts.map((attempt) => deliveryInWords(attempt)).join(", ")}
        </p>
      )}
      {comparing && <Compare event={event} choices={compareChoices.filter((choice) => choice.id !== event.id)} />}
      <h3>Headers</h3>
      <HeaderTable headers={event.headers} label="Headers" />
      <BodyView event={event} />
      <Deliveries event={event} />
      {editing && (
        <EditDialog
          event={event}
          signing={signing}
          options={replayOptionsOf(choices)}
          onClose={() => setEditing(false)}
          onSent={(sent) => {
            setResult(sent);
            setEditing(false);
            void api.show(id).then(setEvent);
          }}
        />
      )}
    </section>
  );
}
