import {
  API_PREFIX,
  CHANNEL_ID_PATTERN,
  DEFAULT_CHANNEL_SETTINGS,
  INGEST_PREFIX,
  channelUrl,
  type ChannelSettings,
} from "../core/relay-protocol.js";
import { notFound, unauthorized } from "./channel.js";
import { bearerOf, randomBase32, randomToken, sha256Hex, tokenMatches } from "./crypto.js";
import type { RelayEnv } from "./env.js";

// hooktape's relay: a Worker that routes each request to its channel's Durable Object. The only code of hooktape
// that runs on Cloudflare (or workerd): no Node API, bundled on its own by scripts/build-worker.mjs.
//
//   ANY  /c/<channel>[/path]                   a sender's webhook: stored, then answered
//   POST /_hooktape/channels                   admin: make a channel → {"channel","url","token"}
//   GET  /_hooktape/channels                   admin: the channels
//   DELETE /_hooktape/channels/<channel>       admin: delete a channel and everything it holds
//   GET  /_hooktape/channels/<channel>/follow  channel token: WebSocket, events from the consumer's cursor
//   GET  /_hooktape/channels/<channel>/status  channel or admin token: sizes, backlog per consumer
//
// A stranger learns nothing stored: senders get an empty 200, unknown channels 404, and every read needs a token.

export { RelayChannel } from "./channel.js";
export { RelayDirectory } from "./directory.js";

const CHANNEL_ROUTE = /^\/_hooktape\/channels\/([^/]+)(\/follow|\/status)?$/;

export default {
  async fetch(request: Request, env: RelayEnv): Promise<Response> {
    const receivedAt = Date.now();
    const url = new URL(request.url);
    if (url.pathname.startsWith(INGEST_PREFIX)) return ingest(request, url, env, receivedAt);
    if (url.pathname === "/") return new Response("hooktape relay\n", { headers: { "content-type": "text/plain; charset=utf-8" } });
    if (!url.pathname.startsWith(API_PREFIX)) return notFound();

    const admin = await tokenMatches(bearerOf(request), env.ADMIN_TOKEN_SHA256);
    if (url.pathname === `${API_PREFIX}channels`) {
      if (!admin) return unauthorized();
      if (request.method === "POST") return createChannel(request, url, env, receivedAt);
      if (request.method === "GET") {
        const channels = await env.DIRECTORY.get(env.DIRECTORY.idFromName("directory")).list();
        return json({ channels: channels.map((entry) => ({ channel: entry.id, url: channelUrl(url.origin, entry.id), createdAt: entry.createdAt })) });
      }
      return new Response(null, { status: 405 });
    }
    const route = CHANNEL_ROUTE.exec(url.pathname);
    const id = route?.[1];
    if (route === null || id === undefined || !CHANNEL_ID_PATTERN.test(id)) return notFound();
    const channel = env.CHANNELS.get(env.CHANNELS.idFromName(id));
    if (route[2] === "/follow") return channel.fetch(new Request(`https://channel.internal/follow${url.search}`, request));
    if (route[2] === "/status") {
      const status = await channel.status(bearerOf(request), admin);
      if (status === "unknown") return notFound();
      if (status === "unauthorized") return unauthorized();
      return json(status);
    }
    if (request.method !== "DELETE") return new Response(null, { status: 405 });
    if (!admin) return unauthorized();
    const existed = await channel.destroy();
    const listed = await env.DIRECTORY.get(env.DIRECTORY.idFromName("directory")).remove(id);
    return existed || listed ? new Response(null, { status: 204 }) : notFound();
  },
} satisfies ExportedHandler<RelayEnv>;

/** A sender's request: to its channel with where it came from; the path below the channel URL is the event's. */
async function ingest(request: Request, url: URL, env: RelayEnv, receivedAt: number): Promise<Response> {
  const rest = url.pathname.slice(INGEST_PREFIX.length);
  const slash = rest.indexOf("/");
  const id = slash === -1 ? rest : rest.slice(0, slash);
  if (!CHANNEL_ID_PATTERN.test(id)) return notFound();
  // The path and query exactly as sent: URL.pathname keeps the sender's percent-encoding.
  const eventUrl = (slash === -1 ? "/" : rest.slice(slash)) + url.search;
  const internal = new URL("https://channel.internal/ingest");
  internal.searchParams.set("url", eventUrl);
  internal.searchParams.set("called", request.url);
  internal.searchParams.set("at", String(receivedAt));
  const ip = env.TRUST_CF_HEADERS === "1" ? request.headers.get("cf-connecting-ip") : null;
  if (ip !== null) internal.searchParams.set("ip", ip);
  const channel = env.CHANNELS.get(env.CHANNELS.idFromName(id));
  return channel.fetch(new Request(internal, request));
}

async function createChannel(request: Request, url: URL, env: RelayEnv, now: number): Promise<Response> {
  let settings: ChannelSettings;
  try {
    settings = settingsFrom(await request.json());
  } catch (error) {
    return new Response(`${error instanceof Error ? error.message : "invalid settings"}\n`, { status: 400 });
  }
  const id = randomBase32(16);
  const token = randomToken("htr_");
  await env.CHANNELS.get(env.CHANNELS.idFromName(id)).create(id, settings, await sha256Hex(token), now);
  await env.DIRECTORY.get(env.DIRECTORY.idFromName("directory")).add(id, now);
  return json({ channel: id, url: channelUrl(url.origin, id), token }, 201);
}

/** The settings a create request asks for, over the defaults; a value out of range is a 400. */
function settingsFrom(input: unknown): ChannelSettings {
  const given = (typeof input === "object" && input !== null ? input : {}) as Partial<ChannelSettings>;
  const settings: ChannelSettings = { ...DEFAULT_CHANNEL_SETTINGS, handshakeSecrets: {}, verifyTokens: {} };
  if (given.respond !== undefined) {
    if (given.respond !== "stored" && given.respond !== "live") throw new Error("respond: stored or live");
    settings.respond = given.respond;
  }
  if (given.retentionDays !== undefined) {
    if (!Number.isFinite(given.retentionDays) || given.retentionDays <= 0 || given.retentionDays > 3650) throw new Error("retentionDays: more than 0, at most 3650");
    settings.retentionDays = given.retentionDays;
  }
  if (given.maxBytes !== undefined) {
    if (!Number.isSafeInteger(given.maxBytes) || given.maxBytes < 1024 || given.maxBytes > 10 * 1024 ** 3) throw new Error("maxBytes: 1 KiB to 10 GiB");
    settings.maxBytes = given.maxBytes;
  }
  for (const provider of ["zoom", "twitter"] as const) {
    const secret = given.handshakeSecrets?.[provider];
    if (typeof secret === "string" && secret !== "") settings.handshakeSecrets[provider] = secret;
  }
  for (const family of ["meta", "strava", "ebay"] as const) {
    const tokens = given.verifyTokens?.[family];
    if (Array.isArray(tokens)) settings.verifyTokens[family] = tokens.filter((token): token is string => typeof token === "string" && token !== "");
  }
  return settings;
}

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
}
