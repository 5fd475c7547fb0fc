import { request } from "undici";
import { HooktapeError } from "../core/errors.js";
import type { ChannelSettings, ChannelStatus } from "../core/relay-protocol.js";

/** What `relay channel create` prints. */
export interface CreatedChannel {
  channel: string;
  url: string;
  token: string;
}

export interface ListedChannel {
  channel: string;
  url: string;
  createdAt: number;
}

/** What `relay status` prints. */
export type ChannelStatusDocument = ChannelStatus;

const TIMEOUT_MS = 15_000;

export function createChannel(base: string, adminToken: string, settings: Partial<ChannelSettings>): Promise<CreatedChannel> {
  return call<CreatedChannel>(base, "POST", "/_hooktape/channels", adminToken, settings, "the admin token");
}

export async function listChannels(base: string, adminToken: string): Promise<ListedChannel[]> {
  return (await call<{ channels: ListedChannel[] }>(base, "GET", "/_hooktape/channels", adminToken, undefined, "the admin token")).channels;
}

export async function deleteChannel(base: string, adminToken: string, channel: string): Promise<void> {
  await call<null>(base, "DELETE", `/_hooktape/channels/${channel}`, adminToken, undefined, "the admin token");
}

/** A channel's sizes and consumers; the channel token or the admin token reads it. */
export function channelStatus(base: string, token: string, channel: string): Promise<ChannelStatusDocument> {
  return call<ChannelStatusDocument>(base, "GET", `/_hooktape/channels/${channel}/status`, token, undefined, "the token");
}

async function call<T>(base: string, method: string, path: string, token: string, body: unknown, tokenName: string): Promise<T> {
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(`${base}${path}`, {
      method: method as "GET",
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new HooktapeError("unreachable", `Cannot reach the relay at ${base} (${code}); is \`hooktape relay serve\` running, or the URL right?`);
  }
  const text = await response.body.text();
  if (response.statusCode === 401) throw new HooktapeError("bad_input", `The relay at ${base} refused ${tokenName} (401)`);
  if (response.statusCode === 404) throw new HooktapeError("not_found", `No such channel at ${base} (404): deleted, or never made there`);
  if (response.statusCode < 200 || response.statusCode > 299) {
    throw new HooktapeError("environment", `The relay at ${base} answered ${response.statusCode}: ${text.trim().slice(0, 200)}`);
  }
  if (text === "") return null as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new HooktapeError("environment", `The relay at ${base} answered something that is not JSON; is it a hooktape relay?`);
  }
}
