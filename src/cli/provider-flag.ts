import { badInput } from "../core/errors.js";
import { isKnownProviderId } from "../providers/provider-modules.js";

/** `--provider <id>`, lower-cased; an id hooktape does not know is exit 2 on every command, filters included. */
export function parseProviderFlag(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const id = text.trim().toLowerCase();
  if (!isKnownProviderId(id)) throw badInput(`Unknown --provider "${text}"; see \`hooktape providers\``);
  return id;
}
