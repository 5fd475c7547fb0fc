import type http from "node:http";
import type { HeaderPairs } from "../core/types.js";
import type { DeliveryResult } from "../forward/index.js";

// Headers a hop must not pass on to the sender (RFC 9110 §7.6.1); the length is set anew.
const NOT_RETURNED = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "content-length", "trailer"]);

/** The handler's answer passed back to the sender, or 502/504 when it gave none. */
export function answerWithHandlerResponse(res: http.ServerResponse, result: DeliveryResult): void {
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

/** An answer hooktape gives itself (a handshake's), with its own headers and body. */
export function respondWith(res: http.ServerResponse, status: number, headers: HeaderPairs, body: Buffer): void {
  if (res.headersSent) return;
  res.writeHead(status, [...headers.flat(), "content-length", String(body.length)]);
  res.end(body);
}

/** A short plain-text answer (nothing when an answer has already begun). */
export function respond(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
