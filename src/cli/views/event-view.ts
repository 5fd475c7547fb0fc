import type { ChalkInstance } from "chalk";
import type { HeaderPairs, Verification } from "../../core/types.js";
import type { EventSummary } from "../../store/index.js";

export { bodyJson, detailJson, summaryJson } from "../../documents/event-json.js";

/** `✓ valid`, `✗ no_matching_signature`, `– missing`, `· unverified`. */
export function formatVerification(verification: Verification, color: ChalkInstance): string {
  switch (verification.status) {
    case "valid":
      return color.green("✓ valid");
    case "invalid":
      return color.red(`✗ ${verification.reason ?? "invalid"}`);
    case "missing":
      return color.red("✗ missing signature");
    case "unverified":
      return color.dim(verification.reason === "no_secret" ? "· no secret" : "· unverified");
  }
}

export function formatStatus(delivery: { status: number | null; error: string | null } | null, color: ChalkInstance): string {
  if (!delivery) return color.dim("—");
  if (delivery.status === null) return color.red(delivery.error === "timeout" ? "timeout" : (delivery.error ?? "failed"));
  const text = String(delivery.status);
  if (delivery.status < 300) return color.green(text);
  if (delivery.status < 500) return color.yellow(text);
  return color.red(text);
}

export function clockTime(ms: number): string {
  const date = new Date(ms);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, "0")).join(":");
}

export function localDateTime(ms: number): string {
  const date = new Date(ms);
  const day = [date.getFullYear(), date.getMonth() + 1, date.getDate()].map((part) => String(part).padStart(2, "0")).join("-");
  return `${day} ${clockTime(ms)}.${String(date.getMilliseconds()).padStart(3, "0")}`;
}

/** One line per captured event: time, method, path, provider and verification, handler status and duration, id. */
export function formatEventLine(
  event: Pick<EventSummary, "id" | "receivedAt" | "method" | "url" | "provider" | "verification" | "rejected" | "bodySize"> & {
    delivery: { status: number | null; error: string | null; durationMs: number } | null;
  },
  color: ChalkInstance,
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
  return [color.dim(clockTime(event.receivedAt)), color.bold(event.method), event.url, verification, delivery, color.dim(event.id)]
    .filter((part) => part !== "")
    .join("  ");
}

export function formatHeaders(headers: HeaderPairs, color: ChalkInstance, indent = "  "): string[] {
  return headers.map(([name, value]) => `${indent}${color.cyan(name)}: ${value}`);
}

/** A body for people: pretty JSON, text, or a note for binary bytes. */
export function formatBody(body: Buffer, contentType: string | undefined, maxChars = 20_000): string {
  if (body.length === 0) return "(empty)";
  const text = body.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(body)) return `(binary, ${body.length} bytes; --body writes them raw)`;
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
