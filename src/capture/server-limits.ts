import type http from "node:http";

/**
 * What anyone who can reach one of hooktape's servers (the capture port, the tunnel's port, the inspector) may hold
 * open: the request line and headers within 20 s (slowloris), the whole request within the allowance the server
 * adds to that, idle keep-alive connections closed after 5 s, and 1024 connections; past that, new connections are
 * dropped at once rather than queued. Requests per connection are not capped: a client could reconnect past any cap,
 * and Node answers 503 to what a client sends after it, which reads as hooktape refusing deliveries. Node checks its timeouts every
 * `checkIntervalMs` (its default, 30 s, is longer than the timeouts themselves).
 */
export const SERVER_LIMITS = {
  headersTimeoutMs: 20_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
  checkIntervalMs: 1_000,
} as const;

export interface ServerLimitOptions {
  /** Default SERVER_LIMITS.headersTimeoutMs; tests lower it. */
  headersTimeoutMs?: number | undefined;
  /** How long a whole request may take once its headers are in (a slow upload); added to the headers' timeout. */
  requestAllowanceMs: number;
  /** Default SERVER_LIMITS.maxConnections. */
  maxConnections?: number | undefined;
}

/**
 * The `http.createServer` options for these limits. Node 20 turns the headers timeout off along with
 * `requestTimeout: 0`, so both are set.
 */
export function limitedServerOptions(options: ServerLimitOptions): http.ServerOptions {
  const headersTimeout = options.headersTimeoutMs ?? SERVER_LIMITS.headersTimeoutMs;
  return {
    headersTimeout,
    requestTimeout: headersTimeout + options.requestAllowanceMs,
    keepAliveTimeout: SERVER_LIMITS.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(SERVER_LIMITS.checkIntervalMs, headersTimeout),
  };
}

/**
 * Applies the limits that are properties rather than options, and answers what Node's parser refuses — malformed
 * HTTP (400), headers too large (431), a request past its timeout (408) — then closes the connection.
 *
 * Closed, not merely ended: an HTTP server's sockets are half-open (`allowHalfOpen`), so `socket.end()` sends the
 * answer and a FIN but keeps the socket until the client ends its side too, and a client that never does (a slowloris
 * that ignores the FIN) would keep its connection, and its place under `maxConnections`, for good. The socket is
 * destroyed once the answer is flushed, or after a second if the client does not even read it.
 */
export function applyServerLimits(server: http.Server, options: Pick<ServerLimitOptions, "maxConnections">): void {
  server.maxConnections = options.maxConnections ?? SERVER_LIMITS.maxConnections;
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === "ECONNRESET") {
      socket.destroy();
      return;
    }
    socket.once("finish", () => socket.destroy());
    setTimeout(() => socket.destroy(), 1_000).unref();
    socket.end(`HTTP/1.1 ${statusLineFor(error.code)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
}

function statusLineFor(code: string | undefined): string {
  if (code === "HPE_HEADER_OVERFLOW") return "431 Request Header Fields Too Large";
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") return "408 Request Timeout";
  return "400 Bad Request";
}
