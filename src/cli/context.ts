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

/** Runs `work` with an open store and always closes it, whatever happens. */
export function withStore<T>(flags: GlobalFlags, work: (store: EventStore) => T): T {
  const store = openStore(flags);
  try {
    return work(store);
  } finally {
    store.close();
  }
}
