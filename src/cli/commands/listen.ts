import { randomBytes } from "node:crypto";
import type { Routing } from "../../capture/routing.js";
import { HooktapeError, badInput } from "../../core/errors.js";
import { eventTypeOf } from "../../providers/event-type.js";
import { createVerifier, secretHeadersOf, type VerificationSettings } from "../../providers/verification.js";
import { parseInteger, parseSize } from "../../core/units.js";
import { startCaptureServer, type CaptureNotice, type CaptureOptions, type CaptureServer } from "../../capture/index.js";
import { createDeliveryAgent, resolveTarget } from "../../forward/index.js";
import { createCertificateFetcher } from "../../certs/fetch-certificate.js";
import { verifyFetchingCertificates } from "../../certs/verify-fetching.js";
import { isProviderId } from "../../providers/index.js";
import { createSecretBook, type SecretBook } from "../../secrets/secret-book.js";
import { toVerification } from "../../providers/verification.js";
import { verifyTokensFrom, type HandshakeCredentials, type HandshakeMode } from "../../capture/handshakes.js";
import type { EventStore } from "../../store/index.js";
import { RunBoard } from "../../inspector/run-status.js";
import { openStore, outputFor, type GlobalFlags } from "../context.js";
import { parseRouting } from "../route-flags.js";
import { rememberStore } from "../recent-stores.js";
import { watchInterrupts } from "../interrupt.js";
import { formatEventLine, formatHandshake, summaryJson } from "../views/event-view.js";
import type { Output } from "../views/output.js";
import { hmacSettingsFrom, type HmacFlags } from "./hmac-flags.js";
import { planPublicUrlHooks, startPublicUrlHooks, type PublicUrlFlags, type PublicUrlHooks } from "./listen-public-url.js";
import { channelSecrets, planRelayFollow, startRelayFollow, type RelayFlags } from "./listen-relay.js";

export interface ListenFlags extends GlobalFlags, HmacFlags, PublicUrlFlags, RelayFlags {
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
  /** Routing and filtering: `--route <glob>=<target>` (repeatable) and `--only <type-glob>` (repeatable). */
  route?: string[];
  only?: string[];
}

interface TunnelLike {
  publicUrl: string;
  onDown(listener: (reason: string) => void): void;
  stop(): Promise<void>;
}

export async function runListen(targetText: string | undefined, flags: ListenFlags): Promise<void> {
  const output = outputFor(flags);
  const settings = parseListenFlags(targetText, flags);
  const { target, routing, timeoutMs } = settings;
  // --relay: follow a relay channel instead of opening a tunnel.
  const relayPlan = planRelayFollow(flags, process.env);
  const publicUrlPlan = await planPublicUrlHooks(flags);
  const namedTunnel = flags.tunnelHostname === undefined ? undefined : await namedTunnelFor(flags.tunnelHostname);
  // The run's secrets: the flags', the environment's, and what it learns (the signing secret of an endpoint
  // `--register` creates; with --relay, those of the endpoints `relay channel create --register` made for the channel).
  const secrets = createSecretBook({ flagValues: flags.secret, env: process.env, namedProvider: flags.provider });
  if (relayPlan !== null) for (const [provider, values] of await channelSecrets(relayPlan.channel)) for (const value of values) secrets.learn(provider, value);

  const verify = createListenVerifier(flags, secrets);
  const handshakes = { mode: handshakeModeOf(flags.handshakes), credentials: handshakeCredentials(flags, secrets) };
  const store = openStore(flags, { backgroundCheckpoints: true, commitTimeoutMs: timeoutMs });
  rememberStore(store.file, Date.now());
  const agent = createDeliveryAgent(64, Math.min(timeoutMs, 10_000));
  // `hooktape trigger` finds this run in the store and marks what it sends through it with this token.
  const triggerToken = randomBytes(24).toString("base64url");
  let tunnel: TunnelLike | null = null;
  const capture = await startCapture(settings, flags, {
    store,
    dispatcher: agent,
    publicUrl: () => tunnel?.publicUrl ?? null,
    verify,
    onNotice: (notice) => render(output, notice),
    handshakes,
    triggerToken,
  }).catch(async (error: unknown) => {
    store.close();
    await agent.close();
    throw error;
  });

  const runRecord = recordRun(store, capture.url, triggerToken);
  // Registered before the tunnel starts: Ctrl-C while it opens stops cloudflared and then listen.
  const interrupts = watchInterrupts();
  if (flags.tunnel && relayPlan === null) {
    tunnel = await openTunnel({ url: capture.tunnelOriginUrl, hostHeader: capture.tunnelHostHeader }, capture.url, flags, output, interrupts.signal, namedTunnel);
  }
  let urlHooks: PublicUrlHooks | null = null;
  if (!interrupts.signal.aborted) {
    announceReady(output, { localUrl: capture.url, publicUrl: tunnel?.publicUrl ?? null, target: target ? displayUrl(target) : null, routing, store, relay: relayPlan?.channelUrl ?? null });
    urlHooks = await startPublicUrlHooks(publicUrlPlan, { publicUrl: tunnel?.publicUrl ?? null, output, secrets, env: process.env });
    const hooks = urlHooks;
    tunnel?.onDown(() => void hooks.tunnelDown());
  }
  const follower =
    relayPlan === null || interrupts.signal.aborted
      ? null
      : await startRelayFollow(relayPlan, flags, {
          store,
          target,
          routing,
          timeoutMs,
          dispatcher: agent,
          verify,
          secretsOf: (providerId) => secrets.verifying(providerId),
          output,
          render: (notice) => render(output, notice),
        });
  const run = runBoardOf(capture.url, tunnel, relayPlan?.channelUrl ?? null, flags.tunnel, target);
  tunnel?.onDown((reason) => run.update({ tunnel: { state: "down", note: reason } }));
  const inspector = interrupts.signal.aborted
    ? null
    : await startUi(flags, output, secrets, run).catch(async (error: unknown) => {
        if (tunnel) await tunnel.stop();
        await capture.close(0);
        await agent.close();
        store.close();
        throw error;
      });

  await interrupts.stopped;
  await stopListen({ output, store, tunnel, urlHooks, follower, inspector, capture, agent, runRecord, timeoutMs });
}

/** Starts the capture server with the run's settings; a port it cannot take is one line (exit 2 or 3). */
async function startCapture(
  settings: ReturnType<typeof parseListenFlags>,
  flags: ListenFlags,
  parts: Pick<CaptureOptions, "store" | "dispatcher" | "publicUrl" | "verify" | "onNotice" | "handshakes" | "triggerToken">,
): Promise<CaptureServer> {
  const { target, routing, port, ack, timeoutMs, maxBodyBytes, maxStoreBytes } = settings;
  try {
    return await startCaptureServer({ ...parts, host: flags.host, port, target, ack, timeoutMs, maxBodyBytes, maxStoreBytes, routing });
  } catch (error) {
    throw captureStartError(error, port, flags.host);
  }
}

/** What the inspector shows of this run: where it captures, its public URL, its tunnel's state, its handler. */
function runBoardOf(captureUrl: string, tunnel: TunnelLike | null, relayChannelUrl: string | null, tunnelAsked: boolean, target: URL | null): RunBoard {
  return new RunBoard({
    captureUrl,
    // Senders call the relay channel when listen follows one: that is this run's public URL.
    publicUrl: tunnel?.publicUrl ?? relayChannelUrl,
    tunnel: { state: tunnel ? "up" : tunnelAsked && relayChannelUrl === null ? "failed" : "off", note: null },
    target: target ? displayUrl(target) : null,
  });
}

/** Stops everything listen started, in order, once Ctrl-C has come: requests in flight finish, the store closes last. */
async function stopListen(parts: {
  output: Output;
  store: EventStore;
  tunnel: TunnelLike | null;
  urlHooks: PublicUrlHooks | null;
  follower: { stop(): Promise<void> } | null;
  inspector: { close(): Promise<void> } | null;
  capture: { close(graceMs: number): Promise<void> };
  agent: { close(): Promise<void> };
  runRecord: ReturnType<typeof recordRun>;
  timeoutMs: number;
}): Promise<void> {
  const { output, store, tunnel, urlHooks, follower, inspector, capture, agent, runRecord, timeoutMs } = parts;
  output.info(tunnel ? "Stopping: closing the tunnel, finishing requests in flight…" : "Stopping: finishing requests in flight…");
  store.giveUpWaiting();
  // Together: a terminal's Ctrl-C also reaches cloudflared, and a tunnel left waiting while the provider's API
  // answers would be reported as gone.
  await Promise.all([urlHooks?.stop(), tunnel?.stop(), follower?.stop()]);
  await inspector?.close();
  await capture.close(Math.min(timeoutMs, 10_000));
  await agent.close();
  if (runRecord !== null) endRun(store, runRecord);
  store.close();
}

/** Every flag of listen read and checked before anything is opened, so bad input is exit 2 with nothing started. */
function parseListenFlags(targetText: string | undefined, flags: ListenFlags) {
  const target = targetText === undefined ? null : resolveTarget(targetText);
  const routing = parseRouting(flags.route ?? [], flags.only ?? []);
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
  return { target, routing, port, ack, timeoutMs, maxBodyBytes, maxStoreBytes };
}

/**
 * Judges each captured request: which provider, which event type, whether its signature verifies with the run's
 * secrets (the run's secret book: the flags', the environment's and those learned at run time).
 */
function createListenVerifier(flags: ListenFlags, secrets: SecretBook): CaptureOptions["verify"] {
  const settings: VerificationSettings = {
    providerId: flags.provider,
    secretsOf: (providerId) => secrets.verifying(providerId),
    hmac: hmacSettingsFrom(flags),
  };
  const verifyRequest = createVerifier(settings);
  const fetcher = flags.fetchCerts === true ? createCertificateFetcher(process.env) : null;
  const verify: CaptureOptions["verify"] = (request, context) => {
    const nowSec = Math.floor(request.receivedAt / 1000);
    const outcome = verifyRequest(request, { nowSec, url: context.url });
    const decision = {
      provider: outcome.provider?.id ?? null,
      eventType: eventTypeOf(outcome.provider, request),
      verification: outcome.verification,
      secretHeaders: secretHeadersOf(outcome.provider),
    };
    // --fetch-certs: a certificate scheme's delivery the configured keys do not verify is checked once more with
    // the certificate it names (fetched once per run, from the provider's own hosts only).
    const provider = outcome.provider;
    if (fetcher === null || provider?.kind !== "certificate" || outcome.verification.status === "valid") return decision;
    return verifyFetchingCertificates(provider, request, secrets.verifying(provider.id), { now: nowSec, url: context.url }, fetcher).then((result) => ({
      ...decision,
      verification: toVerification(result),
    }));
  };
  return verify;
}

/** Why the capture server could not start, in words: a port in use is the environment, a bad --host is bad input. */
function captureStartError(error: unknown, port: number, host: string): unknown {
  const code = (error as { code?: string }).code;
  if (code === "EADDRINUSE") return new HooktapeError("environment", `Port ${port} on ${host} is in use; pass another --port or leave it out`);
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return badInput(`Cannot listen on --host ${host}: ${code}`);
  return error;
}

/**
 * The run record `trigger` reads. Best effort both ways: a store another process holds locked must neither stop
 * listen from starting nor from exiting promptly; a record left open names a process that is gone, which `trigger`
 * checks.
 */
function recordRun(store: EventStore, captureUrl: string, triggerToken: string): number | null {
  try {
    return store.startRun({ pid: process.pid, startedAt: Date.now(), captureUrl, triggerToken });
  } catch {
    return null;
  }
}

function endRun(store: EventStore, run: number): void {
  try {
    store.stopRun(run, Date.now());
  } catch {
    // Locked by another process: the record stays open, and its pid is gone once listen exits.
  }
}

function handshakeModeOf(flag: string | false | undefined): HandshakeMode {
  if (flag === false) return "off";
  if (flag === undefined || flag === "answer") return "answer";
  if (flag === "forward-first") return "forward-first";
  throw badInput(`Unknown --handshakes "${flag}": expected answer or forward-first (or --no-handshakes)`);
}

/**
 * What answering a handshake may need: the secrets given for that provider by name (`--secret zoom=…`, a `zoom=` line
 * of a secret file, HOOKTAPE_SECRET_ZOOM, an unnamed one with `--provider zoom`, what `--register` learnt) — never an
 * unnamed secret meant for whatever provider, since the answer goes to whoever sent the request — and the verify
 * tokens of `--verify-token` or the environment. Looked up when a handshake arrives; nothing here is printed or stored.
 */
function handshakeCredentials(flags: ListenFlags, secrets: SecretBook): HandshakeCredentials {
  const verifyTokensOf = verifyTokensFrom(flags.verifyToken ?? [], process.env);
  return {
    secretsOf: (providerId) => secrets.signing(providerId),
    verifyTokensOf,
  };
}

/**
 * `--ui` (or `--ui-port` / `--ui-host`): the inspector beside the capture server, on its own store connection; its
 * header shows the run (capture URL, public URL and the tunnel's state, target).
 */
async function startUi(flags: ListenFlags, output: Output, secrets: SecretBook, run: RunBoard) {
  if (!flags.ui && flags.uiPort === undefined && flags.uiHost === undefined) return null;
  const { openInspector } = await import("./ui.js");
  return openInspector(flags, { host: flags.uiHost ?? "127.0.0.1", port: flags.uiPort, flag: "--ui-port", secrets, run }, output);
}

/** `--tunnel <hostname>`: the tunnel `hooktape tunnel setup` saved, or exit 2 saying how to make it. */
async function namedTunnelFor(hostname: string): Promise<{ id: string; hostname: string }> {
  const { requireNamedTunnel } = await import("../../tunnel/named-tunnels.js");
  return requireNamedTunnel(hostname, process.env);
}

/** `origin`: the capture server's listener for the tunnel and the Host that proves cloudflared; `localUrl`: the one people use. */
async function openTunnel(
  origin: { url: string; hostHeader: string },
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
      originUrl: origin.url,
      originHostHeader: origin.hostHeader,
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
  ready: { localUrl: string; publicUrl: string | null; target: string | null; routing: Routing; store: EventStore; relay: string | null },
): void {
  const routes = ready.routing.routes.map((route) => ({ [route.on]: route.glob, target: displayUrl(route.target) }));
  if (output.json) {
    output.line(
      JSON.stringify({
        type: "ready",
        url: ready.localUrl,
        publicUrl: ready.publicUrl,
        target: ready.target,
        ...(routes.length > 0 ? { routes } : {}),
        ...(ready.routing.only.length > 0 ? { only: ready.routing.only } : {}),
        db: ready.store.file,
        ...(ready.relay ? { relay: ready.relay } : {}),
      }),
    );
    return;
  }
  const c = output.color;
  output.line(c.bold("hooktape is listening"));
  if (ready.publicUrl) output.line(`  Public   ${c.cyan(ready.publicUrl)}`);
  if (ready.relay) output.line(`  Relay    ${c.cyan(ready.relay)}`);
  output.line(`  Local    ${ready.localUrl}`);
  for (const route of ready.routing.routes) output.line(`  Route    ${route.on === "type" ? `type ${route.glob}` : route.glob} → ${displayUrl(route.target)}`);
  output.line(`  Forward  ${ready.target ?? c.dim("nowhere (capture only, answering 200)")}${ready.routing.routes.length > 0 ? c.dim(" (the rest)") : ""}`);
  if (ready.routing.only.length > 0) output.line(`  Only     ${ready.routing.only.join(", ")} ${c.dim("(other types are recorded, answered 200, not forwarded)")}`);
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
