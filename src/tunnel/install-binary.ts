import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { join } from "node:path";
import { trimTrailingSlashes } from "../core/text.js";
import { CLOUDFLARED_RELEASE, CLOUDFLARED_RELEASE_BASE, releaseAsset, type ReleaseAsset } from "./cloudflared-release.js";
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

export interface InstallOptions {
  logger?: TunnelLogger | undefined;
  progress?: InstallProgress | undefined;
  /**
   * Where the release assets are (default: the pinned GitHub release; also `HOOKTAPE_CLOUDFLARED_RELEASE_BASE`, for
   * a mirror or a test server on 127.0.0.1). The pinned sums are checked whatever the source.
   */
  releaseBase?: string | undefined;
  platform?: string;
  arch?: string;
  /** Tests only: the asset and sum to expect instead of the pinned one for this platform. */
  asset?: ReleaseAsset;
}

/** A stalled download never settles by itself: the binary is ~40 MB, so the bound is generous. */
const INSTALL_TIMEOUT_MS = 5 * 60_000;
/** GitHub answers with one redirect (to its asset storage); more than a few means something is wrong. */
const MAX_REDIRECTS = 5;
/** Larger than any cloudflared build (~40 MB): a server that streams without end is cut off. */
const MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024;

/**
 * Downloads the pinned cloudflared release for this platform into the cache folder and checks its SHA-256 against
 * the sum in the source BEFORE anything is extracted, made executable or put where a later run would find it. The
 * file is written under a temporary name and renamed when verified, so an interrupted or refused download leaves
 * nothing behind.
 */
export async function installCloudflared(cacheDir: string, options: InstallOptions = {}): Promise<string> {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const target = cachedCloudflaredPath(cacheDir);
  const asset = options.asset ?? releaseAsset(platform, arch);
  if (asset === null) {
    throw new TunnelError(`hooktape has no verified cloudflared build for ${platform}-${arch}; install cloudflared yourself and pass --cloudflared <path>`);
  }
  const base = trimTrailingSlashes(options.releaseBase || CLOUDFLARED_RELEASE_BASE);
  const url = `${base}/${asset.name}`;
  options.logger?.info(
    `cloudflared was not found (no --cloudflared, CLOUDFLARED_BIN or cloudflared on PATH); ` +
      `downloading release ${CLOUDFLARED_RELEASE} for ${platform}-${arch} from ${url} into ${cacheDir} (SHA-256 checked)`,
  );
  options.progress?.start("Downloading cloudflared…");
  let work: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    work = mkdtempSync(join(cacheDir, ".cloudflared-download-"));
    const downloaded = join(work, asset.name);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no complete answer within ${INSTALL_TIMEOUT_MS / 60_000} minutes`)), INSTALL_TIMEOUT_MS);
      timer.unref();
    });
    const sha256 = await Promise.race([download(url, downloaded), timeout]);
    if (sha256 !== asset.sha256) {
      throw new ChecksumError(`SHA-256 mismatch for ${asset.name}: expected ${asset.sha256}, got ${sha256}; refusing to install it`);
    }
    const binary = await extract(asset, downloaded, work);
    if (platform !== "win32") chmodSync(binary, 0o755);
    renameSync(binary, target);
  } catch (error) {
    const reason = describeFailure(error);
    options.progress?.fail(`Could not install cloudflared (${reason})`);
    throw new TunnelError(
      error instanceof ChecksumError
        ? `the cloudflared download did not match the pinned release (${reason})`
        : `cloudflared is not installed and could not be downloaded (${reason}); install it or pass --cloudflared <path>`,
      [],
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    if (work !== null) rmSync(work, { recursive: true, force: true });
  }
  options.progress?.succeed(`cloudflared ${CLOUDFLARED_RELEASE} installed in ${target}`);
  return target;
}

class ChecksumError extends Error {}

/**
 * Streams `url` into `file` and returns the hex digest (SHA-256 unless told) of what arrived. https only, except for
 * loopback. The relay's runtime (relay/workerd-runtime.ts) is fetched the same way.
 */
export function download(url: string, file: string, algorithm: "sha256" | "sha512" = "sha256", redirects = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new Error(`invalid download URL ${url}`));
      return;
    }
    const loopback = parsed.hostname === "127.0.0.1" || parsed.hostname === "localhost" || parsed.hostname === "[::1]";
    if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && loopback)) {
      reject(new Error(`refusing a non-https download URL (${parsed.origin})`));
      return;
    }
    const client = parsed.protocol === "https:" ? https : http;
    const request = client.get(parsed, { headers: { "user-agent": "hooktape" } }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if (redirects >= MAX_REDIRECTS) {
          reject(new Error(`more than ${MAX_REDIRECTS} redirects`));
          return;
        }
        const next = new URL(response.headers.location, parsed);
        if (next.protocol !== "https:" && !(next.protocol === "http:" && loopback)) {
          reject(new Error(`refusing a redirect to ${next.origin}`));
          return;
        }
        download(next.href, file, algorithm, redirects + 1).then(resolve, reject);
        return;
      }
      if (status !== 200) {
        response.resume();
        reject(new Error(`HTTP ${status} from ${parsed.origin}`));
        return;
      }
      const hash = createHash(algorithm);
      const out = createWriteStream(file, { mode: 0o600 });
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_DOWNLOAD_BYTES) {
          response.destroy(new Error(`the download exceeds ${MAX_DOWNLOAD_BYTES / 1024 / 1024} MiB`));
          return;
        }
        hash.update(chunk);
      });
      response.on("error", (error) => {
        out.destroy();
        reject(error);
      });
      response.pipe(out);
      out.on("error", reject);
      out.on("finish", () => {
        if (!response.complete) reject(new Error("the download was cut short"));
        else resolve(hash.digest("hex"));
      });
    });
    request.on("error", reject);
  });
}

/** The verified binary: the download itself, or the `cloudflared` inside a macOS .tgz (tar, run directly). */
async function extract(asset: ReleaseAsset, downloaded: string, work: string): Promise<string> {
  if (asset.archive === null) return downloaded;
  const into = join(work, "extracted");
  mkdirSync(into);
  await new Promise<void>((resolve, reject) => {
    execFile("tar", ["-xzf", downloaded, "-C", into, "cloudflared"], (error) => (error ? reject(error) : resolve()));
  });
  return join(into, "cloudflared");
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
