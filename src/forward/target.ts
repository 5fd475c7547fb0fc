import { badInput } from "../core/errors.js";
import { trimTrailingSlashes } from "../core/text.js";

const TARGET_EXAMPLE = "expected a port (3000), an origin (http://localhost:3000) or a URL (http://localhost:3000/webhooks)";

/**
 * Parses a target as the user writes it: a port (`3000` -> http://localhost:3000), `host:port` with an optional
 * path (`localhost:3000/hooks`), or an http(s) URL. A bare word (`abc`) is refused: it would name a host nobody
 * meant, and every delivery to it would fail later instead of now.
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
    // Without a scheme only `host:port[/path]` is a target: `abc` or `localhost` alone is more likely a typo.
    if (!/^(\[[0-9a-f:.]+\]|[^\s/:?#[\]@]+):\d+([/?#]|$)/i.test(value)) throw badInput(`Invalid ${flag} "${text}": ${TARGET_EXAMPLE}`);
    candidate = `http://${value}`;
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw badInput(`Invalid ${flag} "${text}": ${TARGET_EXAMPLE}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw badInput(`Invalid ${flag} "${text}": only http and https targets are supported`);
  }
  return url;
}

/**
 * Whether `--to` names only where to send (a port or an origin: the request keeps its own path and query) rather
 * than the exact URL (any path other than `/`, or a query).
 */
export function targetKeepsOwnPath(to: URL): boolean {
  return to.pathname === "/" && to.search === "";
}

/**
 * Where a request goes for `replay`, `send`, `check`, `trigger` and the inspector's replay: a port or an origin keeps
 * the request's own path and query (`ownPath`, origin-form); a URL with a path is the exact URL to send to, as curl
 * and `stripe listen --forward-to` treat it, never joined with the request's own path.
 */
export function sendUrlFor(to: URL, ownPath: string): string {
  if (!targetKeepsOwnPath(to)) return to.href;
  if (!ownPath.startsWith("/")) throw new TypeError(`sendUrlFor: expected an origin-form path, got ${JSON.stringify(ownPath.slice(0, 100))}`);
  return `${to.protocol}//${to.host}${ownPath}`;
}

/**
 * Whether an inbound path has a dot segment (`.` or `..`, plain or percent-encoded, `\` counting as `/` as URL
 * parsers count it): joined onto a prefix, the URL parser would resolve it and the request could leave the prefix.
 */
export function hasDotSegment(inbound: string): boolean {
  const queryStart = inbound.indexOf("?");
  const path = (queryStart === -1 ? inbound : inbound.slice(0, queryStart)).replace(/[\t\n\r]/g, "");
  for (const segment of path.split(/[/\\]/)) {
    if (segment.length === 0 || segment.length > 6) continue;
    const plain = segment.replace(/%2e/gi, ".");
    if (plain === "." || plain === "..") return true;
  }
  return false;
}

/**
 * `listen`'s rule: the target's path is a prefix for every inbound path (inbound `/stripe` to target `/webhooks`
 * goes to `/webhooks/stripe`, inbound `/` to `/webhooks`), and the inbound query wins over the target's. An inbound
 * path with a dot segment is refused by the caller (hasDotSegment): it is never joined.
 */
export function joinTarget(target: URL, inbound: string): string {
  // Origin-form only (the capture server answers 400 to anything else): `http://evil/x` or `*` glued onto the
  // target would name another host.
  if (!inbound.startsWith("/")) throw new TypeError(`joinTarget: expected an origin-form path, got ${JSON.stringify(inbound.slice(0, 100))}`);
  if (hasDotSegment(inbound)) throw new TypeError(`joinTarget: the path has a dot segment: ${JSON.stringify(inbound.slice(0, 100))}`);
  const queryStart = inbound.indexOf("?");
  const inboundPath = queryStart === -1 ? inbound : inbound.slice(0, queryStart);
  const inboundQuery = queryStart === -1 ? "" : inbound.slice(queryStart);
  const prefix = trimTrailingSlashes(target.pathname);
  let path = prefix + (inboundPath === "/" && prefix !== "" ? "" : inboundPath);
  if (path === "") path = "/";
  const query = inboundQuery || target.search;
  return `${target.protocol}//${target.host}${path}${query}`;
}
