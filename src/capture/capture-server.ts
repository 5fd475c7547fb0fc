import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Dispatcher } from "undici";
import { newDeliveryId, newEventId } from "../core/ids.js";
import { findHeader, joinPublicUrl, localUrlOf, pairsFromRaw } from "../core/headers.js";
import { redactNamed } from "../core/redact.js";
import type { CapturedEvent, DeliveryAttempt, HeaderPairs, RawRequest, Verification, Via } from "../core/types.js";
import { deliver, joinTarget, type DeliveryResult } from "../forward/index.js";
import type { EventStore, EventSummary } from "../store/index.js";

/** What the capture engine tells whoever renders it; it never prints. */
export type CaptureNotice =
  | { type: "event"; event: CapturedEventNotice }
  | { type: "warning"; message: string };

/** An event as `events list` shows it, with the forwarding attempt that just ended (if any). */
export type CapturedEventNotice = EventSummary;

export interface CaptureOptions {
  store: EventStore;
  host: string;
  /** 0: a free port. */
  port: number;
  /** Where to forward; null: capture only, answer 200. */
  target: URL | null;
  /** Answer the sender at once with this status and forward in the background. */
  ack: number | null;
  timeoutMs: number;
  maxBodyBytes: number;
  /** Decides provider and verification for a request that just arrived. */
  verify: (
    request: RawRequest,
    context: { url: string },
  ) => { provider: string | null; verification: Verification; secretHeaders?: readonly string[] };
  /** The public URL while a tunnel is up, else null. */
  publicUrl: () => string | null;
  dispatcher: Dispatcher;
  onNotice: (notice: CaptureNotice) => void;
  now?: () => number;
}

export interface CaptureServer {
  /** http://host:port */
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish (bounded by `graceMs`), then resolves. */
  close(graceMs?: number): Promise<void>;
}

// Headers a hop must not pass on to the sender (RFC 9110 §7.6.1); the length is set anew.
const NOT_RETURNED = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "content-length", "trailer"]);

export async function startCaptureServer(options: CaptureOptions): Promise<CaptureServer> {
  const now = options.now ?? Date.now;
  const inFlight = new Set<Promise<void>>();

  const server = http.createServer({ maxHeaderSize: 64 * 1024, requestTimeout: 0 }, (req, res) => {
    const work = handleRequest(req, res).catch((error: unknown) => {
      options.onNotice({ type: "warning", message: `request failed: ${error instanceof Error ? error.message : String(error)}` });
      if (!res.headersSent) respond(res, 500, "hooktape: internal error\n");
      else res.destroy();
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });

  // Malformed HTTP is answered by Node's parser (400, 431 ...) and never recorded; the server keeps serving.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === "ECONNRESET") {
      socket.destroy();
      return;
    }
    const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const receivedAt = now();
    const headers = pairsFromRaw(req.rawHeaders);
    const body = await readBody(req, options.maxBodyBytes);
    if (body.kind === "aborted") return; // the sender went away mid-upload: nothing complete to record or answer

    const url = req.url ?? "/";
    const publicUrl = options.publicUrl();
    const via: Via = publicUrl !== null && findHeader(headers, "cf-ray") !== undefined ? "tunnel" : "local";
    const raw: RawRequest = { method: req.method ?? "GET", url, headers, body: body.bytes, receivedAt };
    const calledUrl = via === "tunnel" && publicUrl ? joinPublicUrl(publicUrl, url) : (localUrlOf(headers, url) ?? `http://localhost${url}`);
    const { provider, verification, secretHeaders = [] } =
      body.kind === "too_large"
        ? { provider: null, verification: { status: "unverified" as const, reason: "too_large" } }
        : options.verify(raw, { url: calledUrl });
    const event: CapturedEvent = {
      ...raw,
      // A header that carries the secret itself is forwarded as it came but stored redacted.
      headers: redactNamed(headers, secretHeaders),
      id: newEventId(receivedAt),
      // Through the tunnel the socket is cloudflared on this machine; Cloudflare names the real sender.
      remoteAddress: (via === "tunnel" ? findHeader(headers, "cf-connecting-ip") : undefined) ?? req.socket.remoteAddress ?? null,
      via,
      provider,
      verification,
      rejected: body.kind === "too_large" ? "too_large" : null,
      bodySize: body.size,
      bodySha256: body.kind === "too_large" ? "" : createHash("sha256").update(body.bytes).digest("hex"),
      publicUrl: via === "tunnel" ? publicUrl : null,
      target: options.target && body.kind !== "too_large" ? joinTarget(options.target, url) : null,
    };

    // The event is committed before the sender hears anything: a killed process loses no acknowledged event.
    try {
      await options.store.recordEvent(event);
    } catch (error) {
      options.onNotice({ type: "warning", message: `could not record ${event.method} ${url}: ${describeError(error)}` });
      respond(res, 503, "hooktape: could not record the request; retry later\n", { "retry-after": "5" });
      return;
    }

    if (event.rejected) {
      respond(res, 413, `hooktape: body larger than ${options.maxBodyBytes} bytes\n`, { connection: "close" });
      options.onNotice({ type: "event", event: toNotice(event, null) });
      return;
    }
    if (!event.target) {
      respond(res, 200, "");
      options.onNotice({ type: "event", event: toNotice(event, null) });
      return;
    }
    if (options.ack !== null) {
      respond(res, options.ack, "");
      await forward(event, event.target, headers);
      return;
    }
    const result = await forward(event, event.target, headers);
    answerWithHandlerResponse(res, result);
  }

  async function forward(event: CapturedEvent, target: string, arrivedHeaders: HeaderPairs): Promise<DeliveryResult> {
    const result = await deliver(
      { method: event.method, url: target, headers: withForwardingHeaders(event, arrivedHeaders), body: event.body },
      { timeoutMs: options.timeoutMs, dispatcher: options.dispatcher, now },
    );
    const attempt: DeliveryAttempt = {
      eventId: event.id,
      kind: "forward",
      deliveryId: newDeliveryId(),
      attempt: 1,
      target,
      method: event.method,
      status: result.status,
      error: result.error,
      durationMs: result.durationMs,
      startedAt: result.startedAt,
      responseHeaders: result.responseHeaders,
      responseBody: result.responseBody,
      responseSize: result.responseSize,
    };
    try {
      await options.store.recordAttempt(attempt);
    } catch (error) {
      options.onNotice({ type: "warning", message: `could not record the delivery of ${event.id}: ${describeError(error)}` });
    }
    options.onNotice({
      type: "event",
      event: toNotice(event, { status: result.status, error: result.error, durationMs: result.durationMs }),
    });
    return result;
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    async close(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const settled = Promise.allSettled([...inFlight]);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([settled, timedOut]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
    },
  };
}

type BodyRead =
  | { kind: "complete"; bytes: Buffer; size: number }
  | { kind: "too_large"; bytes: Buffer; size: number }
  | { kind: "aborted" };

/** Reads the raw body; past `max` bytes it stops keeping them (and says so) but lets the upload drain. */
function readBody(req: http.IncomingMessage, max: number): Promise<BodyRead> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return Promise.resolve({ kind: "too_large", bytes: Buffer.alloc(0), size: declared });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        if (!tooLarge) {
          tooLarge = true;
          chunks.length = 0;
          // Enough has been seen: answer now rather than wait for an upload that may never end.
          resolve({ kind: "too_large", bytes: Buffer.alloc(0), size });
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!tooLarge) resolve({ kind: "complete", bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size), size });
    });
    req.on("aborted", () => resolve({ kind: "aborted" }));
    req.on("error", () => resolve({ kind: "aborted" }));
  });
}

/** The original headers plus X-Forwarded-*, as a proxy adds them; the body stays byte-exact. */
function withForwardingHeaders(event: CapturedEvent, arrived: HeaderPairs): HeaderPairs {
  const host = findHeader(arrived, "host");
  const forwardedFor = findHeader(arrived, "x-forwarded-for");
  const client = event.remoteAddress ?? "";
  const forwarded = arrived.filter(([name]) => !/^x-forwarded-(for|proto|host)$/i.test(name));
  forwarded.push(["X-Forwarded-For", forwardedFor ? `${forwardedFor}, ${client}` : client]);
  forwarded.push(["X-Forwarded-Proto", findHeader(arrived, "x-forwarded-proto") ?? (event.via === "tunnel" ? "https" : "http")]);
  if (host) forwarded.push(["X-Forwarded-Host", findHeader(arrived, "x-forwarded-host") ?? host]);
  return forwarded;
}

function answerWithHandlerResponse(res: http.ServerResponse, result: DeliveryResult): void {
  if (result.status === null) {
    const status = result.error === "timeout" ? 504 : 502;
    respond(res, status, `hooktape: the handler ${result.error === "timeout" ? "did not answer in time" : `is unreachable (${result.error})`}\n`);
    return;
  }
  const flat: string[] = [];
  for (const [name, value] of result.responseHeaders) {
    if (!NOT_RETURNED.has(name.toLowerCase())) flat.push(name, value);
  }
  flat.push("content-length", String(result.responseBody.length));
  res.writeHead(result.status, flat);
  res.end(result.responseBody);
}

function respond(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function toNotice(event: CapturedEvent, delivery: CapturedEventNotice["delivery"]): CapturedEventNotice {
  return {
    id: event.id,
    receivedAt: event.receivedAt,
    method: event.method,
    url: event.url,
    provider: event.provider,
    verification: event.verification,
    bodySize: event.bodySize,
    bodySha256: event.bodySha256,
    via: event.via,
    rejected: event.rejected,
    target: event.target,
    delivery,
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
