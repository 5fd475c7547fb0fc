import { accessSync, constants, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join, resolve } from "node:path";

export type CloudflaredSource = "flag" | "env" | "path" | "cache";

export interface ResolveCloudflaredOptions {
  /** `--cloudflared <path>`. */
  binary?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cacheDir?: string;
}

export interface ResolvedCloudflared {
  path: string;
  source: CloudflaredSource;
}

const EXECUTABLE = process.platform === "win32" ? "cloudflared.exe" : "cloudflared";

/** `$XDG_CACHE_HOME/hooktape`, else `~/.cache/hooktape` (the XDG base-directory default). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  if (xdg && isAbsolute(xdg)) return join(xdg, "hooktape");
  if (process.platform === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, "hooktape", "cache");
  return join(env.HOME || homedir(), ".cache", "hooktape");
}

/** Where the cache folder keeps its downloaded cloudflared. */
export function cachedCloudflaredPath(cacheDir: string): string {
  return join(cacheDir, EXECUTABLE);
}

/**
 * Finds cloudflared in the order a user expects: `--cloudflared`, `CLOUDFLARED_BIN`, `cloudflared`
 * on PATH, then hooktape's cache folder. An explicit flag or variable is returned even when the
 * file is missing, so that a typo is reported rather than silently replaced by another binary.
 * Returns null when only a download can help.
 */
export function resolveCloudflaredBinary(options: ResolveCloudflaredOptions = {}): ResolvedCloudflared | null {
  const env = options.env ?? process.env;
  if (options.binary) return { path: locateExplicit(options.binary, env), source: "flag" };
  if (env.CLOUDFLARED_BIN) return { path: locateExplicit(env.CLOUDFLARED_BIN, env), source: "env" };
  const onPath = searchPath(EXECUTABLE, env.PATH ?? "");
  if (onPath) return { path: onPath, source: "path" };
  const cached = cachedCloudflaredPath(options.cacheDir ?? defaultCacheDir(env));
  if (isExecutableFile(cached)) return { path: cached, source: "cache" };
  return null;
}

export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== "win32") accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A bare name (`--cloudflared cloudflared-2024.8`) is looked up on PATH like a shell would. */
function locateExplicit(value: string, env: NodeJS.ProcessEnv): string {
  if (!value.includes("/") && !value.includes("\\")) {
    const found = searchPath(value, env.PATH ?? "");
    if (found) return found;
  }
  return resolve(value);
}

/**
 * Only absolute PATH entries: an empty or relative one (`PATH=.:/usr/bin`) would run whatever `cloudflared` sits in
 * the current folder. And not `node_modules/.bin`: the `cloudflared` there is the npm package's Node wrapper, which
 * downloads an unverified binary by itself and can leave it running after its parent is killed.
 */
function searchPath(name: string, pathVariable: string): string | null {
  for (const dir of pathVariable.split(delimiter)) {
    if (dir === "" || !isAbsolute(dir) || isNodeModulesBin(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function isNodeModulesBin(dir: string): boolean {
  const parts = dir.split(/[\\/]+/).filter((part) => part !== "");
  return parts.length >= 2 && parts[parts.length - 1] === ".bin" && parts[parts.length - 2] === "node_modules";
}
