import { useEffect, useRef, useState } from "preact/hooks";
import { api, type EventDetail, type HeaderPairs, type Preview, type ReplayOptions, type ReplayResult, type Signing } from "./api.js";
import { bytesOf, clockTime, diffJson, formatSize, hexDump, prettyJson, statusClass, statusText, visible, type FieldChange } from "./format.js";
import { VerdictBadge } from "./badge.js";

type BodyMode = "pretty" | "raw" | "hex";

interface Props {
  id: string;
  /** Bumped by the stream: a new delivery attempt may have arrived. */
  changes: number;
  command: { name: "replay" | "edit"; n: number } | null;
  compareChoices: Array<{ id: string; label: string }>;
  onClose(): void;
}

const SHOWN_CHARS = 256 * 1024;

/** Keyboard commands already carried out (r / e), so that opening another event doesn't repeat one. */
let handledCommand = 0;

function textOf(doc: { body?: string | null; bodyBase64?: string }): string | null {
  return doc.bodyBase64 !== undefined ? null : (doc.body ?? "");
}

function download(href: string): void {
  const link = document.createElement("a");
  link.href = href;
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
}

export function EventView({ id, changes, command, compareChoices, onClose }: Props) {
  const [event, setEvent] = useState<EventDetail | null>(null);
  const [signing, setSigning] = useState<Signing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [mode, setMode] = useState<BodyMode>("pretty");
  const [to, setTo] = useState("");
  const [times, setTimes] = useState("1");
  const [concurrency, setConcurrency] = useState("1");
  const [tamper, setTamper] = useState("");
  const [stale, setStale] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [editing, setEditing] = useState(false);
  const [comparing, setComparing] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    api.show(id).then(
      (detail) => live && setEvent(detail),
      (failure: unknown) => live && setError(String(failure instanceof Error ? failure.message : failure)),
    );
    return () => {
      live = false;
    };
  }, [id, changes]);

  useEffect(() => {
    void api.signing(id).then(setSigning, () => setSigning(null));
    headingRef.current?.focus();
  }, [id]);

  const options = (): ReplayOptions => {
    const chosen: ReplayOptions = {};
    if (to.trim()) chosen.to = to.trim();
    if (Number(times) > 1) chosen.times = Number(times);
    if (Number(concurrency) > 1) chosen.concurrency = Number(concurrency);
    if (tamper) chosen.tamper = tamper as NonNullable<ReplayOptions["tamper"]>;
    if (stale.trim()) chosen.stale = stale.trim();
    return chosen;
  };

  const replay = async (extra: ReplayOptions = {}) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.post<ReplayResult>(id, "replay", { ...options(), ...extra }));
      setEvent(await api.show(id));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (!command || command.n <= handledCommand) return;
    handledCommand = command.n;
    if (command.name === "replay") void replay();
    else setEditing(true);
  }, [command?.n]);

  const copyCurl = async () => {
    try {
      const text = await api.curl(id, to.trim());
      await navigator.clipboard.writeText(text);
      setNotice("Copied a curl command (credentials redacted).");
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  if (!event) {
    return (
      <section class="detail" aria-label="Event">
        {error ? <p class="error" role="alert">{error}</p> : <p class="muted">Loading…</p>}
      </section>
    );
  }

  const bytes = bytesOf(event);
  const text = textOf(event);
  const pretty = text === null ? null : prettyJson(text);
  const shownMode: BodyMode = text === null ? "hex" : mode === "pretty" && pretty === null ? "raw" : mode;
  // Control characters (a terminal escape in a body) show as \x1b text; pretty JSON already escapes them.
  const bodyFull = event.rejected ? "(not recorded: the body was too large)" : shownMode === "hex" ? hexDump(bytes) : shownMode === "pretty" ? (pretty ?? "") : visible(text ?? "");
  // A body of megabytes stays quick to open: the first part is shown, the rest on request (or as /body).
  const bodyShown = showAll || bodyFull.length <= SHOWN_CHARS ? bodyFull : bodyFull.slice(0, SHOWN_CHARS);

  return (
    <section class="detail" aria-label="Event">
      <div class="detail-head">
        <h2 tabIndex={-1} ref={headingRef} class="request-line">
          <b>{event.method}</b> {visible(event.url)}
        </h2>
        <button type="button" class="close" aria-label="Back to the list" onClick={onClose}>
          ✕
        </button>
      </div>
      <dl class="facts">
        <dt>id</dt>
        <dd><code>{event.id}</code></dd>
        <dt>received</dt>
        <dd>
          {new Date(event.receivedAt).toLocaleString()} via {event.via}
          {event.remoteAddress ? ` from ${event.remoteAddress}` : ""}
        </dd>
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

      <div class="actions" role="group" aria-label="Actions">
        <button type="button" onClick={() => void replay()} disabled={busy || !!event.rejected}>
          Replay
        </button>
        <button type="button" onClick={() => setEditing(true)} disabled={!!event.rejected}>
          Edit and replay
        </button>
        <button type="button" onClick={() => void copyCurl()} disabled={!!event.rejected}>
          Copy as curl
        </button>
        <button type="button" onClick={() => download(`/api/events/${encodeURIComponent(id)}/fixture?download=1`)} disabled={!!event.rejected}>
          Export fixture
        </button>
        <button type="button" onClick={() => setComparing(!comparing)} aria-expanded={comparing}>
          Compare
        </button>
      </div>
      <details class="replay-options">
        <summary>Replay options</summary>
        <label>
          to <input value={to} onInput={(e) => setTo(e.currentTarget.value)} placeholder={event.target ?? "3000 or http://localhost:3000/hook"} />
        </label>
        <label>
          times <input type="number" min={1} max={1000} value={times} onInput={(e) => setTimes(e.currentTarget.value)} />
        </label>
        <label>
          concurrency <input type="number" min={1} max={64} value={concurrency} onInput={(e) => setConcurrency(e.currentTarget.value)} />
        </label>
        <label>
          tamper
          <select value={tamper} onChange={(e) => setTamper(e.currentTarget.value)}>
            <option value="">nothing</option>
            <option value="signature">signature</option>
            <option value="body">body</option>
            <option value="timestamp">timestamp</option>
          </select>
        </label>
        <label>
          stale <input value={stale} onInput={(e) => setStale(e.currentTarget.value)} placeholder="10m" size={5} />
        </label>
      </details>
      {busy && <p class="muted">Sending…</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {notice && <p class="notice" role="status">{notice}</p>}
      {result && (
        <p class={result.passed ? "notice" : "error"} role="status" data-testid="replay-result">
          Replayed: {result.attempts.map((a) => statusText(a)).join(", ")}
        </p>
      )}

      {comparing && <Compare event={event} choices={compareChoices.filter((choice) => choice.id !== event.id)} />}

      <h3>Headers</h3>
      <table class="headers" aria-label="Headers">
        <tbody>
          {event.headers.map(([name, value], index) => (
            <tr key={index}>
              <th scope="row">{visible(name)}</th>
              <td>{visible(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>
        Body
        <span class="tabs" role="tablist">
          {(["pretty", "raw", "hex"] as const).map((name) => (
            <button
              type="button"
              role="tab"
              aria-selected={shownMode === name}
              disabled={(name !== "hex" && text === null) || (name === "pretty" && pretty === null)}
              onClick={() => setMode(name)}
            >
              {name}
            </button>
          ))}
        </span>
      </h3>
      <pre class="body" data-testid="body" data-mode={shownMode}>
        {bodyShown}
      </pre>
      {bodyShown.length < bodyFull.length && (
        <p class="muted">
          Showing the first {formatSize(SHOWN_CHARS)} of {formatSize(bodyFull.length)}.{" "}
          <button type="button" onClick={() => setShowAll(true)}>
            Show all
          </button>{" "}
          <a href={`/api/events/${encodeURIComponent(id)}/body`} download>
            Download the body
          </a>
        </p>
      )}

      <h3>Deliveries ({event.deliveries.length})</h3>
      <ol class="timeline" aria-label="Deliveries">
        {event.deliveries.length === 0 && <li class="muted">none</li>}
        {event.deliveries.map((attempt, index) => (
          <li key={index} data-kind={attempt.kind}>
            <div>
              <span class="muted">{clockTime(attempt.startedAt)}</span> <b>{attempt.kind}</b> #{attempt.attempt} → {visible(attempt.target)}{" "}
              <span class={statusClass(attempt)}>{statusText(attempt)}</span> <span class="muted">{Math.round(attempt.durationMs)} ms</span>
            </div>
            <details>
              <summary>response ({formatSize(attempt.responseSize)})</summary>
              <table class="headers">
                <tbody>
                  {attempt.responseHeaders.map(([name, value], i) => (
                    <tr key={i}>
                      <th scope="row">{visible(name)}</th>
                      <td>{visible(value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <pre class="body">{textOf({ body: attempt.responseBody ?? "", ...(attempt.responseBodyBase64 !== undefined ? { bodyBase64: attempt.responseBodyBase64 } : {}) }) ?? hexDump(bytesOf({ bodyBase64: attempt.responseBodyBase64 ?? "" }))}</pre>
            </details>
          </li>
        ))}
      </ol>

      {editing && (
        <EditDialog
          event={event}
          signing={signing}
          options={options()}
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

function headerLines(headers: HeaderPairs): string {
  return headers.map(([name, value]) => `${name}: ${value}`).join("\n");
}

/** The edits between the captured headers and the edited text: headers to set, and names to drop. */
function headerEdits(original: HeaderPairs, text: string): { headers: string[]; dropHeaders: string[] } {
  const edited = text
    .split("\n")
    .map((line) => line.replace(/\r$/, ""))
    .filter((line) => line.trim() !== "");
  const before = new Set(original.map(([name, value]) => `${name}: ${value}`));
  const names = new Set(edited.map((line) => line.slice(0, Math.max(0, line.indexOf(":"))).trim().toLowerCase()));
  return {
    headers: edited.filter((line) => !before.has(line)),
    dropHeaders: [...new Set(original.map(([name]) => name.toLowerCase()).filter((name) => !names.has(name)))],
  };
}

function EditDialog(props: {
  event: EventDetail;
  signing: Signing | null;
  options: ReplayOptions;
  onClose(): void;
  onSent(result: ReplayResult): void;
}) {
  const { event, signing } = props;
  const original = textOf(event) ?? "";
  const [body, setBody] = useState(original);
  const [headers, setHeaders] = useState(headerLines(event.headers));
  const [resign, setResign] = useState(signing?.canResign ?? false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    dialogRef.current?.showModal();
  }, []);

  const request = (): ReplayOptions => ({
    ...props.options,
    ...headerEdits(event.headers, headers),
    ...(body !== original ? { body } : {}),
    resign,
  });

  const run = async (action: "preview" | "replay") => {
    setBusy(true);
    setError(null);
    try {
      if (action === "preview") setPreview(await api.post<Preview>(event.id, "preview", request()));
      else props.onSent(await api.post<ReplayResult>(event.id, "replay", request()));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialogRef} class="edit" aria-label="Edit and replay" onClose={props.onClose} onCancel={props.onClose}>
      <h2>Edit and replay</h2>
      <label for="edit-headers">Headers (one per line)</label>
      <textarea id="edit-headers" rows={6} spellcheck={false} value={headers} onInput={(e) => setHeaders(e.currentTarget.value)} />
      <label for="edit-body">Body (raw text, sent as typed)</label>
      <textarea id="edit-body" rows={12} spellcheck={false} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
      <label class="check">
        <input type="checkbox" checked={resign} disabled={!signing?.canResign} onChange={(e) => setResign(e.currentTarget.checked)} /> Re-sign with the
        current time
      </label>
      {signing && !signing.canResign && (
        <p class="warn">
          hooktape has no secret for {signing.provider ?? "this event's provider"}: an edited body goes out with the captured signature, which will not
          match. Start hooktape with --secret to re-sign.
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <pre class="body preview" aria-label="Preview" data-testid="preview">
          {`${preview.method} ${preview.url}\n${preview.headers.map(([n, v]) => `${visible(n)}: ${visible(v)}`).join("\n")}\n\n${preview.body ?? `(binary, base64) ${preview.bodyBase64 ?? ""}`}`}
        </pre>
      )}
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => void run("preview")}>
          Preview
        </button>
        <button type="button" class="primary" disabled={busy} onClick={() => void run("replay")}>
          Send
        </button>
        <button type="button" onClick={() => dialogRef.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
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
  const headerChanges = diffJson(Object.fromEntries(before.headers), Object.fromEntries(after.headers));
  return (
    <>
      <h4>Body fields</h4>
      {note && <p>{note}</p>}
      {changes && changes.length === 0 && <p>No field differs.</p>}
      {changes && changes.length > 0 && <ChangeTable changes={changes} />}
      <h4>Headers</h4>
      {headerChanges.length === 0 ? <p>No header differs.</p> : <ChangeTable changes={headerChanges} />}
    </>
  );
}

/** Compare this event with another, or two of its delivery attempts (the handler's answers), field by field. */
function Compare({ event, choices }: { event: EventDetail; choices: Array<{ id: string; label: string }> }) {
  const [what, setWhat] = useState<"events" | "attempts">("events");
  const [otherId, setOtherId] = useState(choices[0]?.id ?? "");
  const [other, setOther] = useState<EventDetail | null>(null);
  const last = event.deliveries.length - 1;
  const [attemptA, setAttemptA] = useState(Math.max(0, last - 1));
  const [attemptB, setAttemptB] = useState(Math.max(0, last));
  useEffect(() => {
    if (otherId) void api.show(otherId).then(setOther, () => setOther(null));
  }, [otherId]);
  // A new attempt (a replay just sent) becomes the second of the pair, the one before it the first.
  useEffect(() => {
    setAttemptA(Math.max(0, last - 1));
    setAttemptB(Math.max(0, last));
  }, [last]);
  const response = (index: number) => {
    const attempt = event.deliveries[index];
    return attempt
      ? { headers: [["status", statusText(attempt)], ...attempt.responseHeaders] as HeaderPairs, body: textOf({ body: attempt.responseBody ?? "", ...(attempt.responseBodyBase64 !== undefined ? { bodyBase64: attempt.responseBodyBase64 } : {}) }) }
      : { headers: [] as HeaderPairs, body: null };
  };
  const attemptLabel = (index: number) => {
    const attempt = event.deliveries[index];
    return attempt ? `${clockTime(attempt.startedAt)} ${attempt.kind} #${attempt.attempt} → ${statusText(attempt)}` : "";
  };
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
        <>
          <label>
            Attempt{" "}
            <select aria-label="First attempt" value={attemptA} onChange={(e) => setAttemptA(Number(e.currentTarget.value))}>
              {event.deliveries.map((_, index) => (
                <option value={index}>{attemptLabel(index)}</option>
              ))}
            </select>
          </label>{" "}
          <label>
            with{" "}
            <select aria-label="Second attempt" value={attemptB} onChange={(e) => setAttemptB(Number(e.currentTarget.value))}>
              {event.deliveries.map((_, index) => (
                <option value={index}>{attemptLabel(index)}</option>
              ))}
            </select>
          </label>
          <Differences before={response(attemptA)} after={response(attemptB)} />
        </>
      )}
    </section>
  );
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
