import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { HooktapeError } from "../core/errors.js";
import { trimTrailingSlashes } from "../core/text.js";
import { download } from "../tunnel/install-binary.js";
import { defaultCacheDir, isExecutableFile } from "../tunnel/resolve-binary.js";

/**
 * The workerd release `relay serve` runs, pinned: Cloudflare's own build from the npm registry's
 * `@cloudflare/workerd-<platform>` package (one file, bin/workerd), with the registry's SHA-512 integrity of each
 * platform's tarball, checked before anything is extracted. To move to a newer release: change the version and every
 * integrity together (`npm view @cloudflare/workerd-<platform>@<version> dist.integrity`), and the devDependency
 * `workerd` to the same version.
 */
export const WORKERD_VERSION = "1.20261123.1";

export const WORKERD_REGISTRY = "https://registry.npmjs.org";

export interface WorkerdPackage {
  /** `@cloudflare/workerd-linux-64` */
  name: string;
  /** The tarball's `dist.integrity`: sha512-<base64>. */
  integrity: string;
}

const PACKAGES: Readonly<Record<string, WorkerdPackage>> = {
  "linux-x64": { name: "@cloudflare/workerd-linux-64", integrity: "sha512-hQs6svgH3YxdgKw7K0IVZ/gmeW49/z4UEHcxpsQHEa6Y2ZabUQef7YCI/BVcaCoHHp8p3cE/cziU3qh9ALIICw==" },
  "linux-arm64": { name: "@cloudflare/workerd-linux-arm64", integrity: "sha512-LLsuu+ZIcppjDNU4A9QGIbotqkiSXP2QF3HD9kCaateQUxB5GOJ6GRx+qKIu/1A+UBDKR3JutXpT9kKWe5PzEA==" },
  "darwin-x64": { name: "@cloudflare/workerd-darwin-64", integrity: "sha512-eHJEySbW8swWiAYYaOn4LdtHQEPfug9oetPATkaXbsYxjsMX+nfyJ16//2ghXws8npxA+ZJkt5RYpimFfVdgkQ==" },
  "darwin-arm64": { name: "@cloudflare/workerd-darwin-arm64", integrity: "sha512-rDj5iScvzFD/6/pk01GqyIWa78DOGYLf18WCNG4bzfw1Z+VE/pG8msAllduLh0F/1WGD/PYxXJn03CCeSQPOUw==" },
  "win32-x64": { name: "@cloudflare/workerd-windows-64", integrity: "sha512-/zl++/e/0JLMttdz4lUsCo58NaLKQZKancI2YPciaLH9iLHq6UOP2BQZt+dejGRrV9UxdpPYPHUYU9Km5PcALA==" },
};

const EXECUTABLE = process.platform === "win32" ? "workerd.exe" : "workerd";

/** The package for a platform and CPU, or null where none is pinned. */
export function workerdPackage(platform: string, arch: string): WorkerdPackage | null {
  return PACKAGES[`${platform}-${arch}`] ?? null;
}

export type WorkerdSource = "flag" | "env" | "package" | "cache";

/**
 * Finds workerd: `--workerd <path>`, `HOOKTAPE_WORKERD`, the platform package installed beside hooktape (the
 * `workerd` devDependency, or a user's own `npm i workerd`), then hooktape's cache folder. Null when only a download
 * can help. An explicit path is returned even when missing, so that a typo is reported, not replaced.
 */
export function resolveWorkerd(options: { flag?: string | undefined; env?: NodeJS.ProcessEnv; cacheDir?: string } = {}): { path: string; source: WorkerdSource } | null {
  const env = options.env ?? process.env;
  if (options.flag) return { path: options.flag, source: "flag" };
  if (env.HOOKTAPE_WORKERD) return { path: env.HOOKTAPE_WORKERD, source: "env" };
  const installed = installedPackageBinary();
  if (installed !== null) return { path: installed, source: "package" };
  const cached = cachedWorkerdPath(options.cacheDir ?? defaultCacheDir(env));
  if (isExecutableFile(cached)) return { path: cached, source: "cache" };
  return null;
}

/** Where the cache folder keeps the pinned workerd: one folder per version, so that an upgrade never runs an old one. */
export function cachedWorkerdPath(cacheDir: string): string {
  return join(cacheDir, `workerd-${WORKERD_VERSION}`, EXECUTABLE);
}

function installedPackageBinary(): string | null {
  const pkg = workerdPackage(process.platform, process.arch);
  if (pkg === null) return null;
  try {
    const require = createRequire(import.meta.url);
    const binary = join(dirname(require.resolve(`${pkg.name}/package.json`)), "bin", EXECUTABLE);
    return isExecutableFile(binary) ? binary : null;
  } catch {
    return null;
  }
}

export interface InstallWorkerdOptions {
  /** Where the registry is (default npm's; also `HOOKTAPE_WORKERD_REGISTRY`, for a mirror or a test server). */
  registry?: string | undefined;
  platform?: string;
  arch?: string;
  /** Tests only: the package and integrity to expect instead of the pinned one. */
  pkg?: WorkerdPackage;
  version?: string;
  info?: (message: string) => void;
}

/**
 * Downloads the pinned workerd package tarball for this platform into the cache folder, checks its SHA-512 against
 * the pinned integrity BEFORE extracting, and moves bin/workerd into place. A refused or interrupted download leaves
 * nothing behind.
 */
export async function installWorkerd(cacheDir: string, options: InstallWorkerdOptions = {}): Promise<string> {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const pkg = options.pkg ?? workerdPackage(platform, arch);
  const version = options.version ?? WORKERD_VERSION;
  if (pkg === null) {
    throw new HooktapeError("environment", `hooktape has no pinned workerd build for ${platform}-${arch}; install one and pass --workerd <path> (or HOOKTAPE_WORKERD)`);
  }
  const registry = trimTrailingSlashes(options.registry || WORKERD_REGISTRY);
  const file = `${pkg.name.split("/")[1]}-${version}.tgz`;
  const url = `${registry}/${pkg.name}/-/${file}`;
  options.info?.(`relay serve runs workerd, Cloudflare's Workers runtime: downloading ${pkg.name}@${version} from ${url} into ${cacheDir} (SHA-512 checked)`);
  const target = cachedWorkerdPath(cacheDir);
  let work: string | null = null;
  try {
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    work = mkdtempSync(join(cacheDir, ".workerd-download-"));
    const downloaded = join(work, file);
    const digest = await download(url, downloaded, "sha512");
    const expected = Buffer.from(pkg.integrity.replace(/^sha512-/, ""), "base64").toString("hex");
    if (digest !== expected) throw new Error(`SHA-512 mismatch for ${file}: refusing to install it`);
    await new Promise<void>((resolve, reject) => {
      execFile("tar", ["-xzf", downloaded, "-C", work!, `package/bin/${EXECUTABLE}`], (error) => (error ? reject(error) : resolve()));
    });
    const binary = join(work, "package", "bin", EXECUTABLE);
    if (!existsSync(binary)) throw new Error(`${file} holds no bin/${EXECUTABLE}`);
    if (platform !== "win32") chmodSync(binary, 0o755);
    renameSync(binary, target);
  } catch (error) {
    throw new HooktapeError("environment", `workerd is not installed and could not be installed (${error instanceof Error ? error.message : String(error)}); install it and pass --workerd <path>`, {
      cause: error,
    });
  } finally {
    if (work !== null) rmSync(work, { recursive: true, force: true });
  }
  return target;
}
