import { useEffect, useState } from "preact/hooks";
import { api, type Attempt, type EventDetail, type EventSummary, type HeaderPairs } from "./api.js";
import { attemptName } from "./deliveries.js";
import { dateTimeOf, deliveryInWords, diffJson, localDateTime, textOf, verificationInWords, visible, type FieldChange } from "./format.js";

export interface CompareChoice {
  id: string;
  label: string;
}

/** A row of the Compare picker: when, what, its type when known, its verdict, and the id that tells twins apart. */
export function compareLabel(event: EventSummary): string {
  const parts = [dateTimeOf(Date.parse(event.receivedAt)), `${event.method} ${event.url}`];
  if (event.eventType) parts.push(event.eventType);
  parts.push(verificationInWords(event.verification), event.id);
  return parts.join(" · ");
}

/** Compare this event with another, or two of its delivery attempts (what was sent and the answers), field by field. */
export function Compare({ event, choices }: { event: EventDetail; choices: CompareChoice[] }) {
  const [what, setWhat] = useState<"events" | "attempts">("events");
  const [otherId, setOtherId] = useState(choices[0]?.id ?? "");
  const [other, setOther] = useState<EventDetail | null>(null);
  useEffect(() => {
    if (otherId) void api.show(otherId).then(setOther, () => setOther(null));
  }, [otherId]);
  return (
    <section class="compare" aria-label="Compare">
      <div class="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={what === "events"} onClick={() => setWhat("events")}>
          with another event
        </button>
        <button type="button" role="tab" aria-selected={what === "attempts"} disabled={event.deliveries.length < 2} onClick={() => setWhat("attempts")}>
          two delivery attempts
        </button>
      </div>
      {what === "events" ? (
        <>
          <label>
            Compare with{" "}
            <select aria-label="Event to compare with" value={otherId} onChange={(e) => setOtherId(e.currentTarget.value)}>
              {choices.map((choice) => (
                <option value={choice.id}>{choice.label}</option>
              ))}
            </select>
          </label>
          {other && <Differences before={{ headers: other.headers, body: textOf(other) }} after={{ headers: event.headers, body: textOf(event) }} />}
        </>
      ) : (
        <CompareAttempts attempts={event.deliveries} />
      )}
    </section>
  );
}

function attemptLabel(attempt: Attempt): string {
  return `${localDateTime(Date.parse(attempt.startedAt))} ${attemptName(attempt)} → ${deliveryInWords(attempt)}`;
}

function answerOf(attempt: Attempt | undefined): { headers: HeaderPairs; body: string | null } {
  if (!attempt) return { headers: [], body: null };
  return { headers: [["status", deliveryInWords(attempt)], ...attempt.responseHeaders], body: textOf({ body: attempt.responseBody ?? "", ...(attempt.responseBodyBase64 !== undefined ? { bodyBase64: attempt.responseBodyBase64 } : {}) }) };
}

/** Two attempts of one event: what each sent (when the server records it) and what the handler answered. */
function CompareAttempts({ attempts }: { attempts: Attempt[] }) {
  const last = attempts.length - 1;
  const [a, setA] = useState(Math.max(0, last - 1));
  const [b, setB] = useState(Math.max(0, last));
  // A new attempt (a replay just sent) becomes the second of the pair, the one before it the first.
  useEffect(() => {
    setA(Math.max(0, last - 1));
    setB(Math.max(0, last));
  }, [last]);
  const first = attempts[a];
  const second = attempts[b];
  const picker = (label: string, value: number, set: (n: number) => void) => (
    <select aria-label={label} value={value} onChange={(e) => set(Number(e.currentTarget.value))}>
      {attempts.map((attempt, index) => (
        <option value={index}>{attemptLabel(attempt)}</option>
      ))}
    </select>
  );
  return (
    <>
      <label>Attempt {picker("First attempt", a, setA)}</label> <label>with {picker("Second attempt", b, setB)}</label>
      {first?.request && second?.request && (
        <>
          <h4>What was sent</h4>
          <p>{first.request.bodySha256 === second.request.bodySha256 ? "The same body." : "The bodies differ."}</p>
          <HeaderChanges before={[["request", `${first.request.method} ${first.request.url}`], ...first.request.headers]} after={[["request", `${second.request.method} ${second.request.url}`], ...second.request.headers]} />
        </>
      )}
      <Differences before={answerOf(first)} after={answerOf(second)} />
    </>
  );
}

/** Field changes between two bodies: JSON-aware when both parse, else whether they are the same text. */
function bodyChanges(before: string | null, after: string | null): { changes: FieldChange[] | null; note: string } {
  try {
    return { changes: diffJson(JSON.parse(before ?? ""), JSON.parse(after ?? "")), note: "" };
  } catch {
    return { changes: null, note: before === after ? "The bodies are identical." : "The bodies are not both JSON; they differ." };
  }
}

function Differences({ before, after }: { before: { headers: HeaderPairs; body: string | null }; after: { headers: HeaderPairs; body: string | null } }) {
  const { changes, note } = bodyChanges(before.body, after.body);
  return (
    <>
      <h4>Body fields</h4>
      {note && <p>{note}</p>}
      {changes && changes.length === 0 && <p>No field differs.</p>}
      {changes && changes.length > 0 && <ChangeTable changes={changes} />}
      <h4>Headers</h4>
      <HeaderChanges before={before.headers} after={after.headers} />
    </>
  );
}

function HeaderChanges({ before, after }: { before: HeaderPairs; after: HeaderPairs }) {
  const changes = diffJson(Object.fromEntries(before), Object.fromEntries(after));
  return changes.length === 0 ? <p>No header differs.</p> : <ChangeTable changes={changes} />;
}

function ChangeTable({ changes }: { changes: FieldChange[] }) {
  return (
    <table class="changes">
      <thead>
        <tr>
          <th>field</th>
          <th>other</th>
          <th>this</th>
        </tr>
      </thead>
      <tbody>
        {changes.slice(0, 500).map((change) => (
          <tr class={`change-${change.kind}`}>
            <td>
              <code>{visible(change.path)}</code>
            </td>
            <td>{change.before === undefined ? "—" : visible(change.before)}</td>
            <td>{change.after === undefined ? "—" : visible(change.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
