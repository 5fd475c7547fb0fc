/**
 * The one rule for showing or storing a body as text: the exact text when the bytes are valid UTF-8, otherwise
 * base64 (fixtures, and `events show --json`).
 */

/** The body as text when its bytes are valid UTF-8 (decoding and encoding again gives the same bytes), else null. */
export function utf8TextOf(body: Buffer): string | null {
  const text = body.toString("utf8");
  return Buffer.from(text, "utf8").equals(body) ? text : null;
}

/** `body` when the bytes are valid UTF-8, else `bodyBase64`. */
export function encodeBody(body: Buffer): { body: string } | { bodyBase64: string } {
  const text = utf8TextOf(body);
  return text !== null ? { body: text } : { bodyBase64: body.toString("base64") };
}
