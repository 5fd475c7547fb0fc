import type { ChalkInstance } from "chalk";
import type { Provider } from "../../providers/index.js";
import { secretFormOf } from "../../providers/secrets.js";
import { renderTable } from "./table.js";

/** `providers --json`: each provider's id, name, scheme and tolerance, and what `--secret` takes (`secretForm`, with an example). */
export function providerJson(provider: Provider) {
  return {
    id: provider.id,
    name: provider.name,
    headers: [...provider.headers],
    kind: provider.kind,
    toleranceSec: provider.toleranceSec,
    secretForm: secretFormOf(provider),
  };
}

/** One aligned row per provider: id, name, kind, tolerance, identifying headers. */
export function formatProviderTable(list: readonly Provider[], color: ChalkInstance): string[] {
  const rows = list.map((p) => [p.id, p.name, p.kind, p.toleranceSec === null ? "–" : `${p.toleranceSec}s`, p.headers.join(", ")]);
  return renderTable(["ID", "NAME", "KIND", "TOLERANCE", "HEADERS"], rows, { color, bold: true });
}
