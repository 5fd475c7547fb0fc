import { parseInteger } from "../../core/units.js";
import { startInspector, type Inspector, type SigningContext } from "../../inspector/index.js";
import { getProvider, resolveSigningSecrets, secretEnvName } from "../../providers/index.js";
import { eventSignedWith } from "../../providers/event-signature.js";
import { openStore, outputFor, type GlobalFlags } from "../context.js";
import type { Output } from "../views/output.js";
import { hmacSettingsFrom, type HmacFlags } from "./hmac-flags.js";

export interface UiFlags extends GlobalFlags, HmacFlags {
  port?: string;
  host: string;
  secret: string[];
  provider?: string;
}

/** The secrets hooktape was started with, used in the server to re-sign; the page only learns whether one exists. */
/**
 * How the inspector re-signs: with the secrets hooktape was started with and, under `listen --register`, the one
 * the run learned from the provider (first: it is the endpoint's own), held in this process only.
 */
export function signingFrom(
  flags: HmacFlags & { secret?: string[]; provider?: string | undefined },
  learned: ReadonlyMap<string, readonly string[]> = new Map(),
): SigningContext {
  const hmac = hmacSettingsFrom(flags);
  return {
    providerOf: (event) => {
      const id = event.provider ?? flags.provider?.toLowerCase();
      return id === undefined ? null : (getProvider(id, { hmac }) ?? null);
    },
    // Re-signing signs as the provider an event's headers claim: an unnamed secret serves that provider when --provider
    // names it, or when it verifies the event's own signature.
    secretsOf: (providerId, event) => [
      ...(learned.get(providerId) ?? []),
      ...resolveSigningSecrets(providerId, flags.secret ?? [], process.env, {
        namedProvider: flags.provider,
        signedWith:
          event === undefined
            ? undefined
            : (secret) => {
                const provider = getProvider(providerId, { hmac });
                return provider !== undefined && eventSignedWith(provider, event, secret);
              },
      }),
    ],
    secretEnvOf: secretEnvName,
  };
}

/**
 * Starts the inspector on its own connection to the store (so that it sees the capture server's commits, and
 * another process's, through SQLite's data_version) and prints its URL. Used by `ui` and `listen --ui`.
 */
export async function openInspector(
  flags: GlobalFlags & HmacFlags & { secret?: string[]; provider?: string | undefined },
  options: { host: string; port: string | undefined; flag: string; learnedSecrets?: ReadonlyMap<string, readonly string[]> },
  output: Output,
): Promise<Inspector> {
  const port = options.port === undefined ? undefined : parseInteger(options.port, options.flag, 0, 65535);
  if (options.host !== "127.0.0.1" && options.host !== "localhost") {
    output.warn(`the inspector listens on ${options.host}: anyone who can reach it and has the token can read every captured event`);
  }
  const store = openStore(flags);
  try {
    const inspector = await startInspector({
      store,
      host: options.host,
      port,
      portExplicit: port !== undefined,
      signing: signingFrom(flags, options.learnedSecrets),
    });
    if (output.json) output.line(JSON.stringify({ type: "inspector", url: inspector.url }));
    else output.line(`Inspector: ${inspector.url}`);
    return {
      ...inspector,
      close: async () => {
        await inspector.close();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** `hooktape ui`: the inspector over the store alone, until Ctrl-C. */
export async function runUi(flags: UiFlags): Promise<void> {
  const output = outputFor(flags);
  const inspector = await openInspector(flags, { host: flags.host, port: flags.port, flag: "--port" }, output);
  if (!output.json) output.info(output.color.dim("Ctrl-C to stop."));
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await inspector.close();
}
