import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HooktapeError, badInput } from "../core/errors.js";
import type { EventStore } from "../store/index.js";
import { createApiRoutes, type RecentStore } from "./api-routes.js";
import { listenOn } from "../capture/listen-on.js";
import { applyServerLimits, limitedServerOptions } from "../capture/server-limits.js";
import { ChangeFeed } from "./change-feed.js";
import { sendError, sendJson } from "./http-io.js";
import type { SigningContext } from "./replay-request.js";
import type { RunBoard } from "./run-status.js";
import { Searcher } from "./searcher.js";
import { allowedHosts, crossSite, newToken, requestToken, setSecurityHeaders, tokenMatches } from "./security.js";

export interface InspectorOptions {
  store: EventStore;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4040, else a free port; a port asked for explicitly must be free. */
  port?: number;
  portExplicit?: boolean;
  signing: SigningContext;
  /** Where the built page is (index.html, app.js, app.css, chunks/); default dist/inspector/page of this package. */
  pageDir?: string;
  /** The store's token (see storeToken); a fresh one for this run when absent. */
  token?: string;
  /** Default 20 s (the capture server's limit); tests lower it. */
  headersTimeoutMs?: number;
  /** The `listen` run this inspector belongs to; null under `hooktape ui`. */
  run?: RunBoard | null;
  recentStores?: readonly RecentStore[];
}

export interface Inspector {
  /** The URL to open, the token in its fragment (never sent to a server): `http://127.0.0.1:<port>/#t=<token>`. */
  url: string;
  origin: string;
  port: number;
  /** The port asked for (4040 by default); differs from `port` when that one was taken. */
  requestedPort: number;
  token: string;
  close(): Promise<void>;
}

export const DEFAULT_INSPECTOR_PORT = 4040;
/** How long a POST's body may take after its headers: an edited body of the largest size from a browser on this machine. */
const POST_ALLOWANCE_MS = 60_000;

interface Asset {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** The built page, read once: `/` (index.html), app.js, app.css, and the chunks loaded on first use (the editor). */
function loadPage(dir: string): Map<string, Asset> {
  try {
    const assets = new Map<string, Asset>();
    const add = (path: string, file: string) => assets.set(path, { body: readFileSync(join(dir, file)), type: TYPES[extname(file)] ?? "application/octet-stream" });
    add("/", "index.html");
    add("/app.js", "app.js");
    add("/app.css", "app.css");
    const chunks = join(dir, "chunks");
    if (existsSync(chunks)) for (const file of readdirSync(chunks)) if (file.endsWith(".js")) add(`/chunks/${file}`, join("chunks", file));
    return assets;
  } catch (error) {
    throw new HooktapeError("environment", `The inspector's page is missing from ${dir} (${(error as { code?: string }).code ?? error}); run \`npm run build\``);
  }
}

/** The built page: from src/inspector/ and from dist/inspector/ alike, the package's dist/inspector/page. */
function defaultPageDir(): string {
  return fileURLToPath(new URL("../../dist/inspector/page", import.meta.url));
}

/**
 * The local web inspector: the page, the JSON API and the event stream over one store, on 127.0.0.1.
 * The page and its assets are the package's own files, the same for everyone, and load without the token: that is
 * what lets a tab reload, and the token stay out of cookies. Every byte of captured data is behind the API, which
 * needs `Authorization: Bearer <token>`.
 */
export async function startInspector(options: InspectorOptions): Promise<Inspector> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? newToken();
  const page = loadPage(options.pageDir ?? defaultPageDir());
  const feed = new ChangeFeed(options.store, options.run ?? null);
  const searcher = new Searcher(options.store.file);
  const handleApi = createApiRoutes({
    store: options.store,
    feed,
    searcher,
    signing: options.signing,
    run: options.run ?? null,
    recentStores: options.recentStores ?? [],
  });
  let hosts = new Set<string>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hosts.has((request.headers.host ?? "").toLowerCase())) {
      return sendJson(response, 403, { error: "Forbidden Host; open the inspector at the URL hooktape printed" });
    }
    const url = new URL(request.url ?? "/", "http://inspector.invalid");
    const method = request.method ?? "GET";
    const asset = method === "GET" ? page.get(url.pathname) : undefined;
    if (asset !== undefined) {
      response.writeHead(200, { "Content-Type": asset.type });
      response.end(asset.body);
      return;
    }
    if (!url.pathname.startsWith("/api/")) return sendJson(response, 404, { error: `No such page ${url.pathname}` });
    if (!tokenMatches(requestToken(request), token)) {
      return sendJson(response, 401, { error: "Unauthorized: open the URL hooktape printed, or send Authorization: Bearer <token>" });
    }
    if (method === "POST") {
      if (crossSite(request, hosts)) return sendJson(response, 403, { error: "Forbidden: a request from another site" });
      if (!/^application\/json\s*(;|$)/i.test(request.headers["content-type"] ?? "")) {
        return sendJson(response, 415, { error: "POST bodies must be JSON (Content-Type: application/json)" });
      }
    } else if (method !== "GET") {
      response.setHeader("Allow", "GET, POST");
      return sendJson(response, 405, { error: `${method} is not supported` });
    }
    await handleApi(request, response, url);
  }

  // The capture server's limits: a page, an API call or the start of the event stream sends its headers at once.
  const server = createServer(limitedServerOptions({ headersTimeoutMs: options.headersTimeoutMs, requestAllowanceMs: POST_ALLOWANCE_MS }), (request, response) => {
    setSecurityHeaders(response);
    handle(request, response).catch((error: unknown) => sendError(response, error));
  });
  applyServerLimits(server, {});
  const requestedPort = options.port ?? DEFAULT_INSPECTOR_PORT;
  try {
    await listenOnInspectorPort(server, requestedPort, host, options.portExplicit === true);
  } catch (error) {
    feed.close();
    searcher.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(port, host);
  const shownHost = host === "127.0.0.1" || host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const origin = `http://${shownHost}:${port}`;
  return {
    url: `${origin}/#t=${token}`,
    origin,
    port,
    requestedPort,
    token,
    close: async () => {
      feed.close();
      searcher.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The port asked for; when it is the default and taken, any free one (the caller says so). */
async function listenOnInspectorPort(server: Server, port: number, host: string, explicit: boolean): Promise<void> {
  try {
    await listenOn(server, port, host);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE" && !explicit) return listenOn(server, 0, host);
    if (code === "EADDRINUSE") throw new HooktapeError("environment", `Port ${port} on ${host} is in use; pass another --port`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw badInput(`Cannot serve the inspector on ${host}: ${code}`);
    throw error;
  }
}
