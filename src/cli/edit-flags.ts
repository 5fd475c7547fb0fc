import { badInput } from "../core/errors.js";
import { parseJsonPath } from "../core/mutate.js";

/** `--set path=value` read into the edit core/mutate.ts applies; its messages name the flag, so it lives with the CLI. */

/** `--set data.object.amount=0`: the path and the JSON text of the value (a bare word becomes a JSON string). */
export function parseSetFlag(text: string): { path: string; value: string } {
  const eq = findAssignment(text);
  if (eq <= 0) throw badInput(`Invalid --set "${text}": expected path=value, e.g. --set data.object.amount=500`);
  const path = text.slice(0, eq).trim();
  parseJsonPath(path, "--set");
  return { path, value: toJsonText(text.slice(eq + 1)) };
}

/** The first `=` outside a quoted bracket key (`metadata["a=b"]=1`). */
function findAssignment(text: string): number {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "=") return i;
  }
  return -1;
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
