import { existsSync } from "node:fs";
import { join } from "node:path";
import { configDir, readConfigJsonFile, writePrivateJsonFile } from "../core/config-dir.js";
import type { RecentStore } from "../inspector/index.js";

/**
 * The stores `listen` and `ui` used lately, newest first, so that `hooktape ui` opened in the wrong folder can say
 * where the events are. Paths and times only, in `<config>/recent-stores.json` (folder 0700, file 0600).
 * Best effort: a config folder that cannot be read or written never stops a command.
 */
const FILE = "recent-stores.json";
const KEPT = 10;

export function recentStoresFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), FILE);
}

/** The stores used lately that still exist, newest first. */
export function readRecentStores(env: NodeJS.ProcessEnv = process.env): RecentStore[] {
  try {
    const parsed = (readConfigJsonFile(recentStoresFile(env)) ?? {}) as { stores?: unknown };
    if (!Array.isArray(parsed.stores)) return [];
    return parsed.stores
      .filter((item): item is RecentStore => typeof item?.path === "string" && typeof item?.usedAt === "string")
      .filter((item) => existsSync(item.path))
      .map(({ path, usedAt }) => ({ path, usedAt }));
  } catch {
    return [];
  }
}

export function rememberStore(path: string, now: number, env: NodeJS.ProcessEnv = process.env): void {
  const stores = [{ path, usedAt: new Date(now).toISOString() }, ...readRecentStores(env).filter((item) => item.path !== path)].slice(0, KEPT);
  try {
    writePrivateJsonFile(recentStoresFile(env), { stores });
  } catch {
    // Only a convenience: a read-only home keeps working without it.
  }
}
