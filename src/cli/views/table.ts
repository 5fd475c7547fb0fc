import { createRequire } from "node:module";
import type { ChalkInstance } from "chalk";

const require = createRequire(import.meta.url);
let stringWidthOnce: ((text: string) => number) | null = null;

/**
 * string-width, loaded on the first table (Node >= 20.19 requires an ES module synchronously): loading it builds an
 * Intl.Segmenter and its Unicode-property patterns, tens of ms that a `--json` run, which prints no table, never needs.
 */
function stringWidth(text: string): number {
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
