import type { Dispatcher } from "undici";
import type { CaptureNotice, Routing, VerifyDecision } from "../../capture/index.js";
import { badInput } from "../../core/errors.js";
import { parseChannelUrl } from "../../core/relay-protocol.js";
import type { RawRequest } from "../../core/types.js";
import { getProvider, staleSignature } from "../../providers/index.js";
import type { FollowNotice, Follower, StaleCheck } from "../../relay/follow-channel.js";
import { buildRequest, messageIdOf } from "../../replay/index.js";
import type { EventStore } from "../../store/index.js";
import { readSecretFile } from "../options.js";
import { formatRelayNotice } from "../views/relay-view.js";
import type { Output } from "../views/output.js";

/** `listen --relay <channel url>`: follow a relay channel instead of opening a tunnel. */
export interface RelayFlags {
  relay?: string;
  relayTokenFile?: string;
  /** Re-sign events past their provider's tolerance with the secret this machine knows. */
  resignStale?: boolean;
}

/** The channel's read token: `--relay-token-file`, else HOOKTAPE_RELAY_TOKEN; never a flag's value (`ps` shows it). */
export function relayTokenOf(flags: RelayFlags, env: NodeJS.ProcessEnv): string {
  const token = flags.relayTokenFile !== undefined ? readSecretFile(flags.relayTokenFile, "--relay-token-file").trim() : (env.HOOKTAPE_RELAY_TOKEN ?? "").trim();
  if (token === "") {
    throw badInput("--relay needs the channel's read token (printed by `hooktape relay channel create`): set HOOKTAPE_RELAY_TOKEN or pass --relay-token-file <path>");
  }
  return token;
}

/** Checks the flags before anything starts: a channel URL and its token, and no tunnel beside it. */
export function planRelayFollow(flags: RelayFlags & { tunnelHostname?: string; tunnelToken?: string }, env: NodeJS.ProcessEnv) {
  if (flags.relay === undefined) {
    if (flags.relayTokenFile !== undefined) throw badInput("--relay-token-file goes with --relay <channel url>");
    if (flags.resignStale) throw badInput("--resign-stale goes with --relay <channel url>");
    return null;
  }
  const parsed = parseChannelUrl(flags.relay);
  if (parsed === null) throw badInput(`--relay ${flags.relay} is not a channel URL; expected <relay>/c/<channel>, as \`hooktape relay channel create\` prints it`);
  if (flags.tunnelHostname !== undefined || flags.tunnelToken !== undefined) throw badInput("--relay replaces the tunnel: leave out --tunnel and --tunnel-token");
  return { channelUrl: `${parsed.base}/c/${parsed.channel}`, ...parsed, token: relayTokenOf(flags, env) };
}

/** The signing secrets of the endpoints `relay channel create --register` made for this channel, by provider. */
export async function channelSecrets(channel: string): Promise<Map<string, string[]>> {
  const { registrationsOf } = await import("../../relay/relay-config.js");
  const secrets = new Map<string, string[]>();
  for (const registration of registrationsOf(channel)) {
    secrets.set(registration.secret.providerId, [...(secrets.get(registration.secret.providerId) ?? []), registration.secret.value]);
  }
  return secrets;
}

export interface RelayFollowContext {
  store: EventStore;
  target: URL | null;
  routing: Routing;
  timeoutMs: number;
  dispatcher: Dispatcher;
  verify: (request: RawRequest, context: { url: string }) => VerifyDecision | Promise<VerifyDecision>;
  /** The secrets this machine has for a provider (to re-sign stale events). */
  secretsOf: (providerId: string) => readonly string[];
  output: Output;
  /** How listen renders its capture notices. */
  render: (notice: CaptureNotice) => void;
}

/** Loaded only here: the follower's WebSocket client is undici's whole index, which a listen without --relay never needs. */
export async function startRelayFollow(plan: NonNullable<ReturnType<typeof planRelayFollow>>, flags: RelayFlags, context: RelayFollowContext): Promise<Follower> {
  const { followChannel } = await import("../../relay/follow-channel.js");
  const output = context.output;
  const heartbeatMs = Number(process.env.HOOKTAPE_RELAY_HEARTBEAT_MS) || undefined;
  return followChannel({
    channelUrl: plan.channelUrl,
    base: plan.base,
    channel: plan.channel,
    token: plan.token,
    store: context.store,
    target: context.target,
    routing: context.routing,
    timeoutMs: context.timeoutMs,
    dispatcher: context.dispatcher,
    verify: context.verify,
    stale: staleCheck(flags.resignStale === true, context.secretsOf),
    heartbeatMs,
    deadAfterMs: heartbeatMs === undefined ? undefined : heartbeatMs * 3,
    onNotice: (notice: FollowNotice) => {
      if (notice.type === "event" || notice.type === "warning") {
        context.render(notice);
        return;
      }
      if (output.json) {
        output.line(JSON.stringify(notice));
        return;
      }
      const { text, warn } = formatRelayNotice(notice, output.color);
      if (warn) output.warn(text);
      else output.line(text);
    },
  });
}

/**
 * Events that waited at the relay may be older than their provider's tolerance by the time they reach the handler.
 * Such an event is forwarded as captured and the line says so, or — with `--resign-stale` and a secret for its
 * provider — signed afresh the way `replay --resign` signs (the headers only: a scheme that signs inside the body is
 * forwarded as captured).
 */
function staleCheck(resignStale: boolean, secretsOf: (providerId: string) => readonly string[]): StaleCheck {
  return {
    age(event, nowSec) {
      const provider = event.provider === null ? undefined : getProvider(event.provider);
      return staleSignature(provider, event, nowSec);
    },
    resign(event, headers, target, nowMs) {
      if (!resignStale || event.provider === null) return null;
      const provider = getProvider(event.provider);
      const secret = secretsOf(event.provider)[0];
      if (provider === undefined || secret === undefined) return null;
      const request = buildRequest(
        {
          method: event.method,
          url: target,
          headers,
          body: event.body,
          provider,
          secret,
          messageId: messageIdOf(headers, provider),
          staleMs: 0,
          tamper: null,
          headerSets: [],
          headerDrops: [],
        },
        nowMs,
      );
      return request.body.equals(event.body) ? request.headers : null;
    },
  };
}
