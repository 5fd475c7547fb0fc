export { deliveryErrorInWords, deliveryInWords, verificationInWords } from "../../documents/words.js";
export { dateTimeOf, localDateTime, shortDateTime } from "../../documents/local-time.js";

/** Control characters shown as escapes, so that a captured `\x1b[31m` reads as text and not as nothing. */
export function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

export function bytesOf(doc: { body?: string | null; bodyBase64?: string }): Uint8Array {
  if (doc.bodyBase64 !== undefined) {
    const binary = atob(doc.bodyBase64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }
  return new TextEncoder().encode(doc.body ?? "");
}

/** `00000000  7b 22 69 64  ...  {"id...` lines, 16 bytes each. */
export function hexDump(bytes: Uint8Array, maxBytes = 64 * 1024): string {
  const lines: string[] = [];
  const end = Math.min(bytes.length, maxBytes);
  for (let offset = 0; offset < end; offset += 16) {
    const row = bytes.subarray(offset, Math.min(offset + 16, end));
    const hex = [...row].map((byte) => byte.toString(16).padStart(2, "0")).join(" ");
    const ascii = [...row].map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ".")).join("");
    lines.push(`${offset.toString(16).padStart(8, "0")}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > end) lines.push(`… ${bytes.length - end} more bytes`);
  return lines.join("\n");
}

export function prettyJson(text: string): string | null {
  if (!/^\s*[[{]/.test(text)) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function statusClass(delivery: { status: number | null } | null): string {
  if (!delivery) return "status-none";
  if (delivery.status === null) return "status-failed";
  if (delivery.status < 300) return "status-ok";
  if (delivery.status < 500) return "status-warn";
  return "status-failed";
}

export interface FieldChange {
  path: string;
  kind: "changed" | "added" | "removed";
  before?: string;
  after?: string;
}

/** A JSON-aware comparison: the fields that differ, by path, not the lines. */
export function diffJson(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (Object.is(before, after)) return [];
  const bothObjects = isObject(before) && isObject(after);
  const bothArrays = Array.isArray(before) && Array.isArray(after);
  if (bothArrays) {
    const a = before as unknown[];
    const b = after as unknown[];
    const changes: FieldChange[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const at = `${path}[${i}]`;
      if (i >= a.length) changes.push({ path: at, kind: "added", after: JSON.stringify(b[i]) });
      else if (i >= b.length) changes.push({ path: at, kind: "removed", before: JSON.stringify(a[i]) });
      else changes.push(...diffJson(a[i], b[i], at));
    }
    return changes;
  }
  if (bothObjects) {
    const a = before as Record<string, unknown>;
    const b = after as Record<string, unknown>;
    const changes: FieldChange[] = [];
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const at = path === "" ? key : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      if (!(key in b)) changes.push({ path: at, kind: "removed", before: JSON.stringify(a[key]) });
      else if (!(key in a)) changes.push({ path: at, kind: "added", after: JSON.stringify(b[key]) });
      else changes.push(...diffJson(a[key], b[key], at));
    }
    return changes;
  }
  return [{ path: path || "(body)", kind: "changed", before: JSON.stringify(before), after: JSON.stringify(after) }];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A document's body as text, or null when it came as base64 (not UTF-8). */
export function textOf(doc: { body?: string | null; bodyBase64?: string }): string | null {
  return doc.bodyBase64 !== undefined ? null : (doc.body ?? "");
}

/** A handler's answer body as text; binary as a hex dump. */
export function responseText(attempt: { responseBody?: string | null; responseBodyBase64?: string }): string {
  if (attempt.responseBodyBase64 !== undefined) return hexDump(bytesOf({ bodyBase64: attempt.responseBodyBase64 }));
  return attempt.responseBody ?? "";
}
