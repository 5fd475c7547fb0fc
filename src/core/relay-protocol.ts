import { trimTrailingSlashes } from "./text.js";
import type { HeaderPairs } from "./types.js";

// The relay's wire protocol, shared by the worker (src/worker, on Cloudflare or workerd) and the laptop's side
// (src/relay): URL layout, the follower's WebSocket frames, the channel's settings. Pure: no Node API.
//
// A channel's sender URL is `<relay>/c/<channel id>`; any path below it is the event's path. Everything else the relay
// answers lives under `<relay>/_hooktape/`, which no sender URL can reach.

/** Where senders post: `<relay>/c/<id>[/path]`. */
export const INGEST_PREFIX = "/c/";
/** The relay's own API. */
export const API_PREFIX = "/_hooktape/";

/** 26 characters of lower-case base32: 130 bits, unguessable. */
export const CHANNEL_ID_PATTERN = /^[a-z2-7]{26}$/;
/** A follower's consumer id: one per local store and channel. */
export const CONSUMER_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * A body travels in parts of at most this size, in storage and on the WebSocket: a SQLite-backed Durable Object keeps
 * at most 2 MB in one string, BLOB or row (https://developers.cloudflare.com/durable-objects/platform/limits/), and
 * workerd's WebSocket messages are capped at 1 MiB by default.
 */
export const BODY_PART_BYTES = 512 * 1024;

/** What the follower sends as its heartbeat, and what the relay answers without waking the Durable Object. */
export const PING = "ping";
export const PONG = "pong";

/** How a channel answers senders: 200 once stored, or the handler's own answer while a follower is connected. */
export type RespondMode = "stored" | "live";

/** What `relay channel create` may set. Secrets here are only those a user stores for handshakes, on purpose. */
export interface ChannelSettings {
  respond: RespondMode;
  retentionDays: number;
  maxBytes: number;
  /** Signing secrets stored on the channel explicitly so that the relay can answer Zoom's and X's handshakes. */
  handshakeSecrets: { zoom?: string; twitter?: string };
  /** Verify tokens for the handshakes that check or hash one (Meta, Strava, eBay). */
  verifyTokens: { meta?: string[]; strava?: string[]; ebay?: string[] };
}

export const DEFAULT_CHANNEL_SETTINGS: ChannelSettings = {
  respond: "stored",
  retentionDays: 7,
  maxBytes: 100 * 1024 * 1024,
  handshakeSecrets: {},
  verifyTokens: {},
};

/** What `relay status` shows of a channel. */
export interface ChannelStatus {
  channel: string;
  createdAt: number;
  head: number;
  events: number;
  bytes: number;
  maxBytes: number;
  retentionDays: number;
  respond: ChannelSettings["respond"];
  oldestReceivedAt: number | null;
  handshakeSecrets: string[];
  consumers: Array<{ consumer: string; acked: number; backlog: number; connected: boolean; seenAt: number }>;
}

/** The answer the relay gave a handshake itself, kept with the event so that the follower records it. */
export interface RelayHandshake {
  provider: string;
  name: string;
  status: number;
  headers: HeaderPairs;
  /** The answer's body, base64. */
  bodyBase64: string;
}

/** The first frame of an event: everything but the body, which follows in `parts` frames (this one holds part 0). */
export interface EventFrameHeader {
  t: "event";
  seq: number;
  part: number;
  parts: number;
  receivedAt?: number;
  method?: string;
  url?: string;
  /** The URL the sender called: URL-signing schemes (Twilio) sign it. */
  calledUrl?: string;
  headers?: HeaderPairs;
  bodySize?: number;
  remoteAddress?: string | null;
  /** Set when the relay answered a handshake itself. */
  handshake?: RelayHandshake | null;
  /** The sender waits for the handler's own answer (`--respond live`). */
  awaitsResponse?: boolean;
}

/** Text frames from the relay. */
export type RelayMessage =
  | { t: "hello"; channel: string; consumer: string; acked: number; head: number; backlog: number; respond: RespondMode }
  | { t: "error"; message: string };

/** Text frames from the follower. */
export type FollowerMessage =
  | { t: "ack"; seq: number }
  | { t: "response"; seq: number; status: number; headers: HeaderPairs; bodyBase64: string };

/** One binary frame: a 4-byte big-endian header length, the header as JSON, then the payload. */
export function encodeFrame(header: EventFrameHeader, payload: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const frame = new Uint8Array(4 + json.length + payload.length);
  new DataView(frame.buffer).setUint32(0, json.length);
  frame.set(json, 4);
  frame.set(payload, 4 + json.length);
  return frame;
}

export function decodeFrame(frame: Uint8Array): { header: EventFrameHeader; payload: Uint8Array } {
  if (frame.length < 4) throw new Error("relay frame shorter than its length prefix");
  const length = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
  if (4 + length > frame.length) throw new Error("relay frame shorter than its header");
  const header = JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + length))) as EventFrameHeader;
  if (header.t !== "event" || !Number.isSafeInteger(header.seq)) throw new Error("not a relay event frame");
  return { header, payload: frame.subarray(4 + length) };
}

/** A channel URL split into the relay's base URL and the channel id; null when it is not one. */
export function parseChannelUrl(text: string): { base: string; channel: string } | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const at = url.pathname.lastIndexOf(INGEST_PREFIX);
  if (at === -1) return null;
  const channel = trimTrailingSlashes(url.pathname.slice(at + INGEST_PREFIX.length));
  if (!CHANNEL_ID_PATTERN.test(channel)) return null;
  return { base: url.origin + url.pathname.slice(0, at), channel };
}

export function channelUrl(base: string, channel: string): string {
  return `${trimTrailingSlashes(base)}${INGEST_PREFIX}${channel}`;
}
