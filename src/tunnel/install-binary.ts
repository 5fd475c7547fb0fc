import { chmodSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CLOUDFLARED_VERSION, RELEASE_BASE, install } from "cloudflared";
import { cachedCloudflaredPath } from "./resolve-binary.js";
import { TunnelError } from "./tunnel-error.js";

export interface TunnelLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface InstallProgress {
  start(message: string): void;
  succeed(message: string): void;
  fail(message: string): void;
}

/**
 * A stalled download (the response stops mid-body) never settles inside the package's
 * `install`; without a bound `listen` would hang before printing anything. The binary is about
 * 40 MB, so the bound is generous.
 */
const INSTALL_TIMEOUT_MS = 5 * 60_000;

/**
 * Downloads cloudflared into the cache folder with the package's own `install` (GitHub release
 * assets, https://github.com/cloudflare/cloudflared/releases). The file is written under a
 * temporary name and renamed when complete, so an interrupted download never leaves a
 * truncated binary that a later run would find and try to execute.
 */
export async function installCloudflared(
  cacheDir: string,
  options: { logger?: TunnelLogger | undefined; progress?: InstallProgress | undefined } = {},
): Promise<string> {
  const target = cachedCloudflaredPath(cacheDir);
  const release = CLOUDFLARED_VERSION === "latest" ? "latest release" : `release ${CLOUDFLARED_VERSION}`;
  options.logger?.info(
    `cloudflared was not found (no --cloudflared, CLOUDFLARED_BIN or cloudflared on PATH); ` +
      `downloading the ${release} for ${process.platform}-${process.arch} from ${RELEASE_BASE} into ${cacheDir}`,
  );
  options.progress?.start("Downloading cloudflared…");
  const partial = join(cacheDir, `.cloudflared-${process.pid}-${Date.now()}.download`);
  let timer: NodeJS.Timeout | undefined;
  try {
    mkdirSync(cacheDir, { recursive: true });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${INSTALL_TIMEOUT_MS / 60_000} minutes`)), INSTALL_TIMEOUT_MS);
      timer.unref();
    });
    await Promise.race([install(partial), timeout]);
    if (process.platform !== "win32") chmodSync(partial, 0o755);
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { force: true });
    const reason = describeFailure(error);
    options.progress?.fail(`Could not download cloudflared (${reason})`);
    throw new TunnelError(
      `cloudflared is not installed and could not be downloaded (${reason}); install it or pass --cloudflared <path>`,
      [],
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
  options.progress?.succeed(`cloudflared installed in ${target}`);
  return target;
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Node's happy-eyeballs AggregateError has an empty message and only a code.
    if (error.message === "") return code ?? error.name;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
