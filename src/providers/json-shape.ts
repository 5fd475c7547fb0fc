/**
 * How a provider writes its JSON on the wire. A handler that verifies `JSON.stringify(req.body)` instead of the
 * raw bytes only fails when the bytes are not what JSON.stringify writes, so samples are written the way each
 * provider really writes them. Each provider declares its own (its `jsonShape`), from what its SDK's test
 * vectors, sending code or captured deliveries show (signed vectors are the strongest evidence: the signature proves
 * the exact bytes).
 */
export interface JsonShape {
  /** 2: two-space indentation and a newline after each member (Stripe); 0: compact. */
  indent: 0 | 2;
  /** `/` written as `\/` (PHP's json_encode, Rails, Slack). */
  escapeSlash?: true;
  /** Non-ASCII written as `\uXXXX` (Python's ensure_ascii, PHP, Meta). */
  asciiOnly?: true;
  /** `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026` (Rails' HTML-safe JSON, Go's encoding/json). */
  escapeHtml?: true;
  /** Bytes after the JSON (SendGrid ends its batch with CRLF). */
  trailer?: string;
  /** `"key" : value`, a space on both sides of the colon (Amazon SNS; only with indent 2). */
  spacedColon?: true;
}

export const COMPACT_JSON: JsonShape = { indent: 0 };
export const PRETTY_JSON: JsonShape = { indent: 2 };

/**
 * The shape a provider's JSON is written in. Providers whose shape is not known get PRETTY, which JSON.stringify does
 * not reproduce: a re-serialising handler fails either way.
 */
export function jsonShapeOf(provider: { readonly jsonShape?: JsonShape | undefined }): JsonShape {
  return provider.jsonShape ?? PRETTY_JSON;
}

export function serialiseJson(value: unknown, shape: JsonShape): string {
  let text = shape.indent === 2 ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  // With indent 2 every member starts its own line, so a key is exactly a line's first string.
  if (shape.spacedColon && shape.indent === 2) text = text.replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, "$1 : ");
  // Inside JSON text these characters only occur within strings, so replacing them everywhere is exact.
  if (shape.escapeHtml) text = text.replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (shape.escapeSlash) text = text.replace(/\//g, "\\/");
  if (shape.asciiOnly) text = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return text + (shape.trailer ?? "");
}
