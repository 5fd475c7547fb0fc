import { EventStore, defaultDatabasePath, type StoreOptions } from "../store/index.js";
import { createOutput, type Output } from "./views/output.js";

/** The global flags every command receives through `optsWithGlobals()`. */
export interface GlobalFlags {
  db?: string | undefined;
  json?: boolean | undefined;
}

export function openStore(flags: GlobalFlags, options: StoreOptions = {}): EventStore {
  return new EventStore(defaultDatabasePath(flags.db, process.env, process.cwd()), options);
}

export function outputFor(flags: GlobalFlags): Output {
  return createOutput({ json: flags.json === true });
}

/**
 * Runs `work` with an open store and always closes it, whatever happens. `readonly`: for commands that only
 * read; they never create a store (a missing one is exit 2) and work on a file they may not write.
 */
export function withStore<T>(flags: GlobalFlags, work: (store: EventStore) => T, options: { readonly?: boolean } = {}): T {
  const store = openStore(flags, options);
  try {
    return work(store);
  } finally {
    store.close();
  }
}
