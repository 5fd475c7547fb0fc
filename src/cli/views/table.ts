import { createRequire } from "node:module";
import type { ChalkInstance } from "chalk";

const require = createRequire(import.meta.url);
let stringWidthOnce: ((text: string) => number) | null = null;

/**
 * Characters one column wide in every terminal: printable ASCII, Latin letters and signs (not the soft hyphen),
 * general punctuation (not the invisible direction marks), arrows, box drawing, geometric shapes and the check marks
 * hooktape prints. A cell of these alone (after its colour codes) is as wide as it is long.
 */
const ONE_COLUMN_EACH = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u25fc\u2713-\u2717]*$/;
const COLOUR_CODES = /\x1b\[[0-9;]*m/g;

/**
 * Columns a cell takes in a terminal. Cells of one-column characters are measured directly; anything else (CJK, emoji,
 * combining marks, other escapes) by string-width, loaded on the first such cell (Node >= 20.19 requires an ES module
 * synchronously): loading it builds an Intl.Segmenter and its Unicode-property patterns, tens of ms that a table of
 * ids, times and statuses never needs.
 */
export function stringWidth(text: string): number {
  const plain = text.includes("\x1b") ? text.replace(COLOUR_CODES, "") : text;
  if (ONE_COLUMN_EACH.test(plain)) return plain.length;
  stringWidthOnce ??= (require("string-width") as typeof import("string-width")).default;
  return stringWidthOnce(text);
}

/**
 * The one table renderer: columns padded to the widest cell as a terminal shows it (string-width: colour codes take
 * no room, `é` one column, a CJK character or an emoji two), two spaces apart, the last column unpadded.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], style: { color: ChalkInstance; bold?: boolean }): string[] {
  const widths = header.map((title, i) => Math.max(stringWidth(title), ...rows.map((row) => stringWidth(row[i] ?? ""))));
  const pad = (cell: string, i: number) => cell + " ".repeat(Math.max(0, (widths[i] ?? 0) - stringWidth(cell)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, i))).join("  ").trimEnd();
  const title = line(header);
  return [style.bold ? style.color.bold(title) : style.color.dim(title), ...rows.map(line)];
}
