import { useState } from "preact/hooks";
import type { EventDetail } from "./api.js";
import { bytesOf, formatSize, hexDump, prettyJson, textOf, visible } from "./format.js";
import { download } from "./api.js";

type BodyMode = "pretty" | "raw" | "hex";
const SHOWN_CHARS = 256 * 1024;

/** The body as pretty JSON, raw text (control characters as escapes) or hex; a large one in part, the rest on request. */
export function BodyView({ event }: { event: EventDetail }) {
  const [mode, setMode] = useState<BodyMode>("pretty");
  const [showAll, setShowAll] = useState(false);
  const text = textOf(event);
  const pretty = text === null ? null : prettyJson(text);
  const shownMode: BodyMode = text === null ? "hex" : mode === "pretty" && pretty === null ? "raw" : mode;
  const full = event.rejected
    ? "(not recorded: the body was too large)"
    : shownMode === "hex"
      ? hexDump(bytesOf(event))
      : shownMode === "pretty"
        ? (pretty ?? "")
        : visible(text ?? "");
  const shown = showAll || full.length <= SHOWN_CHARS ? full : full.slice(0, SHOWN_CHARS);
  return (
    <>
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
        {shown}
      </pre>
      {shown.length < full.length && (
        <p class="muted">
          Showing the first {formatSize(SHOWN_CHARS)} of {formatSize(full.length)}.{" "}
          <button type="button" onClick={() => setShowAll(true)}>
            Show all
          </button>{" "}
          <button type="button" onClick={() => void download(`/api/events/${encodeURIComponent(event.id)}/body`, `${event.id}.body`)}>
            Download the body
          </button>
        </p>
      )}
    </>
  );
}
