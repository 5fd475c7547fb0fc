import type { ChalkInstance } from "chalk";
import type { HeaderPairs, Verification } from "../../core/types.js";
import type { EventSummary } from "../../store/index.js";
import { deliveryErrorInWords, verificationInWords } from "../../documents/words.js";
import { clockTime, localDate } from "../../documents/local-time.js";
import { utf8TextOf } from "../../core/body.js";

export { bodyJson, detailJson, summaryJson } from "../../documents/event-json.js";

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

/** One line per captured event: time, method, path, provider and verification, handler status and duration, id. */
export function formatEventLine(
  event: Pick<EventSummary, "id" | "receivedAt" | "method" | "url" | "provider" | "verification" | "rejected" | "bodySize"> & {
    delivery: { status: number | null; error: string | null; durationMs: number } | null;
  },
  color: ChalkInstance,
  options: { withDate?: boolean } = {},
): string {
  const provider = event.provider ? `${event.provider} ` : "";
  const verification = event.rejected
    ? color.red(`rejected: body too large (${event.bodySize} bytes) → 413`)
    : provider + formatVerification(event.verification, color);
  const delivery = event.delivery
    ? `→ ${formatStatus(event.delivery, color)}  ${Math.round(event.delivery.durationMs)} ms`
    : event.rejected
      ? ""
      : color.dim("(captured)");
  const when = options.withDate ? `${localDate(event.receivedAt)} ${clockTime(event.receivedAt)}` : clockTime(event.receivedAt);
  return [color.dim(when), color.bold(event.method), event.url, verification, delivery, color.dim(event.id)]
    .filter((part) => part !== "")
    .join("  ");
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
