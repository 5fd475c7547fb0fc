import { useEffect, useRef, useState } from "preact/hooks";
import { BodyView } from "./body-view.js";
import { Compare, type CompareChoice } from "./compare.js";
import { Deliveries } from "./deliveries.js";
import { EditDialog } from "./edit-dialog.js";
import { EventActions } from "./event-actions.js";
import { EventFacts } from "./event-facts.js";
import { visible } from "./format.js";
import { HeaderTable } from "./header-table.js";
import { ReplayOptionsForm, replayOptionsOf, useReplayChoices } from "./replay-options.js";
import { useEventDetail } from "./use-event-detail.js";

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

/** The open event: what arrived, the verdict, the actions, the body, and every delivery with the handler's answer. */
export function EventView({ id, revision, command, compareChoices, onClose }: Props) {
  const detail = useEventDetail(id, revision);
  const [choices, setChoice] = useReplayChoices();
  const [editing, setEditing] = useState(false);
  const [comparing, setComparing] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const event = detail.event;
  const replay = () => void detail.replay(replayOptionsOf(choices));

  useEffect(() => {
    if (event !== null) headingRef.current?.focus();
  }, [event === null]);
  useEffect(() => {
    if (!command || command.id !== id || command.n <= handledCommand) return;
    handledCommand = command.n;
    if (command.name === "replay") replay();
    else setEditing(true);
  }, [command?.n]);

  if (!event) {
    return (
      <section class="detail" aria-label="Event">
        {detail.error ? <p class="error" role="alert">{detail.error}</p> : <p class="muted">Loading…</p>}
      </section>
    );
  }
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
      <EventFacts event={event} signing={detail.signing} />
      <EventActions event={event} detail={detail} to={choices.to} comparing={comparing} onReplay={replay} onEdit={() => setEditing(true)} onCompare={() => setComparing(!comparing)} />
      <ReplayOptionsForm choices={choices} set={setChoice} target={event.target} />
      {comparing && <Compare event={event} choices={compareChoices.filter((choice) => choice.id !== event.id)} />}
      <h3>Headers</h3>
      <HeaderTable headers={event.headers} label="Headers" />
      <BodyView event={event} />
      <Deliveries event={event} />
      {editing && (
        <EditDialog
          event={event}
          signing={detail.signing}
          options={replayOptionsOf(choices)}
          onClose={() => setEditing(false)}
          onSent={(sent) => {
            detail.sent(sent);
            setEditing(false);
          }}
        />
      )}
    </section>
  );
}
