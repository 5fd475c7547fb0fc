import path from "node:path";

/** The store's path: `--db`, else `$HOOKTAPE_DB`, else `./.hooktape/hooktape.db`. */
export function defaultDatabasePath(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (flag) return path.resolve(cwd, flag);
  if (env.HOOKTAPE_DB) return path.resolve(cwd, env.HOOKTAPE_DB);
  return path.join(cwd, ".hooktape", "hooktape.db");
}
