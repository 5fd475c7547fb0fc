import { randomBytes, timingSafeEqual } from "node:crypto";
import type { HeaderPairs } from "../core/types.js";

/**
 * How hooktape knows a request came through its own cloudflared, and so may be called "via tunnel" with its
 * Cloudflare headers (CF-Connecting-IP) believed. The tunnel's listener is on loopback and its port is on cloudflared's
 * command line, which every local user can read: the port alone proves nothing.
 *
 * So each run makes a random hostname and gives it to cloudflared in its environment (TUNNEL_HTTP_HOST_HEADER, which
 * only this user can read), as the `httpHostHeader` origin setting: cloudflared then sends it as the Host of every
 * request, and moves the Host the visitor sent into X-Forwarded-Host, replacing any the visitor sent
 * (cloudflared ingress/origin_proxy.go). A request on the tunnel's port that carries it is cloudflared's; one that
 * does not is any local request. The secret never goes further: the visitor's Host is put back before anything is
 * recorded or forwarded.
 */
export interface TunnelHop {
  /** The Host value cloudflared is told to send. */
  readonly hostHeader: string;
  /**
   * For a request that arrived on the tunnel's listener: its headers as the visitor sent them (Host restored, the
   * X-Forwarded-Host cloudflared added removed) when it carries this run's Host, else null (not cloudflared's).
   */
  admit(headers: HeaderPairs, publicUrl: string | null): HeaderPairs | null;
}

export function createTunnelHop(): TunnelHop {
  const hostHeader = `${randomBytes(16).toString("hex")}.tunnel.hooktape.invalid`;
  const expected = Buffer.from(hostHeader);
  const isOurs = (value: string) => {
    const given = Buffer.from(value);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  return {
    hostHeader,
    admit(headers, publicUrl) {
      const hosts = headers.filter(([name]) => name.toLowerCase() === "host");
      if (hosts.length !== 1 || !isOurs(hosts[0]?.[1] ?? "")) return null;
      const forwardedHost = headers.find(([name]) => name.toLowerCase() === "x-forwarded-host")?.[1];
      const visitorHost = forwardedHost ?? (publicUrl === null ? undefined : new URL(publicUrl).host);
      const restored: HeaderPairs = [];
      let dropped = false;
      for (const [name, value] of headers) {
        const lower = name.toLowerCase();
        if (lower === "host") {
          if (visitorHost !== undefined) restored.push([name, visitorHost]);
        } else if (lower === "x-forwarded-host" && !dropped) {
          dropped = true;
        } else {
          restored.push([name, value]);
        }
      }
      return restored;
    },
  };
}
