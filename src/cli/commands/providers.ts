import { providers } from "../../providers/index.js";
import { outputFor, type GlobalFlags } from "../context.js";
import { formatProviderTable, providerJson } from "../views/provider-table.js";

export function runProviders(flags: GlobalFlags): void {
  const output = outputFor(flags);
  if (output.json) {
    output.document(providers.map(providerJson));
    return;
  }
  for (const line of formatProviderTable(providers, output.color)) output.line(line);
  output.info(`${providers.length} providers. Secrets: --secret or HOOKTAPE_SECRET_<ID>; asymmetric keys: hooktape keygen --provider <id>.`);
}
