import { badInput } from "../core/errors.js";
import { trimTrailingSlashes } from "../core/text.js";

/**
 * `3000` -> http://localhost:3000, `localhost:3000/hooks` and full URLs as given. The target's path is a
 * prefix: inbound `/stripe` to target `/webhooks` goes to `/webhooks/stripe`, inbound `/` to `/webhooks`.
 */
export function resolveTarget(text: string, flag = "target"): URL {
  const value = text.trim();
  let candidate = value;
  if (/^\d+$/.test(value)) {
    const port = Number(value);
    if (port < 1 || port > 65535) throw badInput(`Invalid ${flag} "${text}": a port is 1 to 65535`);
    candidate = `http://localhost:${port}`;
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/^https?:\/\//i.test(value)) {
    // ftp://x would otherwise become http://ftp://x, a "valid" URL to a host called ftp.
    throw badInput(`Invalid ${flag} "${text}": only http and https targets are supported`);
  } else if (!/^https?:\/\//i.test(value)) {
    candidate = `http://${value}`;
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw badInput(`Invalid ${flag} "${text}": expected a port (3000) or a URL (http://localhost:3000/webhooks)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw badInput(`Invalid ${flag} "${text}": only http and https targets are supported`);
  }
  return url;
}

/** The URL an inbound request (path + query) goes to on a target. */
export function joinTarget(target: URL, inbound: string): string {
  // Origin-form only (the capture server answers 400 to anything else): `http://evil/x` or `*` glued onto the
  // target would name another host.
  if (!inbound.startsWith("/")) throw new TypeError(`joinTarget: expected an origin-form path, got ${JSON.stringify(inbound.slice(0, 100))}`);
  const queryStart = inbound.indexOf("?");
  const inboundPath = queryStart === -1 ? inbound : inbound.slice(0, queryStart);
  const inboundQuery = queryStart === -1 ? "" : inbound.slice(queryStart);
  const prefix = trimTrailingSlashes(target.pathname);
  let path = prefix + (inboundPath === "/" && prefix !== "" ? "" : inboundPath);
  if (path === "") path = "/";
  const query = inboundQuery || target.search;
  return `${target.protocol}//${target.host}${path}${query}`;
}
