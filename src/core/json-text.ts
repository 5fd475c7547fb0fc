/**
 * JSON text as `JSON.stringify` writes it, with DEL and the C1 controls (U+007F–U+009F) written as `\u` escapes.
 * `JSON.stringify` escapes only U+0000–U+001F, so a captured header or body holding U+009B (CSI) or U+009D (OSC)
 * would reach a terminal raw through `--json`, an export or a fixture; escaped, every JSON reader gets the same
 * characters back and no terminal obeys them.
 */
export function jsonText(value: unknown, indent?: number): string {
  return escapeJsonControls(JSON.stringify(value, null, indent));
}

/**
 * The same for JSON text already made: outside strings JSON has no such characters, so each one found is inside a
 * string, where its `\u` escape means the same.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(/[\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
