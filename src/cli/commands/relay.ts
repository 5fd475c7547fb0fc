import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { HooktapeError, badInput } from "../../core/errors.js";
import { parseChannelUrl, type ChannelSettings } from "../../core/relay-protocol.js";
import { trimTrailingSlashes } from "../../core/text.js";
import { parseDuration, parseInteger, parseSize } from "../../core/units.js";
import { channelStatus, createChannel, deleteChannel, listChannels } from "../../relay/relay-api.js";
import { adminTokenFor, rememberRelay } from "../../relay/relay-config.js";
import { outputFor, type GlobalFlags } from "../context.js";
import { watchInterrupts } from "../interrupt.js";
import { formatChannelStatus } from "../views/relay-view.js";
import { localDateTime } from "../views/event-view.js";
import { relayTokenOf } from "./listen-relay.js";
import type { SecretBook } from "../../secrets/secret-book.js";
import { compileWasmWithBaselineOnly } from "../../core/wasm-compiler.js";

// Sends a few requests and exits: WebAssembly compiled by the baseline compiler only.
compileWasmWithBaselineOnly();

export interface RelayServeFlags extends GlobalFlags {
  port?: string;
  host: string;
  data: string;
  workerd?: string;
}

/** `relay serve`: the relay in workerd on this machine, state in --data, until Ctrl-C. */
export async function runRelayServe(flags: RelayServeFlags): Promise<void> {
  const output = outputFor(flags);
  const port = flags.port === undefined ? 0 : parseInteger(flags.port, "--port", 0, 65535);
  const { resolveWorkerd, installWorkerd } = await import("../../relay/workerd-runtime.js");
  const { defaultCacheDir } = await import("../../tunnel/resolve-binary.js");
  const { serveRelay } = await import("../../relay/serve-relay.js");
  let workerd = resolveWorkerd({ flag: flags.workerd })?.path;
  if (workerd === undefined) {
    const spinner = output.spinner("Installing workerd…");
    try {
      workerd = await installWorkerd(defaultCacheDir(process.env), { registry: process.env.HOOKTAPE_WORKERD_REGISTRY, info: (message) => output.info(message) });
      spinner.succeed(`workerd installed in ${workerd}`);
    } catch (error) {
      spinner.fail("Could not install workerd");
      throw error;
    }
  }
  const dataDir = resolve(flags.data);
  stopLeftOverRuntime(dataDir, output);
  // The entry is made before workerd starts (it needs the token's hash) and gets its URL once the port is known.
  const entry = rememberRelay({ data: dataDir }, "", process.env);
  const server = await serveRelay({
    workerd,
    host: flags.host,
    port,
    dataDir,
    adminToken: entry.adminToken,
    onLog: (line) => (output.json ? output.line(JSON.stringify({ type: "log", line })) : output.info(output.color.dim(line))),
  });
  writeFileSync(pidFile(dataDir), `${server.pid}\n`, { mode: 0o600 });
  rememberRelay({ data: dataDir }, server.url, process.env);
  if (output.json) output.line(JSON.stringify({ type: "ready", url: server.url, data: dataDir }));
  else {
    output.line(output.color.bold("hooktape relay is serving"));
    output.line(`  URL      ${output.color.cyan(server.url)}`);
    output.line(`  Data     ${dataDir}`);
    output.line(`  Next     hooktape relay channel create --relay ${server.url}`);
    output.line(output.color.dim("Ctrl-C to stop."));
  }
  const interrupts = watchInterrupts();
  const exit = await Promise.race([interrupts.stopped.then(() => "stopped" as const), server.exited.then((code) => code)]);
  interrupts.dispose();
  if (exit !== "stopped") {
    rmSync(pidFile(dataDir), { force: true });
    throw new HooktapeError("environment", `workerd stopped unexpectedly (exit ${exit}); the relay is down`);
  }
  output.info("Stopping the relay…");
  await server.stop();
  rmSync(pidFile(dataDir), { force: true });
}

function pidFile(dataDir: string): string {
  return join(dataDir, "runtime", "workerd.pid");
}

/**
 * A `relay serve` killed with SIGKILL cannot stop its workerd, which keeps the data folder and its port: the next
 * serve on the same --data stops it first (only a process whose command line names this folder's config).
 */
function stopLeftOverRuntime(dataDir: string, output: { info(text: string): void }): void {
  const file = pidFile(dataDir);
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, "utf8").trim());
  rmSync(file, { force: true });
  if (!Number.isSafeInteger(pid) || pid <= 1) return;
  let commandLine = "";
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return; // gone, or not a system with /proc
  }
  if (!commandLine.includes(join(dataDir, "runtime", "workerd.capnp"))) return;
  try {
    process.kill(pid, "SIGKILL");
    output.info(`Stopped workerd ${pid}, left running on ${dataDir} by an earlier relay serve`);
  } catch {
    // already gone
  }
}

export interface ChannelCreateFlags extends GlobalFlags {
  register?: string;
  events?: string;
  path?: string;
  allowLive?: boolean;
  relay: string;
  respond: string;
  retention: string;
  maxSize: string;
  handshakeSecret?: string[];
  verifyToken?: string[];
  secret?: string[];
}

/** `relay channel create --relay <url>`: a channel with an unguessable id; prints its sender URL and read token. */
export async function runChannelCreate(flags: ChannelCreateFlags): Promise<void> {
  const output = outputFor(flags);
  const base = relayBase(flags.relay);
  if (flags.respond !== "stored" && flags.respond !== "live") throw badInput(`Invalid --respond "${flags.respond}": expected stored or live`);
  const retentionMs = parseDuration(flags.retention, "--retention");
  const { createSecretBook } = await import("../../secrets/secret-book.js");
  const secrets = createSecretBook({ flagValues: flags.secret ?? [], env: process.env });
  const settings: Partial<ChannelSettings> = {
    respond: flags.respond,
    retentionDays: retentionMs / 86_400_000,
    maxBytes: parseSize(flags.maxSize, "--max-size"),
    handshakeSecrets: await handshakeSecretsOf(flags, secrets),
    verifyTokens: await verifyTokensOf(flags.verifyToken ?? []),
  };
  const registerTarget = await registerTargetOf(flags);
  const created = await createChannel(base, adminTokenFor(base), settings);
  const registered = registerTarget === null ? null : await registerChannel(registerTarget, created, flags, secrets, output);
  if (output.json) {
    output.document({ ...created, ...(registerTarget === null ? {} : { registered }) });
    return;
  }
  output.line(output.color.bold("Channel created"));
  output.line(`  Sender URL  ${output.color.cyan(created.url)}   (paste it into the provider; any path below it is kept)`);
  output.line(`  Read token  ${created.token}`);
  if (registered !== null) output.line(`  Registered  ${registered.provider} endpoint ${registered.endpoint} → ${registered.url} (until \`relay channel delete\`)`);
  output.line(output.color.dim(`Follow it: HOOKTAPE_RELAY_TOKEN=<read token> hooktape listen <port> --relay ${created.url}`));
}

async function registerTargetOf(flags: ChannelCreateFlags) {
  if (flags.register === undefined) {
    if (flags.events !== undefined || flags.path !== undefined || flags.allowLive) throw badInput("--events, --path and --allow-live go with --register");
    return null;
  }
  const { parseRegisterTarget, parseEvents } = await import("../../register/register-endpoint.js");
  const target = parseRegisterTarget(flags.register);
  parseEvents(flags.events);
  return target;
}

/**
 * `--register`: the provider's endpoint for the channel's URL, kept until `relay channel delete`; its signing secret
 * is kept in the user's config (0600) for `listen --relay`, never sent to the relay.
 */
async function registerChannel(
  target: import("../../register/register-endpoint.js").RegisterTarget,
  created: { channel: string; url: string },
  flags: ChannelCreateFlags,
  secrets: SecretBook,
  output: ReturnType<typeof outputFor>,
): Promise<{ provider: string; endpoint: string; url: string } | null> {
  const { registerEndpoint, registerLabel, parseEvents } = await import("../../register/register-endpoint.js");
  const { saveRegistration } = await import("../../relay/relay-config.js");
  const registration = await registerEndpoint(target, {
    publicUrl: created.url,
    path: flags.path,
    events: parseEvents(flags.events),
    env: process.env,
    allowLive: flags.allowLive === true,
    secrets,
    persistent: true,
    notify: (notice) => {
      if (notice.type === "warning") output.warn(notice.message);
      else if (notice.type === "info") output.info(notice.message);
    },
  });
  if (registration === null) return null;
  saveRegistration({ channel: created.channel, target: registerLabel(target), endpoint: registration.endpoint, url: registration.url, secret: registration.secret });
  return { provider: registration.provider, endpoint: registration.endpoint, url: registration.url };
}

/** `--handshake-secret zoom|twitter`: that provider's secret, from HOOKTAPE_SECRET_<ID> or --secret-file, stored on the channel. */
async function handshakeSecretsOf(flags: ChannelCreateFlags, secrets: SecretBook): Promise<ChannelSettings["handshakeSecrets"]> {
  const out: ChannelSettings["handshakeSecrets"] = {};
  const { secretEnvName } = await import("../../secrets/secret-book.js");
  for (const provider of flags.handshakeSecret ?? []) {
    if (provider !== "zoom" && provider !== "twitter") throw badInput(`--handshake-secret ${provider}: only zoom and twitter answer their handshakes with a secret`);
    // The provider is named by the flag: its secret is one named for it (`zoom=` line, HOOKTAPE_SECRET_ZOOM), or an unnamed one.
    const secret = secrets.verifying(provider)[0];
    if (secret === undefined) throw badInput(`--handshake-secret ${provider}: no ${provider} secret; set ${secretEnvName(provider)} or pass --secret-file <path> with ${provider}=<secret>`);
    out[provider] = secret;
  }
  return out;
}

async function verifyTokensOf(values: readonly string[]): Promise<ChannelSettings["verifyTokens"]> {
  if (values.length === 0) return {};
  const { verifyTokensFrom } = await import("../../capture/handshakes.js");
  const tokens = verifyTokensFrom(values, {});
  return { meta: tokens("meta"), strava: tokens("strava"), ebay: tokens("ebay") };
}

export async function runChannelList(flags: GlobalFlags & { relay: string }): Promise<void> {
  const output = outputFor(flags);
  const base = relayBase(flags.relay);
  const channels = await listChannels(base, adminTokenFor(base));
  if (output.json) {
    output.document(channels);
    return;
  }
  if (channels.length === 0) output.line(output.color.dim(`No channels on ${base}; make one with \`hooktape relay channel create --relay ${base}\``));
  for (const channel of channels) output.line(`${channel.url}  ${output.color.dim(`created ${localDateTime(channel.createdAt)}`)}`);
}

export async function runChannelDelete(channelUrl: string, flags: GlobalFlags): Promise<void> {
  const output = outputFor(flags);
  const parsed = channelOf(channelUrl);
  const adminToken = adminTokenFor(parsed.base);
  await removeRegistrations(parsed.channel, output);
  await deleteChannel(parsed.base, adminToken, parsed.channel);
  if (output.json) output.document({ deleted: parsed.channel });
  else output.line(`Deleted ${channelUrl} and everything it held`);
}

/** The endpoints `--register` made for the channel go first: a failure stops the delete, so that it can be run again. */
async function removeRegistrations(channel: string, output: ReturnType<typeof outputFor>): Promise<void> {
  const { registrationsOf, forgetRegistrations } = await import("../../relay/relay-config.js");
  const registrations = registrationsOf(channel);
  if (registrations.length === 0) return;
  const { parseRegisterTarget, removeEndpoint } = await import("../../register/register-endpoint.js");
  for (const registration of registrations) {
    try {
      await removeEndpoint(parseRegisterTarget(registration.target), registration.endpoint, process.env);
    } catch (error) {
      throw new HooktapeError(
        "environment",
        `Could not delete the ${registration.target} endpoint ${registration.endpoint} of this channel (${(error as Error).message}); the channel is kept — fix that and run the delete again`,
      );
    }
    forgetRegistrations(channel, [registration.endpoint]);
    if (output.json) output.line(JSON.stringify({ type: "unregistered", provider: registration.target, endpoint: registration.endpoint, url: registration.url }));
    else output.info(`Deleted the ${registration.target} endpoint ${registration.endpoint} (${registration.url})`);
  }
}

/** `relay status <channel url>`: with the channel's token (or the admin token when the config has it). */
export async function runRelayStatus(channelUrl: string, flags: GlobalFlags & { relayTokenFile?: string }): Promise<void> {
  const output = outputFor(flags);
  const parsed = channelOf(channelUrl);
  let token: string;
  try {
    token = relayTokenOf(flags, process.env);
  } catch (error) {
    try {
      token = adminTokenFor(parsed.base);
    } catch {
      throw error;
    }
  }
  const status = await channelStatus(parsed.base, token, parsed.channel);
  if (output.json) output.document(status);
  else for (const line of formatChannelStatus(status, output.color)) output.line(line);
}

/** A relay's base URL from `--relay`: a relay URL, or a channel URL (its relay). */
function relayBase(text: string): string {
  const channel = parseChannelUrl(text);
  if (channel !== null) return channel.base;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput(`Invalid --relay "${text}": expected the relay's URL, e.g. --relay https://hooktape-relay.you.workers.dev`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw badInput(`Invalid --relay "${text}": expected an http(s) URL`);
  return trimTrailingSlashes(url.origin + url.pathname);
}

function channelOf(text: string): { base: string; channel: string } {
  const parsed = parseChannelUrl(text);
  if (parsed === null) throw badInput(`"${text}" is not a channel URL; expected <relay>/c/<channel>, as \`hooktape relay channel create\` prints it`);
  return parsed;
}
