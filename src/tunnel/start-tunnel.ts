import type { ChildProcess } from "node:child_process";
import { Tunnel, use } from "cloudflared";
import { withoutSecrets } from "../core/child-env.js";
import { installCloudflared, type InstallProgress, type TunnelLogger } from "./install-binary.js";
import { OutputTail } from "./output-tail.js";
import { defaultCacheDir, isExecutableFile, resolveCloudflaredBinary } from "./resolve-binary.js";
import { TunnelError } from "./tunnel-error.js";

export interface StartTunnelOptions {
  /** The capture server, e.g. http://127.0.0.1:<port>. */
  originUrl: string;
  /** `--cloudflared`; else CLOUDFLARED_BIN, PATH, the cache folder, a download. */
  binary?: string | undefined;
  /** `--tunnel-token`: a named tunnel; needs `publicUrl` (the hostname routed to it). */
  token?: string | undefined;
  /**
   * `listen --tunnel <hostname>`: a named tunnel `hooktape tunnel setup` created, run by its id; cloudflared finds
   * its credentials file where it wrote it (~/.cloudflared/<id>.json). Needs `publicUrl`.
   */
  tunnelId?: string | undefined;
  /**
   * The Host cloudflared sends to the origin (its `httpHostHeader` setting, given in its environment as
   * TUNNEL_HTTP_HOST_HEADER so that `ps` does not show it): the capture server's per-run proof that a request on
   * its tunnel port came from this cloudflared. Masked in cloudflared's output, which logs its TUNNEL_ variables.
   */
  originHostHeader?: string | undefined;
  /** `--public-url`: used with a token; a quick tunnel gets its URL from cloudflared. */
  publicUrl?: string | undefined;
  /** Wait this long for the FIRST registered connection, not merely a printed URL. Default 45000. */
  timeoutMs?: number;
  /** Default $XDG_CACHE_HOME/hooktape or ~/.cache/hooktape. */
  cacheDir?: string;
  /** Used to find the binary, and given to the cloudflared process. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Shown (a spinner in the CLI) while cloudflared is downloaded into cacheDir. */
  install?: InstallProgress | undefined;
  logger?: TunnelLogger;
  /** Ctrl-C while the tunnel opens: cloudflared is stopped and the start rejects with a TunnelError (`cancelled`). */
  signal?: AbortSignal | undefined;
}

export interface TunnelConnection {
  id: string;
  ip: string;
  location: string;
}

export interface TunnelHandle {
  publicUrl: string;
  connection: TunnelConnection;
  binary: string;
  /** cloudflared's last output lines (for messages). */
  recentOutput(): string[];
  /** Called once if cloudflared exits or loses every connection after start; the capture keeps running. */
  onDown(listener: (reason: string) => void): void;
  /** SIGINT, then SIGKILL after a grace period (default 3 s); resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 45_000;
const DEFAULT_STOP_GRACE_MS = 3_000;
/** Lines kept for recentOutput(); lines shown inside an error message. */
const KEEP_LINES = 50;
const TAIL_LINES = 3;
/**
 * cloudflared re-dials a dropped edge connection within seconds ("Retrying connection in up to
 * 1s"), so losing the last one is only reported as down if none is back within this time.
 */
const RECONNECT_GRACE_MS = 10_000;
/** How long an exit waits for a stop() already on its way before it is reported as down. */
const EXIT_REPORT_DELAY_MS = 250;
/** After `exit`, how long to wait for the pipes to drain the last lines before giving up. */
const DRAIN_MS = 1_000;

const silentLogger: TunnelLogger = { info() {}, warn() {} };

/**
 * Starts cloudflared in front of `originUrl` and resolves once Cloudflare's edge has registered a
 * connection — a printed URL alone does not route traffic yet. Rejects with a TunnelError (one
 * line and a short tail of cloudflared's output) if the binary cannot be found or downloaded,
 * exits early, or is not connected within `timeoutMs`; the process is stopped first.
 */
export async function startTunnel(options: StartTunnelOptions): Promise<TunnelHandle> {
  if ((options.token !== undefined || options.tunnelId !== undefined) && !options.publicUrl) {
    throw new TypeError("startTunnel: a named tunnel (token) needs publicUrl, the hostname routed to it");
  }
  const env = options.env ?? process.env;
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const cacheDir = options.cacheDir ?? defaultCacheDir(env);

  const found = resolveCloudflaredBinary({ binary: options.binary, env, cacheDir });
  let binary: string;
  if (found === null) {
    binary = await installCloudflared(cacheDir, { logger, progress: options.install, releaseBase: env.HOOKTAPE_CLOUDFLARED_RELEASE_BASE });
  } else {
    if (!isExecutableFile(found.path)) {
      const origin = found.source === "flag" ? "--cloudflared" : found.source === "env" ? "CLOUDFLARED_BIN" : found.source;
      throw new TunnelError(`${origin} points to ${found.path}, which is not an executable file`);
    }
    binary = found.path;
  }

  const process_ = new CloudflaredProcess(binary, options, env);
  try {
    const ready = await process_.waitUntilConnected(timeoutMs, options.signal);
    process_.watchAfterStart();
    return {
      publicUrl: ready.publicUrl,
      connection: ready.connection,
      binary,
      recentOutput: () => process_.output.recent(),
      onDown: (listener) => process_.onDown(listener),
      stop: (graceMs) => process_.stop(graceMs ?? DEFAULT_STOP_GRACE_MS),
    };
  } catch (error) {
    // Never leave a half-started cloudflared behind a failed start.
    await process_.stop(DEFAULT_STOP_GRACE_MS);
    throw error;
  }
}

/** One cloudflared child process, its output and its lifecycle. */
class CloudflaredProcess {
  readonly output: OutputTail;
  private readonly tunnel: Tunnel;
  private readonly child: ChildProcess;
  private readonly named: boolean;
  private readonly connections = new Set<string>();
  private readonly exited: Promise<void>;
  private exitDescription: string | null = null;
  private spawnError: Error | null = null;
  private stopping: Promise<void> | null = null;
  private downReason: string | null = null;
  private readonly downListeners: Array<(reason: string) => void> = [];
  private reconnectTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(
    private readonly binary: string,
    private readonly options: StartTunnelOptions,
    env: NodeJS.ProcessEnv,
  ) {
    this.named = options.token !== undefined || options.tunnelId !== undefined;
    this.output = new OutputTail(KEEP_LINES, [options.token, options.originHostHeader].filter((secret): secret is string => secret !== undefined && secret !== ""));
    // The package spawns the binary set with use() directly (no shell, no Node wrapper), in its constructor, with
    // process.env. The token goes in the environment (TUNNEL_TOKEN, which `cloudflared tunnel run` reads), never in
    // the arguments: every local user can read a process's arguments in /proc/<pid>/cmdline. hooktape's own
    // secrets are not passed on.
    use(binary);
    const childEnv = withoutSecrets(env);
    if (options.token !== undefined) childEnv.TUNNEL_TOKEN = options.token;
    if (options.originHostHeader !== undefined) childEnv.TUNNEL_HTTP_HOST_HEADER = options.originHostHeader;
    this.tunnel = withProcessEnv(childEnv, () =>
      options.tunnelId !== undefined
        ? new Tunnel(["tunnel", "run", "--url", options.originUrl, "--no-autoupdate", options.tunnelId])
        : this.named
          ? new Tunnel(["tunnel", "run", "--url", options.originUrl, "--no-autoupdate"])
          : Tunnel.quick(options.originUrl, { "--no-autoupdate": true }),
    );
    this.child = this.tunnel.process;
    this.tunnel.on("stdout", (chunk) => this.output.push(chunk));
    this.tunnel.on("stderr", (chunk) => this.output.push(chunk));

    // Kill a still-running cloudflared if hooktape itself exits without stopping it.
    const killOnExit = () => {
      this.child.kill("SIGKILL");
    };
    process.once("exit", killOnExit);

    this.exited = new Promise<void>((resolve) => {
      let drainTimer: NodeJS.Timeout | undefined;
      const finish = () => {
        clearTimeout(drainTimer);
        process.off("exit", killOnExit);
        this.output.flush();
        resolve();
      };
      // `close` comes after the pipes have delivered cloudflared's last lines, which the error
      // message needs; `exit` alone can arrive first.
      this.child.once("close", finish);
      this.child.once("exit", (code, signal) => {
        this.exitDescription = signal ? `was killed by ${signal}` : `exited with code ${code ?? "unknown"}`;
        drainTimer = setTimeout(finish, DRAIN_MS);
        drainTimer.unref();
      });
      // Spawn failures (ENOENT, EACCES) arrive asynchronously as `error` with no `exit`.
      this.tunnel.on("error", (error) => {
        if (this.child.pid === undefined) {
          this.spawnError = error;
          finish();
        }
      });
    });
  }

  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.spawnError === null;
  }

  waitUntilConnected(timeoutMs: number, signal?: AbortSignal): Promise<{ publicUrl: string; connection: TunnelConnection }> {
    return new Promise((resolve, reject) => {
      let publicUrl = this.named ? (this.options.publicUrl as string) : null;
      let connection: TunnelConnection | null = null;
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        outcome();
      };
      const onAbort = () => settle(() => reject(new TunnelError("cancelled before the tunnel was ready", this.output.recent(), { cancelled: true })));
      const check = () => {
        if (publicUrl !== null && connection !== null) {
          const ready = { publicUrl, connection };
          settle(() => resolve(ready));
        }
      };
      this.tunnel.on("url", (url) => {
        if (!this.named && publicUrl === null && isQuickTunnelUrl(url)) {
          publicUrl = url;
          check();
        }
      });
      this.tunnel.on("connected", (conn) => {
        this.connections.add(conn.id);
        clearTimeout(this.reconnectTimer);
        if (connection === null) {
          connection = { id: conn.id, ip: conn.ip, location: conn.location };
          check();
        }
      });
      this.tunnel.on("disconnected", (conn) => {
        this.connections.delete(conn.id);
        if (this.started && this.connections.size === 0) this.scheduleLostConnections();
      });
      void this.exited.then(() => {
        settle(() => reject(this.failure(this.exitSummary("before the tunnel was ready"))));
      });
      const seconds = Math.round(timeoutMs / 100) / 10;
      const timer = setTimeout(() => {
        const summary =
          publicUrl === null
            ? `cloudflared printed no tunnel URL within ${seconds} s`
            : `cloudflared registered no connection with Cloudflare's edge within ${seconds} s` +
              (this.named ? "" : ` (for ${publicUrl})`) +
              "; outbound port 7844 may be blocked";
        settle(() => reject(this.failure(summary)));
      }, timeoutMs);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** From now on, an exit or the loss of every connection is reported through onDown. */
  watchAfterStart(): void {
    this.started = true;
    void this.exited.then(() => {
      clearTimeout(this.reconnectTimer);
      const last = this.output.tail(1)[0];
      const reason = `cloudflared ${this.exitDescription ?? "exited"}${last ? `: ${last}` : ""}`;
      // Ctrl-C in a terminal reaches cloudflared too (same process group), so it can exit a
      // moment before hooktape's own shutdown calls stop(); that is not the tunnel failing.
      setTimeout(() => this.reportDown(reason), EXIT_REPORT_DELAY_MS).unref();
    });
  }

  onDown(listener: (reason: string) => void): void {
    if (this.downReason !== null) {
      const reason = this.downReason;
      queueMicrotask(() => listener(reason));
      return;
    }
    this.downListeners.push(listener);
  }

  stop(graceMs: number): Promise<void> {
    this.stopping ??= this.terminate(graceMs);
    return this.stopping;
  }

  private async terminate(graceMs: number): Promise<void> {
    clearTimeout(this.reconnectTimer);
    if (!this.isRunning) {
      await this.exited;
      return;
    }
    // cloudflared drains in-flight requests on SIGINT; a second signal or SIGKILL cuts it short.
    this.child.kill("SIGINT");
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<"grace-over">((resolve) => {
      graceTimer = setTimeout(() => resolve("grace-over"), graceMs);
    });
    const outcome = await Promise.race([this.exited.then(() => "exited" as const), graceOver]);
    clearTimeout(graceTimer);
    if (outcome === "grace-over") {
      this.child.kill("SIGKILL");
      await this.exited;
    }
  }

  private scheduleLostConnections(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      if (this.connections.size === 0) {
        const last = this.output.tail(1)[0];
        this.reportDown(`cloudflared lost every connection to Cloudflare's edge${last ? `: ${last}` : ""}`);
      }
    }, RECONNECT_GRACE_MS);
    this.reconnectTimer.unref();
  }

  private reportDown(reason: string): void {
    if (this.stopping !== null || this.downReason !== null) return;
    this.downReason = reason;
    for (const listener of this.downListeners.splice(0)) listener(reason);
  }

  private exitSummary(when: string): string {
    if (this.spawnError !== null) {
      const code = (this.spawnError as NodeJS.ErrnoException).code ?? this.spawnError.message;
      return `could not run cloudflared at ${this.binary} (${code})`;
    }
    return `cloudflared ${this.exitDescription ?? "exited"} ${when}`;
  }

  private failure(summary: string): TunnelError {
    const tail = this.output.tail(TAIL_LINES);
    // One line that says what went wrong, then cloudflared's own last words, indented.
    const message = [summary, ...tail.map((line) => `  > ${line}`)].join("\n");
    return new TunnelError(message, this.output.recent(), this.spawnError ? { cause: this.spawnError } : undefined);
  }
}

/**
 * A quick tunnel's hostname. The package's URL pattern also matches the API host in
 * `failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel"`, which is
 * an error, not a tunnel.
 */
function isQuickTunnelUrl(url: string): boolean {
  try {
    const { hostname, protocol } = new URL(url);
    return protocol === "https:" && hostname.endsWith(".trycloudflare.com") && hostname !== "api.trycloudflare.com";
  } catch {
    return false;
  }
}

/**
 * The package spawns with `process.env` and has no option for another environment; the spawn
 * happens synchronously inside the constructor, so swapping `process.env` around that one call
 * gives the child the caller's environment without a lasting change.
 */
function withProcessEnv<T>(env: NodeJS.ProcessEnv, create: () => T): T {
  const saved = process.env;
  process.env = env;
  try {
    return create();
  } finally {
    process.env = saved;
  }
}
