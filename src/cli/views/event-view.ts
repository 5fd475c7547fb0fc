import type { ChalkInstance } from "chalk";
import { isForwardedHeader } from "../../core/headers.js";
import type { CapturedEvent, DeliveryKind, HeaderPairs, RecordedAttempt, Verification } from "../../core/types.js";
import type { EventSummary } from "../../store/index.js";
import { deliveryErrorInWords, verificationInWords } from "../../documents/words.js";
import { clockTime, localDate } from "../../documents/local-time.js";
import { utf8TextOf } from "../../core/body.js";
import { EVENT_TABLE_COLUMNS } from "./event-columns.js";
import { renderTable } from "./table.js";

export { bodyJson, detailJson, summaryJson } from "../../documents/event-json.js";

/** Marks an attempt hooktape made again from a recorded event (a replay), as opposed to the forward of a live one. */
export const REPLAY_MARK = "↻";

/** `✓ valid`, `✗ the signature does not match`, `✗ missing signature`, `· unverified` (--json keeps the codes). */
export function formatVerification(verification: Verification, color: ChalkInstance): string {
  const words = verificationInWords(verification);
  switch (verification.status) {
    case "valid":
      return color.green(`✓ ${words}`);
    case "invalid":
    case "missing":
      return color.red(`✗ ${words}`);
    case "unverified":
      return color.dim(`· ${words}`);
  }
}

export function formatStatus(delivery: { status: number | null; error: string | null } | null, color: ChalkInstance): string {
  if (!delivery) return color.dim("—");
  if (delivery.status === null) return color.red(delivery.error === "timeout" ? "timeout" : `failed: ${deliveryErrorInWords(delivery.error)}`);
  const text = String(delivery.status);
  if (delivery.status < 300) return color.green(text);
  if (delivery.status < 500) return color.yellow(text);
  return color.red(text);
}

export { clockTime, localDate, localDateTime } from "../../documents/local-time.js";

/**
 * One line per captured event: time, method, path, event type, provider and verification, handler status and
 * duration (or why it was not forwarded), id.
 */
export function formatEventLine(
  event: Pick<EventSummary, "id" | "receivedAt" | "method" | "url" | "provider" | "verification" | "rejected" | "bodySize"> &
    Partial<Pick<EventSummary, "eventType" | "notForwarded" | "via">> & {
    delivery: { status: number | null; error: string | null; durationMs: number; kind?: DeliveryKind } | null;
  },
  color: ChalkInstance,
  options: { withDate?: boolean } = {},
): string {
  const provider = event.provider ? `${event.provider} ` : "";
  const verification = event.rejected
    ? color.red(`rejected: body too large (${event.bodySize} bytes) → 413`)
    : provider + formatVerification(event.verification, color);
  // The verdict is the captured request's; an answer to a replay (re-signed, maybe edited) says so, lest a 200 to a
  // re-signed replay read as the handler accepting the captured request's bad signature.
  const answered = event.delivery?.kind === "replay" ? `${REPLAY_MARK} replay →` : "→";
  const delivery = event.delivery
    ? `${answered} ${formatStatus(event.delivery, color)}  ${Math.round(event.delivery.durationMs)} ms`
    : event.rejected
      ? ""
      : event.notForwarded === "filtered"
        ? color.dim("(filtered by --only: recorded, not forwarded)")
        : color.dim("(captured)");
  const when = options.withDate ? `${localDate(event.receivedAt)} ${clockTime(event.receivedAt)}` : clockTime(event.receivedAt);
  const type = event.eventType ? color.magenta(event.eventType) : "";
  const triggered = event.via === "trigger" ? color.cyan("trigger") : "";
  return [color.dim(when), color.bold(event.method), event.url, type, triggered, verification, delivery, color.dim(event.id)]
    .filter((part) => part !== "")
    .join("  ");
}

/** `events list` as a table: one row per event, columns aligned as a terminal shows them. */
export function formatEventTable(
  events: ReadonlyArray<Parameters<typeof formatEventLine>[0] & Pick<EventSummary, "via">>,
  color: ChalkInstance,
  options: { withDate?: boolean } = {},
): string[] {
  const rows = events.map((event) => {
    const when = options.withDate ? `${localDate(event.receivedAt)} ${clockTime(event.receivedAt)}` : clockTime(event.receivedAt);
    const signature = event.rejected
      ? color.red(`rejected: body too large (${event.bodySize} bytes)`)
      : `${event.provider ? `${event.provider} ` : ""}${formatVerification(event.verification, color)}`;
    const delivery = event.delivery;
    const answer = delivery
      ? `${delivery.kind === "replay" ? `${REPLAY_MARK} replay ` : ""}${formatStatus(delivery, color)}`
      : event.rejected
        ? color.red("413")
        : event.notForwarded === "filtered"
          ? color.dim("not forwarded (--only)")
          : color.dim("captured only");
    return [
      color.dim(when),
      `${color.bold(event.method)} ${event.url}`,
      event.eventType ? color.magenta(event.eventType) : "",
      event.via,
      signature,
      answer,
      delivery ? `${Math.round(delivery.durationMs)} ms` : "",
      color.dim(event.id),
    ];
  });
  return renderTable(
    EVENT_TABLE_COLUMNS.map(([title]) => title),
    rows,
    { color },
  );
}

/**
 * What the listen line says about a provider's URL-verification handshake: "handshake: answered Zoom
 * endpoint.url_validation", "handshake: the handler answered …", or hooktape's answer after the handler's failed one.
 */
export function formatHandshake(
  handshake: { name: string; answeredBy: "hooktape" | "handler"; handler: { status: number | null; error: string | null } | null },
  color: ChalkInstance,
): string {
  if (handshake.answeredBy === "handler") return color.cyan(`handshake: the handler answered ${handshake.name}`);
  const handler = handshake.handler;
  const after =
    handler === null
      ? ""
      : handler.status === null
        ? ` (the handler gave no answer: ${handler.error === "timeout" ? "timeout" : deliveryErrorInWords(handler.error)})`
        : ` (the handler's ${handler.status} was not a correct answer)`;
  return color.cyan(`handshake: answered ${handshake.name}${after}`);
}

export function formatHeaders(headers: HeaderPairs, color: ChalkInstance, indent = "  "): string[] {
  return headers.map(([name, value]) => `${indent}${color.cyan(name)}: ${value}`);
}

/** A body for people: pretty JSON, text, or a note for binary bytes. */
export function formatBody(body: Buffer, contentType: string | undefined, maxChars = 20_000): string {
  if (body.length === 0) return "(empty)";
  const text = utf8TextOf(body);
  if (text === null) return `(binary, ${body.length} bytes; --body writes them raw)`;
  let shown = text;
  if (/json/i.test(contentType ?? "") || /^\s*[[{]/.test(text)) {
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      shown = text;
    }
  }
  return shown.length > maxChars ? `${shown.slice(0, maxChars)}\n… (${shown.length - maxChars} more characters)` : shown;
}

/** `↻ replay #3`, `forward #1`, with `(attempt 2)` for a retry within its delivery. */
export function formatAttemptName(attempt: Pick<RecordedAttempt, "kind" | "number" | "attempt">): string {
  const name = `${attempt.kind === "replay" ? `${REPLAY_MARK} ` : ""}${attempt.kind} #${attempt.number}`;
  return attempt.attempt > 1 ? `${name} (attempt ${attempt.attempt})` : name;
}

/**
 * What an attempt sent, as far as it differs from the captured request: its body (when another one was sent), each
 * header it sent that the event did not carry with that value (`+`: a re-signed signature, X-Forwarded-*), and each
 * captured header it did not send (`-`; Host and Content-Length are the HTTP client's to set, so not listed).
 */
export function formatSentRequest(event: Pick<CapturedEvent, "headers">, attempt: RecordedAttempt, color: ChalkInstance, indent = "  "): string[] {
  const request = attempt.request;
  if (request === null) return attempt.kind === "handshake" ? [`${indent}${color.dim("sent nothing: hooktape answered the handshake itself")}`] : [];
  const key = ([name, value]: [string, string]) => `${name.toLowerCase()}\n${value}`;
  const captured = new Set(event.headers.map(key));
  const sentNames = new Set(request.headers.map(([name]) => name.toLowerCase()));
  const added = request.headers.filter((pair) => !captured.has(key(pair)));
  const dropped = event.headers.filter(([name]) => isForwardedHeader(name) && !sentNames.has(name.toLowerCase()));
  const body = request.body === null ? "the captured body" : color.yellow(`another body (${request.body.length} bytes)`);
  const lines = [`${indent}${color.dim("sent")} ${body}${added.length + dropped.length === 0 ? " and headers" : ", the captured headers with:"}`];
  for (const [name, value] of added) lines.push(`${indent}  + ${color.cyan(name)}: ${value}`);
  for (const [name] of dropped) lines.push(`${indent}  - ${color.cyan(name)}`);
  return lines;
}
