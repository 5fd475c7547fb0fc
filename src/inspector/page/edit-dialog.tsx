import { useEffect, useRef, useState } from "preact/hooks";
import { api, type EventDetail, type HeaderPairs, type Preview, type ReplayOptions, type ReplayResult, type Signing } from "./api.js";
import { localDateTime, textOf, visible } from "./format.js";
import { JsonEditor } from "./json-editor.js";
import { jsonProblem } from "./json-problem.js";

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

/** The request as the handler will read it off the wire: request line, headers in order, a blank line, the body. */
export function wireText(preview: Preview): string {
  const head = [`${preview.method} ${preview.path} HTTP/1.1`, ...preview.headers.map(([name, value]) => `${visible(name)}: ${visible(value)}`)].join("\n");
  return `${head}\n\n${preview.body ?? `(binary, base64) ${preview.bodyBase64 ?? ""}`}`;
}

function looksLikeJson(event: EventDetail, text: string): boolean {
  const type = event.headers.find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "";
  return /json/i.test(type) || jsonProblem(text) === null;
}

interface Props {
  event: EventDetail;
  signing: Signing | null;
  options: ReplayOptions;
  onClose(): void;
  onSent(result: ReplayResult): void;
}

/**
 * Edit the body (in the provider's own layout, sent as typed) and the headers, preview the request exactly as the
 * handler will receive it, and send it: after a preview, Send delivers those very bytes.
 */
export function EditDialog({ event, signing, options, onClose, onSent }: Props) {
  const original = textOf(event) ?? "";
  const asJson = looksLikeJson(event, original);
  const sentHeaders = signing?.sentHeaders ?? event.headers;
  const [body, setBody] = useState(original);
  const [headers, setHeaders] = useState(headerLines(sentHeaders));
  const [resign, setResign] = useState(signing?.canResign ?? false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dialogRef = useRef<HTMLDialogElement>(null);
  useEffect(() => dialogRef.current?.showModal(), []);
  const problem = asJson ? jsonProblem(body) : null;

  const request = (): ReplayOptions => ({ ...options, ...headerEdits(sentHeaders, headers), ...(body !== original ? { body } : {}), resign });
  const edit = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setPreview(null);
  };
  const run = async (action: "preview" | "replay") => {
    setBusy(true);
    setError(null);
    try {
      if (action === "preview") setPreview(await api.post<Preview>(event.id, "preview", request()));
      else onSent(await api.post<ReplayResult>(event.id, "replay", preview ? { ...request(), preview: preview.previewId } : request()));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialogRef} class="edit" aria-label="Edit and replay" onClose={onClose} onCancel={onClose}>
      <h2>Edit and replay</h2>
      <label for="edit-headers">Headers (one per line; Host and Content-Length are set for the target)</label>
      <textarea id="edit-headers" rows={6} spellcheck={false} value={headers} onInput={(e) => edit(setHeaders)(e.currentTarget.value)} />
      <p class="editor-label">Body (sent exactly as written)</p>
      <JsonEditor initial={original} label="Body" asJson={asJson} onChange={edit(setBody)} />
      {asJson && (
        <p class={problem ? "warn" : "notice"} data-testid="json-state">
          {problem ? `✗ not valid JSON — ${problem}` : "✓ valid JSON"}
        </p>
      )}
      <ResignChoice signing={signing} resign={resign} onChange={edit(setResign)} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {preview && <WirePreview preview={preview} />}
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

/** Re-sign with the current time: offered when the inspector holds the provider's secret, else why not. */
function ResignChoice({ signing, resign, onChange }: { signing: Signing | null; resign: boolean; onChange: (resign: boolean) => void }) {
  return (
    <>
      <label class="check">
        <input type="checkbox" checked={resign} disabled={!signing?.canResign} onChange={(e) => onChange(e.currentTarget.checked)} /> Re-sign with the
        current time
      </label>
      {signing && !signing.canResign && (
        <p class="warn">
          hooktape has no secret for {signing.provider ?? "this event's provider"}: an edited body goes out with the captured signature, which will not
          match. Start hooktape with --secret to re-sign.
        </p>
      )}
    </>
  );
}

/** The previewed request, byte for byte as Send delivers it. */
function WirePreview({ preview }: { preview: Preview }) {
  return (
    <>
      <p class="muted">
        Exactly what the handler will receive at {visible(preview.url)}
        {preview.signedAt ? `, signed at ${localDateTime(Date.parse(preview.signedAt))}` : ""}; Send delivers these bytes.
      </p>
      <pre class="body preview" aria-label="Preview" data-testid="preview">
        {wireText(preview)}
      </pre>
    </>
  );
}
