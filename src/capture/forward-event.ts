import type { Dispatcher } from "undici";
import { describeError } from "../core/errors.js";
import { newDeliveryId } from "../core/ids.js";
import { findHeader } from "../core/headers.js";
import type { CapturedEvent, DeliveryAttempt, HeaderPairs } from "../core/types.js";
import { attemptRecordOf } from "../forward/attempt-record.js";
import { deliver, sentRequestOf, type DeliveryResult } from "../forward/index.js";
import type { EventStore } from "../store/index.js";
import { toNotice, type CaptureNotice } from "./captured-event.js";

/**
 * Headers in which a proxy tells the handler who the client is, which URL it called and how: frameworks believe them
 * behind a proxy (Express's `trust proxy`, Rails' remote_ip, IIS/Symfony's X-Original-URL), so a client's own values
 * would choose its address or the route the handler thinks was called. None is passed on as the client sent it;
 * hooktape sets X-Forwarded-For, -Proto and -Host from what it knows. Every `X-Forwarded-*` counts.
 */
const CLIENT_CLAIMS = new Set([
  "forwarded",
  "x-real-ip",
  "true-client-ip",
  "x-client-ip",
  "x-cluster-client-ip",
  "fastly-client-ip",
  "x-original-forwarded-for",
  "x-original-url",
  "x-original-uri",
  "x-rewrite-url",
  "x-original-host",
  "x-host",
  "x-url-scheme",
  "front-end-https",
  "x-envoy-external-address",
  "x-envoy-original-path",
]);

function isClientClaim(lowerName: string): boolean {
  return lowerName.startsWith("x-forwarded-") || CLIENT_CLAIMS.has(lowerName);
}

/** What forwarding an event needs: where attempts are recorded and notices go, and how to reach the handler. */
export interface ForwardContext {
  store: Pick<EventStore, "recordAttempt">;
  timeoutMs: number;
  dispatcher: Dispatcher;
  onNotice: (notice: CaptureNotice) => void;
  now: () => number;
}

/** The handler's answer to a forward, and the attempt's record: settled once it is committed (and announced). */
export interface Forwarded {
  result: DeliveryResult;
  recorded: Promise<void>;
}

/**
 * Forwards a recorded event to `target` with the headers it arrived with (plus X-Forwarded-*), records the attempt
 * and, once it is committed and when `announce`, tells the renderer. Resolves as soon as the handler has answered:
 * the answer is returned, never thrown, without waiting for the attempt's commit.
 */
export async function forwardEvent(
  event: CapturedEvent,
  target: string,
  arrivedHeaders: HeaderPairs,
  secretNames: readonly string[],
  context: ForwardContext,
  announce = true,
): Promise<Forwarded> {
  const outbound = { method: event.method, url: target, headers: withForwardingHeaders(event, arrivedHeaders), body: event.body };
  const result = await deliver(outbound, { timeoutMs: context.timeoutMs, dispatcher: context.dispatcher, now: context.now });
  const attempt = attemptRecordOf(
    {
      eventId: event.id,
      kind: "forward",
      deliveryId: newDeliveryId(),
      attempt: 1,
      target,
      method: event.method,
      request: sentRequestOf(outbound, event.body, secretNames),
    },
    result,
  );
  const recorded = recordAttemptOf(attempt, context).then(() => {
    if (announce) {
      context.onNotice({ type: "event", event: toNotice(event, { status: result.status, error: result.error, durationMs: result.durationMs }) });
    }
  });
  return { result, recorded };
}

/** Records an attempt; a failure to record is a warning, never an exception on the request's path. */
export async function recordAttemptOf(attempt: DeliveryAttempt, context: Pick<ForwardContext, "store" | "onNotice">): Promise<void> {
  try {
    await context.store.recordAttempt(attempt);
  } catch (error) {
    context.onNotice({ type: "warning", message: `could not record the delivery of ${attempt.eventId}: ${describeError(error)}` });
  }
}

/**
 * The headers the handler gets: the original ones, minus those a client must not decide, plus X-Forwarded-* from
 * what hooktape knows. Dropped: the client's forwarding claims (CLIENT_CLAIMS), and the headers its Connection
 * header names (hop-by-hop, RFC 9110 §7.6.1). Through the tunnel, the address Cloudflare saw is trusted (cloudflared
 * sets X-Forwarded-For and CF-Connecting-IP) and the protocol is https; on any other connection, Cloudflare's CF-*
 * headers are a client's claim and are dropped, and the client is the socket's peer. The body stays byte-exact.
 */
function withForwardingHeaders(event: CapturedEvent, arrived: HeaderPairs): HeaderPairs {
  // The relay is Cloudflare's edge too (or a workerd of the user's): its CF-* headers are its own, like the tunnel's.
  const viaTunnel = event.via !== "local";
  const host = findHeader(arrived, "host");
  const named = connectionNamed(arrived);
  const edgeClient = viaTunnel ? (findHeader(arrived, "cf-connecting-ip") ?? findHeader(arrived, "x-forwarded-for")) : undefined;
  const forwarded = arrived.filter(([name]) => {
    const lower = name.toLowerCase();
    if (isClientClaim(lower) || named.has(lower)) return false;
    return viaTunnel || !lower.startsWith("cf-");
  });
  forwarded.push(["X-Forwarded-For", edgeClient ?? event.remoteAddress ?? ""]);
  forwarded.push(["X-Forwarded-Proto", (event.publicUrl ?? "").startsWith("http:") || !viaTunnel ? "http" : "https"]);
  if (host) forwarded.push(["X-Forwarded-Host", host]);
  return forwarded;
}

/** The header names listed in Connection (`Connection: close, X-Secret-Hop`), lower-case. */
function connectionNamed(headers: HeaderPairs): Set<string> {
  const names = new Set<string>();
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== "connection") continue;
    for (const token of value.split(",")) {
      const trimmed = token.trim().toLowerCase();
      if (trimmed !== "") names.add(trimmed);
    }
  }
  return names;
}
