import { badInput } from "../core/errors.js";
import { indexOutsideQuotes, parseJsonPath } from "../core/mutate.js";

/** `--set path=value` read into the edit core/mutate.ts applies; its messages name the flag, so it lives with the CLI. */

/** `--set data.object.amount=0`: the path and the JSON text of the value (a bare word becomes a JSON string). */
export function parseSetFlag(text: string): { path: string; value: string } {
  // The first `=` outside a quoted bracket key (`metadata["a=b"]=1`).
  const eq = indexOutsideQuotes(text, "=");
  if (eq <= 0) throw badInput(`Invalid --set "${text}": expected path=value, e.g. --set data.object.amount=500`);
  const path = text.slice(0, eq).trim();
  parseJsonPath(path, "--set");
  return { path, value: toJsonText(text.slice(eq + 1)) };
}

/**
 * A `--set` value as JSON text: valid JSON is kept exactly as typed (so `12345678901234567890` keeps its digits
 * and `1.50` its spelling); anything else is taken as a string (`--set data.object.currency=eur`).
 */
export function toJsonText(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length > 0) {
    try {
      JSON.parse(trimmed);
      return trimmed;
    } catch {
      // Not JSON: a plain string, as a user typing `currency=eur` means.
    }
  }
  return JSON.stringify(value);
}
