import type { ChalkInstance } from "chalk";
import type { Provider } from "../../providers/index.js";

/** `providers --json`: exactly the SPEC shape. */
export function providerJson(provider: Provider) {
  return { id: provider.id, name: provider.name, headers: [...provider.headers], kind: provider.kind, toleranceSec: provider.toleranceSec };
}

/** One aligned row per provider: id, name, kind, tolerance, identifying headers. */
export function formatProviderTable(list: readonly Provider[], color: ChalkInstance): string[] {
  const rows = list.map((p) => [p.id, p.name, p.kind, p.toleranceSec === null ? "–" : `${p.toleranceSec}s`, p.headers.join(", ")]);
  const titles = ["ID", "NAME", "KIND", "TOLERANCE", "HEADERS"];
  const widths = titles.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const pad = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ");
  return [color.bold(pad(titles)), ...rows.map(pad)];
}
