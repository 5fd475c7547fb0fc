import { parseInteger } from "../../core/units.js";
import { startInspector, storeToken, type Inspector, type RecentStore, type RunBoard, type SigningContext } from "../../inspector/index.js";
import { dateTimeOf } from "../../documents/index.js";
import { getProvider } from "../../providers/index.js";
import { createSecretBook, secretEnvName, type SecretBook } from "../../secrets/secret-book.js";
import { eventSignedWith } from "../../providers/event-signature.js";
import { openStore, outputFor, type GlobalFlags } from "../context.js";
import { readRecentStores, rememberStore } from "../recent-stores.js";
import type { Output } from "../views/output.js";
import { hmacSettingsFrom, type HmacFlags } from "./hmac-flags.js";

export interface UiFlags extends GlobalFlags, HmacFlags {
  port?: string;
  host: string;
  secret: string[];
  provider?: string;
  /** `--new-token`: replace the store's inspector token (tabs opened with the old one are locked out). */
  newToken?: boolean;
}

/**
 * How the inspector re-signs: with the command's secret book (under `listen --register`, with the secret the run
 * learned from the provider).
 */
export function signingFrom(flags: HmacFlags & { provider?: string | undefined }, secrets: SecretBook): SigningContext {
  const hmac = hmacSettingsFrom(flags);
  return {
    providerOf: (event) => {
      const id = event.provider ?? flags.provider?.toLowerCase();
      return id === undefined ? null : (getProvider(id, { hmac }) ?? null);
    },
    // Re-signing signs as the provider an event's headers claim: an unnamed secret serves that provider when --provider
    // names it, or when it verifies the event's own signature.
    secretsOf: (providerId, event) => [
      ...secrets.signing(
        providerId,
        event === undefined
          ? undefined
          : (secret) => {
              const provider = getProvider(providerId, { hmac });
              return provider !== undefined && eventSignedWith(provider, event, secret);
            },
      ),
    ],
    secretEnvOf: secretEnvName,
  };
}

export interface InspectorPlace {
  host: string;
  port: string | undefined;
  flag: string;
  /** The command's secrets (under `listen`, the run's book, with what it learns). */
  secrets: SecretBook;
  /** The `listen` run the inspector belongs to (its header shows it); absent under `hooktape ui`. */
  run?: RunBoard;
  /** `ui --new-token`: replace the store's token. */
  newToken?: boolean;
}

/**
 * Starts the inspector on its own connection to the store (so that it sees the capture server's commits, and
 * another process's, through SQLite's data_version) and prints its URL. Used by `ui` and `listen --ui`.
 */
export async function openInspector(
  flags: GlobalFlags & HmacFlags & { secret?: string[]; provider?: string | undefined },
  place: InspectorPlace,
  output: Output,
): Promise<Inspector> {
  const port = place.port === undefined ? undefined : parseInteger(place.port, place.flag, 0, 65535);
  if (place.host !== "127.0.0.1" && place.host !== "localhost") {
    output.warn(`the inspector listens on ${place.host}: anyone who can reach it and has the token can read every captured event`);
  }
  const store = openStore(flags);
  try {
    const kept = storeToken(store.file, { renew: place.newToken === true });
    const hasEvents = store.changeCursor().events > 0;
    const recentStores = readRecentStores().filter((item) => item.path !== store.file);
    if (hasEvents) rememberStore(store.file, Date.now());
    const inspector = await startInspector({
      store,
      host: place.host,
      port,
      portExplicit: port !== undefined,
      signing: signingFrom(flags, place.secrets),
      token: kept.token,
      run: place.run ?? null,
      recentStores,
    });
    if (kept.note) output.warn(kept.note);
    if (place.run === undefined) describeStore(output, store.file, hasEvents, recentStores);
    if (inspector.requestedPort !== 0 && inspector.port !== inspector.requestedPort) {
      output.warn(`port ${inspector.requestedPort} is in use, so the inspector is on ${inspector.port}: a tab open on ${inspector.requestedPort} will not follow (${place.flag} chooses)`);
    }
    if (output.json) output.line(JSON.stringify({ type: "inspector", url: inspector.url, db: store.file }));
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

/** Which store `hooktape ui` opened; when it holds nothing, where events were recorded lately. */
function describeStore(output: Output, file: string, hasEvents: boolean, recent: readonly RecentStore[]): void {
  output.info(`Store: ${file}${hasEvents ? "" : " (no events yet)"}`);
  if (hasEvents || recent.length === 0) return;
  output.info("Stores used recently:");
  for (const item of recent.slice(0, 5)) output.info(`  ${item.path}  ${output.color.dim(`(${dateTimeOf(Date.parse(item.usedAt))})`)}`);
  output.info(output.color.dim("Open one with: hooktape ui --db <path>"));
}

/** `hooktape ui`: the inspector over the store alone, until Ctrl-C. */
export async function runUi(flags: UiFlags): Promise<void> {
  const output = outputFor(flags);
  const secrets = createSecretBook({ flagValues: flags.secret, env: process.env, namedProvider: flags.provider });
  const inspector = await openInspector(flags, { host: flags.host, port: flags.port, flag: "--port", newToken: flags.newToken === true, secrets }, output);
  // Listening for Ctrl-C before anything else: the URL is out (at the end of this turn) and a script may stop us at once.
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  // After the URL, which leaves stdout at the end of this turn.
  await new Promise((resolve) => setImmediate(resolve));
  if (!output.json) output.info(output.color.dim("Ctrl-C to stop."));
  await stopped;
  await inspector.close();
}
