import { createRequire } from "node:module";
import type { Agent as UndiciAgent, Dispatcher } from "undici";
import { isForwardedHeader, pairsFromRaw, pairsFromRecord } from "../core/headers.js";
import type { HeaderPairs } from "../core/types.js";

export { isForwardedHeader };

export interface OutboundRequest {
  method: string;
  /** The full URL to call. */
  url: string;
  /** Sent in this order, duplicates kept; hop-by-hop headers are removed here. */
  headers: HeaderPairs;
  body: Buffer;
}

export interface DeliveryResult {
  /** The handler's status, or null when it gave no answer. */
  status: number | null;
  /** null, "timeout", or the error code (`ECONNREFUSED`, `UND_ERR_SOCKET`, ...). */
  error: string | null;
  /** A one-line description of the error, for people. */
  errorMessage: string | null;
  durationMs: number;
  /** Unix milliseconds. */
  startedAt: number;
  responseHeaders: HeaderPairs;
  /** The response body, whole up to `maxResponseBytes`. */
  responseBody: Buffer;
  /** The true size of the response body. */
  responseSize: number;
}

export interface DeliverOptions {
  /** The whole attempt, connect to last byte. */
  timeoutMs: number;
  dispatcher?: Dispatcher;
  maxResponseBytes?: number;
  now?: () => number;
  /** Cuts the attempt short (the run was stopped and its grace is over): the result's error is `interrupted`. */
  signal?: AbortSignal;
}

/** A GET or HEAD without bytes goes without a body (and so without Content-Length); anything else carries one. */
function bodyOf(outbound: OutboundRequest): Buffer | null {
  return outbound.body.length > 0 || !["GET", "HEAD"].includes(outbound.method) ? outbound.body : null;
}

/**
 * The request line's target and the headers exactly as the handler receives them, in order: undici's HTTP/1.1
 * client writes `host` and `connection` first, then the forwarded headers as given, then `content-length` when
 * there is a body. What a preview shows, so that it is what arrives.
 */
export function wireRequest(outbound: OutboundRequest): { method: string; path: string; headers: HeaderPairs; body: Buffer } {
  const url = new URL(outbound.url);
  const body = bodyOf(outbound);
  const headers: HeaderPairs = [["host", url.host], ["connection", "keep-alive"]];
  for (const [name, value] of outbound.headers) if (isForwardedHeader(name)) headers.push([name, value]);
  if (body !== null) headers.push(["content-length", String(body.length)]);
  return { method: outbound.method, path: url.pathname + url.search, headers, body: body ?? Buffer.alloc(0) };
}

// undici's index loads all of undici (fetch, WebSocket, EventSource, the cache, the mocks): ~80 ms of a replay's
// start-up on the benchmark machine, for a pool that needs the Agent alone (~30 ms). undici has no `exports` map, so
// its files can be required by path (the same module its index re-exports, so the same class); an undici release
// that moved the file fails every delivery test. The global dispatcher is loaded only by a call that brings no agent.
const require = createRequire(import.meta.url);
const Agent = require("undici/lib/dispatcher/agent.js") as typeof UndiciAgent;
const getGlobalDispatcher = (): Dispatcher => (require("undici/lib/global.js") as { getGlobalDispatcher(): Dispatcher }).getGlobalDispatcher();

/**
 * A keep-alive pool shared by forwarding and replays; redirects are never followed (undici's request does not).
 * `connectTimeoutMs` bounds connecting, which the per-request timeouts do not cover.
 */
export function createDeliveryAgent(connections = 64, connectTimeoutMs = 10_000): UndiciAgent {
  return new Agent({ connections, keepAliveTimeout: 10_000, pipelining: 1, connect: { timeout: connectTimeoutMs } });
}

/**
 * Sends one request and reports what happened. Never throws for a status or a network failure: a 500 or a
 * refused connection is a result to record, not an exception.
 */
export async function deliver(outbound: OutboundRequest, options: DeliverOptions): Promise<DeliveryResult> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const started = performance.now();
  try {
    const response = await exchange(outbound, options);
    return { ...response, error: null, errorMessage: null, durationMs: performance.now() - started, startedAt };
  } catch (error) {
    const timedOut = error instanceof DeadlineError || isTimeout(error);
    const cut = error instanceof InterruptedError;
    return {
      status: null,
      error: timedOut ? "timeout" : cut ? "interrupted" : errorCode(error),
      errorMessage: timedOut ? `no answer within ${options.timeoutMs} ms` : cut ? error.message : errorMessage(error),
      durationMs: performance.now() - started,
      startedAt,
      responseHeaders: [],
      responseBody: Buffer.alloc(0),
      responseSize: 0,
    };
  }
}

class DeadlineError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = "DeadlineError";
  }
}

class InterruptedError extends Error {
  constructor() {
    super("cut short: the run was stopped before the handler answered");
    this.name = "InterruptedError";
  }
}

type Exchange = Pick<DeliveryResult, "status" | "responseHeaders" | "responseBody" | "responseSize">;

/**
 * One request through undici's dispatcher with a plain handler: no response stream or promise per chunk, which
 * `undici.request` creates and which showed in the capture path's profile. The response headers arrive as raw
 * pairs, in order and with their case, as the handler sent them.
 */
function exchange(outbound: OutboundRequest, options: DeliverOptions): Promise<Exchange> {
  const maxResponseBytes = options.maxResponseBytes ?? 16 * 1024 * 1024;
  const request = dispatchOptionsOf(outbound, options.timeoutMs);
  const dispatcher = options.dispatcher ?? getGlobalDispatcher();

  return new Promise<Exchange>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | null = null;
    let settled = false;
    let status = 0;
    let responseHeaders: HeaderPairs = [];
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else {
        const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, kept);
        resolve({ status, responseHeaders, responseBody: bytes, responseSize: size });
      }
    };
    // One deadline for the whole attempt, to the millisecond: undici's own headers/body timers are coarse
    // (a 100 ms headersTimeout let a 400 ms answer through), so they only back this one up.
    const timer = setTimeout(() => {
      const error = new DeadlineError(options.timeoutMs);
      controller?.abort(error);
      settle(error);
    }, options.timeoutMs);
    const onAbort = () => {
      const error = new InterruptedError();
      controller?.abort(error);
      settle(error);
    };
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener("abort", onAbort, { once: true });

    dispatcher.dispatch(request, {
      onRequestStart(started) {
        controller = started;
        if (settled) started.abort(options.signal?.aborted ? new InterruptedError() : new DeadlineError(options.timeoutMs));
      },
      onResponseStart(started, statusCode, parsed) {
        status = statusCode;
        responseHeaders = Array.isArray(started.rawHeaders) ? pairsFromRaw(started.rawHeaders) : pairsFromRecord(parsed);
      },
      onResponseData(_started, chunk) {
        size += chunk.length;
        if (kept < maxResponseBytes) {
          const part = chunk.length <= maxResponseBytes - kept ? chunk : chunk.subarray(0, maxResponseBytes - kept);
          chunks.push(part);
          kept += part.length;
        }
      },
      onResponseEnd() {
        settle(null);
      },
      onResponseError(_started, error) {
        settle(error);
      },
    });
  });
}

/**
 * What undici is asked to send: the outbound request's origin and path, the headers a delivery passes on (flat
 * name/value pairs, in order), its body, and its timeouts (a backup to the attempt's own deadline).
 */
function dispatchOptionsOf(outbound: OutboundRequest, timeoutMs: number): Dispatcher.DispatchOptions {
  const url = new URL(outbound.url);
  const headers: string[] = [];
  for (const [name, value] of outbound.headers) {
    if (isForwardedHeader(name)) headers.push(name, value);
  }
  return {
    origin: url.origin,
    path: url.pathname + url.search,
    method: outbound.method as Dispatcher.HttpMethod,
    headers,
    body: bodyOf(outbound),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  };
}

function isTimeout(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT";
}

/** undici wraps system errors: the useful code (ECONNREFUSED) is often on the cause. */
function errorCode(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "UND_ERR") return code;
    const errors = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      current = errors[0];
      continue;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return "ERR_DELIVERY";
}

function errorMessage(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return cause instanceof Error && cause.message !== message ? `${message}: ${cause.message}` : message;
}
