import { HooktapeError, badInput } from "../../core/errors.js";
import { createVerifier, secretHeadersOf, type VerificationSettings } from "../../providers/verification.js";
import { parseInteger, parseSize } from "../../core/units.js";
import { startCaptureServer, type CaptureNotice, type CaptureServer } from "../../capture/index.js";
import { createDeliveryAgent, resolveTarget } from "../../forward/index.js";
import { createCertificateFetcher } from "../../certs/fetch-certificate.js";
import { verifyFetchingCertificates } from "../../certs/verify-fetching.js";
import { isProviderId, resolveSecrets } from "../../providers/index.js";
import { toVerification } from "../../providers/verification.js";
import { verifyTokensFrom, type HandshakeCredentials, type HandshakeMode } from "../../capture/handshakes.js";
import type { EventStore } from "../../store/index.js";
import { RunBoard } from "../../inspector/run-status.js";
import { openStore, outputFor, type GlobalFlags } from "../context.js";
import { rememberStore } from "../recent-stores.js";
import { watchInterrupts } from "../interrupt.js";
import { formatEventLine, formatHandshake, summaryJson } from "../views/event-view.js";
import type { Output } from "../views/output.js";
import { hmacSettingsFrom, type HmacFlags } from "./hmac-flags.js";
import { planPublicUrlHooks, startPublicUrlHooks, type PublicUrlFlags, type PublicUrlHooks } from "./listen-public-url.js";

export interface ListenFlags extends GlobalFlags, HmacFlags, PublicUrlFlags {
  port?: string;
  host: string;
  tunnel: boolean;
  /** `--tunnel <hostname>`: a named tunnel made by `hooktape tunnel setup`. */
  tunnelHostname?: string;
  tunnelToken?: string;
  publicUrl?: string;
  cloudflared?: string;
  secret: string[];
  provider?: string;
  ack?: string;
  timeout: string;
  maxBody: string;
  maxStore: string;
  ui?: boolean;
  uiPort?: string;
  uiHost?: string;
  /** `--handshakes <mode>` (a string), `--no-handshakes` (false), or absent (answer). */
  handshakes?: string | false;
  verifyToken?: string[];
  /** Certificate schemes: fetch the certificate or key a delivery names, from the provider's own hosts only. */
  fetchCerts?: boolean;
}

interface TunnelLike {
  publicUrl: string;
  onDown(listener: (reason: string) => void): void;
  stop(): Promise<void>;
}

export async function runListen(targetText: string | undefined, flags: ListenFlags): Promise<void> {
  const output = outputFor(flags);
  const target = targetText === undefined ? null : resolveTarget(targetText);
  const port = flags.port === undefined ? 0 : parseInteger(flags.port, "--port", 0, 65535);
  const ack = flags.ack === undefined ? null : parseInteger(flags.ack, "--ack", 100, 599);
  const timeoutMs = parseInteger(flags.timeout, "--timeout", 1);
  const maxBodyBytes = parseSize(flags.maxBody, "--max-body");
  const maxStoreBytes = parseSize(flags.maxStore, "--max-store");
  if (flags.provider !== undefined && !isProviderId(flags.provider)) {
    throw badInput(`Unknown --provider "${flags.provider}"; see \`hooktape providers\``);
  }
  if (flags.tunnelToken !== undefined && flags.publicUrl === undefined) {
    throw badInput("--tunnel-token needs --public-url, the hostname your named tunnel routes, e.g. --public-url https://hooks.example.com");
  }
  if (!flags.tunnel && flags.tunnelToken !== undefined) throw badInput("--no-tunnel and --tunnel-token contradict each other");
  if (flags.tunnelHostname !== undefined && flags.tunnelToken !== undefined) throw badInput("--tunnel <hostname> and --tunnel-token contradict each other");
  const publicUrlPlan = await planPublicUrlHooks(flags);
  const namedTunnel = flags.tunnelHostname === undefined ? undefined : await namedTunnelFor(flags.tunnelHostname);
  // The signing secret of an endpoint `--register` creates: learned at run time, kept in memory only.
  const runtimeSecrets = new Map<string, string[]>();

  const settings: VerificationSettings = {
    providerId: flags.provider,
    secretFlags: flags.secret,
    env: process.env,
    hmac: hmacSettingsFrom(flags),
    runtimeSecrets,
  };
  const verifyRequest = createVerifier(settings);
  const handshakes = { mode: handshakeModeOf(flags.handshakes), credentials: handshakeCredentials(flags, runtimeSecrets) };
  const fetcher = flags.fetchCerts === true ? createCertificateFetcher(process.env) : null;
  const store = openStore(flags, { backgroundCheckpoints: true, commitTimeoutMs: timeoutMs, writerThread: usesWriterThread(process.env) });
  rememberStore(store.file, Date.now());
  const agent = createDeliveryAgent(64, Math.min(timeoutMs, 10_000));
  let tunnel: TunnelLike | null = null;
  let capture: CaptureServer;
  try {
    capture = await startCaptureServer({
      store,
      host: flags.host,
      port,
      target,
      ack,
      timeoutMs,
      maxBodyBytes,
      maxStoreBytes,
      dispatcher: agent,
      publicUrl: () => tunnel?.publicUrl ?? null,
      verify: (request, context) => {
        const nowSec = Math.floor(request.receivedAt / 1000);
        const outcome = verifyRequest(request, { nowSec, url: context.url });
        const decision = {
          provider: outcome.provider?.id ?? null,
          verification: outcome.verification,
          secretHeaders: secretHeadersOf(outcome.provider),
        };
        // --fetch-certs: a certificate scheme's delivery the configured keys do not verify is checked once more with
        // the certificate it names (fetched once per run, from the provider's own hosts only).
        const provider = outcome.provider;
        if (fetcher === null || provider?.kind !== "certificate" || outcome.verification.status === "valid") return decision;
        const secrets = resolveSecrets(provider.id, flags.secret, process.env);
        return verifyFetchingCertificates(provider, request, secrets, { now: nowSec, url: context.url }, fetcher).then((result) => ({
          ...decision,
          verification: toVerification(result),
        }));
      },
      onNotice: (notice) => render(output, notice),
      handshakes,
    });
  } catch (error) {
    store.close();
    await agent.close();
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE") throw new HooktapeError("environment", `Port ${port} on ${flags.host} is in use; pass another --port or leave it out`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw badInput(`Cannot listen on --host ${flags.host}: ${code}`);
    throw error;
  }

  // Registered before the tunnel starts: Ctrl-C while it opens stops cloudflared and then listen.
  const interrupts = watchInterrupts();
  if (flags.tunnel) {
    tunnel = await openTunnel(capture.tunnelOriginUrl, capture.url, flags, output, interrupts.signal, namedTunnel);
  }
  let urlHooks: PublicUrlHooks | null = null;
  if (!interrupts.signal.aborted) {
    announceReady(output, { localUrl: capture.url, publicUrl: tunnel?.publicUrl ?? null, target: target ? displayUrl(target) : null, store });
    urlHooks = await startPublicUrlHooks(publicUrlPlan, { publicUrl: tunnel?.publicUrl ?? null, output, runtimeSecrets, env: process.env });
    const hooks = urlHooks;
    tunnel?.onDown(() => void hooks.tunnelDown());
  }
  const run = new RunBoard({
    captureUrl: capture.url,
    publicUrl: tunnel?.publicUrl ?? null,
    tunnel: { state: tunnel ? "up" : flags.tunnel ? "failed" : "off", note: null },
    target: target ? displayUrl(target) : null,
  });
  tunnel?.onDown((reason) => run.update({ tunnel: { state: "down", note: reason } }));
  const inspector = interrupts.signal.aborted
    ? null
    : await startUi(flags, output, runtimeSecrets, run).catch(async (error: unknown) => {
        if (tunnel) await tunnel.stop();
        await capture.close(0);
        await agent.close();
        store.close();
        throw error;
      });

  await interrupts.stopped;
  output.info(tunnel ? "Stopping: closing the tunnel, finishing requests in flight…" : "Stopping: finishing requests in flight…");
  store.giveUpWaiting();
  // Together: a terminal's Ctrl-C also reaches cloudflared, and a tunnel left waiting while the provider's API
  // answers would be reported as gone.
  await Promise.all([urlHooks?.stop(), tunnel?.stop()]);
  await inspector?.close();
  await capture.close(Math.min(timeoutMs, 10_000));
  await agent.close();
  store.close();
}

function handshakeModeOf(flag: string | false | undefined): HandshakeMode {
  if (flag === false) return "off";
  if (flag === undefined || flag === "answer") return "answer";
  if (flag === "forward-first") return "forward-first";
  throw badInput(`Unknown --handshakes "${flag}": expected answer or forward-first (or --no-handshakes)`);
}

/**
 * What answering a handshake may need: a provider's signing secrets, read as verification reads them (flags, secret
 * files, environment, and what `--register` learnt), and the verify tokens of `--verify-token` or the environment.
 * Looked up when a handshake arrives; nothing here is printed or stored.
 */
function handshakeCredentials(flags: ListenFlags, learned: ReadonlyMap<string, readonly string[]>): HandshakeCredentials {
  const verifyTokensOf = verifyTokensFrom(flags.verifyToken ?? [], process.env);
  return {
    secretsOf: (providerId) => [...resolveSecrets(providerId, flags.secret, process.env), ...(learned.get(providerId) ?? [])],
    verifyTokensOf,
  };
}

/**
 * Where capture commits: on this thread (the default) or on a writer thread. `HOOKTAPE_WRITER=thread|inline` is a
 * hidden switch for the capture benchmark, which compares both in one run. On 2 cores the writer thread served a
 * median 0.81x the requests per second at saturation, for a median 0.90x the p99 at the same offered load
 * (bench/capture.bench.mjs, README "Benchmarks"): throughput, the first goal, decides.
 */
function usesWriterThread(env: NodeJS.ProcessEnv): boolean {
  return env.HOOKTAPE_WRITER === "thread";
}

/**
 * `--ui` (or `--ui-port` / `--ui-host`): the inspector beside the capture server, on its own store connection; its
 * header shows the run (capture URL, public URL and the tunnel's state, target).
 */
async function startUi(flags: ListenFlags, output: Output, learnedSecrets: ReadonlyMap<string, readonly string[]>, run: RunBoard) {
  if (!flags.ui && flags.uiPort === undefined && flags.uiHost === undefined) return null;
  const { openInspector } = await import("./ui.js");
  return openInspector(flags, { host: flags.uiHost ?? "127.0.0.1", port: flags.uiPort, flag: "--ui-port", learnedSecrets, run }, output);
}

/** `--tunnel <hostname>`: the tunnel `hooktape tunnel setup` saved, or exit 2 saying how to make it. */
async function namedTunnelFor(hostname: string): Promise<{ id: string; hostname: string }> {
  const { requireNamedTunnel } = await import("../../tunnel/named-tunnels.js");
  return requireNamedTunnel(hostname, process.env);
}

/** `originUrl`: the capture server's listener for the tunnel alone; `localUrl`: the one people use. */
async function openTunnel(
  originUrl: string,
  localUrl: string,
  flags: ListenFlags,
  output: Output,
  signal: AbortSignal,
  named?: { id: string; hostname: string },
): Promise<TunnelLike | null> {
  const { startTunnel } = await import("../../tunnel/start-tunnel.js");
  const spinner = output.spinner(flags.tunnelToken || named ? "Starting the named Cloudflare tunnel…" : "Opening a Cloudflare quick tunnel…");
  let installing: ReturnType<Output["spinner"]> | null = null;
  try {
    const handle = await startTunnel({
      originUrl,
      binary: flags.cloudflared,
      token: flags.tunnelToken,
      tunnelId: named?.id,
      publicUrl: named ? `https://${named.hostname}` : flags.publicUrl,
      signal,
      logger: { info: (message) => output.info(message), warn: (message) => output.warn(message) },
      install: {
        start: (message) => {
          spinner.stop();
          installing = output.spinner(message);
        },
        succeed: (message) => installing?.succeed(message),
        fail: (message) => installing?.fail(message),
      },
    });
    spinner.succeed(`Tunnel connected (${handle.connection.location})`);
    // A warning record under --json too: a script reading the stream must learn that the public URL is gone.
    handle.onDown((reason) => render(output, { type: "warning", message: `the tunnel went down (${reason}); still capturing on ${localUrl}` }));
    return handle;
  } catch (error) {
    spinner.stop();
    if (signal.aborted) return null; // Ctrl-C while it opened: not a failure to report
    // TunnelError: one line, then a short tail of cloudflared's own output ("  > ...") that explains it.
    const [summary, ...tail] = (error instanceof Error ? error.message : String(error)).split("\n");
    output.warn(`no public tunnel: ${summary}; capturing on ${localUrl} only`);
    for (const line of tail) output.info(output.color.dim(line));
    return null;
  }
}

function announceReady(
  output: Output,
  ready: { localUrl: string; publicUrl: string | null; target: string | null; store: EventStore },
): void {
  if (output.json) {
    output.line(JSON.stringify({ type: "ready", url: ready.localUrl, publicUrl: ready.publicUrl, target: ready.target, db: ready.store.file }));
    return;
  }
  const c = output.color;
  output.line(c.bold("hooktape is listening"));
  if (ready.publicUrl) output.line(`  Public   ${c.cyan(ready.publicUrl)}`);
  output.line(`  Local    ${ready.localUrl}`);
  output.line(`  Forward  ${ready.target ?? c.dim("nowhere (capture only, answering 200)")}`);
  output.line(`  Store    ${ready.store.file}`);
  output.line(c.dim("Ctrl-C to stop."));
}

/** `http://localhost:3000` rather than `http://localhost:3000/`. */
function displayUrl(url: URL): string {
  return url.pathname === "/" && !url.search ? url.origin : url.href;
}

function render(output: Output, notice: CaptureNotice): void {
  if (notice.type === "warning") {
    if (output.json) output.line(JSON.stringify(notice));
    else output.warn(notice.message);
    return;
  }
  const event = notice.event;
  if (output.json) {
    output.line(JSON.stringify({ type: "event", ...summaryJson(event), ...(notice.handshake ? { handshake: notice.handshake } : {}) }));
    return;
  }
  const line = formatEventLine(event, output.color);
  output.line(notice.handshake ? `${line}  ${formatHandshake(notice.handshake, output.color)}` : line);
}
