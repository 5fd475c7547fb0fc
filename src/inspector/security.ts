import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** A fresh access token: 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

const COMPARE_KEY = randomBytes(32);

/** Constant time, and the length of the token doesn't leak: HMACs of both sides are compared. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined || given === "") return false;
  const a = createHmac("sha256", COMPARE_KEY).update(given).digest();
  const b = createHmac("sha256", COMPARE_KEY).update(token).digest();
  return timingSafeEqual(a, b);
}

/**
 * The token a request carries: `Authorization: Bearer <token>`, nothing else. Never a cookie: a browser sends a
 * cookie of 127.0.0.1 to every port of 127.0.0.1, so any local web server a page links to would receive it.
 */
export function requestToken(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
  return match?.[1];
}

/** The Host values a page served from here may send: anything else is DNS rebinding (or a mistake). */
export function allowedHosts(port: number, boundHost: string): Set<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (boundHost !== "127.0.0.1" && boundHost !== "0.0.0.0" && boundHost !== "::") {
    hosts.add(`${boundHost.includes(":") ? `[${boundHost}]` : boundHost}:${port}`.toLowerCase());
  }
  return hosts;
}

/**
 * A state-changing request is refused when a browser says it comes from another site: its Origin is not one of
 * ours, or Sec-Fetch-Site says cross-site. A request without Origin (curl, a script with the bearer token) passes.
 */
export function crossSite(request: IncomingMessage, hosts: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (origin === "null") return true;
    let host: string;
    try {
      const url = new URL(origin);
      if (url.protocol !== "http:") return true;
      host = url.host.toLowerCase();
    } catch {
      return true;
    }
    if (!hosts.has(host)) return true;
  }
  const site = request.headers["sec-fetch-site"];
  return site !== undefined && site !== "same-origin" && site !== "none";
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** On every answer: no framing, no sniffing, no referrer, no caching. No CORS headers, ever. */
export function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  response.setHeader("X-Frame-Options", "DENY");
  response.setHeader("X-Content-Type-Options", "nosniff");
  response.setHeader("Referrer-Policy", "no-referrer");
  response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  response.setHeader("Cache-Control", "no-store");
}
