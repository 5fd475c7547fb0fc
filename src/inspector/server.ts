import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { HooktapeError, badInput } from "../core/errors.js";
import { parseEventFilter } from "../core/event-filter.js";
import { detailJson, formatCurl, replayJson, summaryJson } from "../documents/index.js";
import { createDeliveryAgent, isForwardedHeader, resolveTarget } from "../forward/index.js";
import { providers } from "../providers/index.js";
import type { CapturedEvent, RecordedAttempt } from "../core/types.js";
import type { EventStore, PageCursor } from "../store/index.js";
import { applyServerLimits, limitedServerOptions } from "../capture/server-limits.js";
import { ChangeFeed } from "./change-feed.js";
import { Searcher } from "./searcher.js";
import type { SigningContext } from "./replay-request.js";

// The replay engine and the fixture writer load on first use: `listen --ui` starts without them.
const replayModules = () => Promise.all([import("./replay-request.js"), import("../replay/index.js")]);
const fixtureModule = () => import("../fixtures/index.js");
import {
  allowedHosts,
  crossSite,
  newToken,
  requestToken,
  sessionCookie,
  setSecurityHeaders,
  tokenMatches,
} from "./security.js";

export interface InspectorOptions {
  store: EventStore;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4040, else a free port; a port asked for explicitly must be free. */
  port?: number;
  portExplicit?: boolean;
  signing: SigningContext;
  /** Where the built page is (index.html, app.js, app.css); default dist/inspector/page of this package. */
  pageDir?: string;
  token?: string;
  /** Default 20 s (SERVER_LIMITS); tests lower it. */
  headersTimeoutMs?: number;
}

export interface Inspector {
  /** The URL to open, with the token: `http://127.0.0.1:<port>/?t=<token>`. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const DEFAULT_INSPECTOR_PORT = 4040;
/** Largest JSON body a POST may carry (an edited webhook body included). */
const MAX_POST_BYTES = 32 * 1024 * 1024;
const PAGE_SIZE = 100;
/** How long a POST's body may take after its headers: an edited body of MAX_POST_BYTES from a browser on this machine. */
const POST_ALLOWANCE_MS = 60_000;

interface PageAssets {
  "/": Buffer;
  "/app.js": Buffer;
  "/app.css": Buffer;
}

const ASSET_TYPES: Record<keyof PageAssets, string> = {
  "/": "text/html; charset=utf-8",
  "/app.js": "text/javascript; charset=utf-8",
  "/app.css": "text/css; charset=utf-8",
};

function loadPage(dir: string): PageAssets {
  try {
    return {
      "/": readFileSync(`${dir}/index.html`),
      "/app.js": readFileSync(`${dir}/app.js`),
      "/app.css": readFileSync(`${dir}/app.css`),
    };
  } catch (error) {
    throw new HooktapeError("environment", `The inspector's page is missing from ${dir} (${(error as { code?: string }).code ?? error}); run \`npm run build\``);
  }
}

/** The built page: from src/inspector/ and from dist/inspector/ alike, the package's dist/inspector/page. */
function defaultPageDir(): string {
  return fileURLToPath(new URL("../../dist/inspector/page", import.meta.url));
}

/** The local web inspector: the page, the JSON API and the event stream over one store, on 127.0.0.1. */
export async function startInspector(options: InspectorOptions): Promise<Inspector> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? newToken();
  const page = loadPage(options.pageDir ?? defaultPageDir());
  const store = options.store;
  const feed = new ChangeFeed(store);
  const searcher = new Searcher(store.file);
  let hosts = new Set<string>();
  let port = 0;

  // The capture server's limits: a page, an API call or the start of the event stream sends its headers at once.
  const server = createServer(limitedServerOptions({ headersTimeoutMs: options.headersTimeoutMs, requestAllowanceMs: POST_ALLOWANCE_MS }), (request, response) => {
    setSecurityHeaders(response);
    handle(request, response).catch((error: unknown) => sendError(response, error));
  });
  applyServerLimits(server, {});

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hosts.has((request.headers.host ?? "").toLowerCase())) {
      return sendJson(response, 403, { error: "Forbidden Host; open the inspector at the URL hooktape printed" });
    }
    const url = new URL(request.url ?? "/", "http://inspector.invalid");
    const method = request.method ?? "GET";
    const pathname = url.pathname;

    // The first load trades the token in the address for a cookie, and drops it from the address bar.
    const queryToken = url.searchParams.get("t");
    if (pathname === "/" && method === "GET" && queryToken !== null) {
      if (!tokenMatches(queryToken, token)) return sendText(response, 401, "The token in this URL is not this inspector's; open the URL hooktape printed.");
      response.setHeader("Set-Cookie", sessionCookie(port, token));
      response.writeHead(303, { Location: "/" });
      response.end();
      return;
    }
    if (!tokenMatches(requestToken(request, port), token)) {
      return pathname.startsWith("/api/")
        ? sendJson(response, 401, { error: "Unauthorized: open the URL hooktape printed, or send Authorization: Bearer <token>" })
        : sendText(response, 401, "Unauthorized: open the URL hooktape printed (it carries ?t=<token>).");
    }

    if (method === "GET" && (pathname === "/" || pathname === "/app.js" || pathname === "/app.css")) {
      const key = pathname as keyof PageAssets;
      response.writeHead(200, { "Content-Type": ASSET_TYPES[key] });
      response.end(page[key]);
      return;
    }
    if (!pathname.startsWith("/api/")) return sendJson(response, 404, { error: `No such page ${pathname}` });

    if (method === "POST") {
      if (crossSite(request, hosts)) return sendJson(response, 403, { error: "Forbidden: a request from another site" });
      if (!/^application\/json\s*(;|$)/i.test(request.headers["content-type"] ?? "")) {
        return sendJson(response, 415, { error: "POST bodies must be JSON (Content-Type: application/json)" });
      }
    } else if (method !== "GET") {
      response.setHeader("Allow", "GET, POST");
      return sendJson(response, 405, { error: `${method} is not supported` });
    }

    const parts = pathname.split("/").slice(2).map(decodeURIComponent);
    const [resource, id, action] = parts;
    if (method === "GET" && resource === "stream" && parts.length === 1) {
      const last = request.headers["last-event-id"];
      feed.attach(response, typeof last === "string" ? last : undefined);
      return;
    }
    if (method === "GET" && resource === "info" && parts.length === 1) return sendJson(response, 200, info());
    if (resource !== "events") return sendJson(response, 404, { error: `No such API route ${pathname}` });
    if (id === undefined) {
      if (method !== "GET") return sendJson(response, 405, { error: "POST /api/events/<id>/replay replays an event" });
      return sendJson(response, 200, await listEvents(url.searchParams));
    }
    if (method === "GET") {
      const event = store.getEvent(id);
      if (action === undefined) return sendJson(response, 200, detailJson(event, store.listAttempts(event.id)));
      if (action === "body" && parts.length === 3) {
        response.writeHead(200, {
          "Content-Type": "application/octet-stream",
          "Content-Disposition": `attachment; filename="${event.id}.body"`,
        });
        response.end(event.rejected ? Buffer.alloc(0) : event.body);
        return;
      }
      if (action === "deliveries" && parts.length === 5 && parts[4] === "body") {
        const sent = sentBodyOf(event, store.listAttempts(event.id), parts[3] ?? "");
        response.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Disposition": `attachment; filename="${event.id}.${parts[3]}.body"` });
        response.end(sent);
        return;
      }
      if (action === "fixture" && parts.length === 3) {
        const { fixtureFromEvent, serializeFixture } = await fixtureModule();
        const text = serializeFixture(fixtureFromEvent(event));
        const headers: Record<string, string> = { "Content-Type": "application/json; charset=utf-8" };
        if (url.searchParams.has("download")) headers["Content-Disposition"] = `attachment; filename="${event.id}.json"`;
        response.writeHead(200, headers);
        response.end(text);
        return;
      }
      if (action === "curl" && parts.length === 3) {
        const to = url.searchParams.get("to");
        const [, { deliveryUrlOf }] = await replayModules();
        // Where `replay` would send it (the recorded URL, or --to joined with the path); a never-forwarded event
        // gets a placeholder the user edits.
        const target = to || event.target ? deliveryUrlOf(event, to ? resolveTarget(to, "to") : null) : `http://localhost:3000${event.url}`;
        const { redactHeaders } = await fixtureModule();
        // The headers a replay sends: Host, Content-Length and the connection's own headers are curl's to set.
        const sent = event.headers.filter(([name]) => isForwardedHeader(name));
        const headers = url.searchParams.get("credentials") === "1" ? sent : redactHeaders(sent);
        return sendText(response, 200, formatCurl({ method: event.method, url: target, headers, body: event.rejected ? Buffer.alloc(0) : event.body }) + "\n");
      }
      if (action === "signing" && parts.length === 3) {
        const provider = options.signing.providerOf(event);
        const { canResign } = await import("./replay-request.js");
        return sendJson(response, 200, {
          provider: provider?.id ?? null,
          canResign: canResign(event, options.signing),
          hint: event.verification.hint ?? null,
        });
      }
    }
    if (method === "POST" && (action === "replay" || action === "preview") && parts.length === 3) {
      const [{ parseReplayRequest, planFromRequest, previewOf }, { runReplay }] = await replayModules();
      const replayRequest = parseReplayRequest(await readJson(request));
      const event = store.getEvent(id);
      const { plan, resigned } = planFromRequest(event, replayRequest, options.signing, Date.now());
      // The preview never carries a secret; the replay below sends the real values from this process.
      if (action === "preview") return sendJson(response, 200, previewOf(plan, replayRequest, resigned));
      const agent = createDeliveryAgent(replayRequest.concurrency);
      try {
        const result = await runReplay(plan, { store, dispatcher: agent, concurrency: replayRequest.concurrency, speed: 1 });
        feed.poke();
        return sendJson(response, 200, replayJson(plan, result, (attempt) => replayRequest.expect(attempt.status)));
      } finally {
        await agent.close();
      }
    }
    return sendJson(response, 404, { error: `No such API route ${method} ${pathname}` });
  }

  async function listEvents(params: URLSearchParams) {
    const flag = (name: string) => params.get(name) ?? undefined;
    const filter = parseEventFilter(
      { limit: flag("limit") ?? String(PAGE_SIZE), provider: flag("provider"), path: flag("path"), type: flag("type"), verification: flag("verification"), status: flag("status"), since: flag("since") },
      Date.now(),
      PAGE_SIZE,
    );
    if (filter.limit === 0 || filter.limit > 1000) throw badInput(`Invalid limit "${filter.limit}": expected 1 to 1000 events per page`);
    const q = flag("q") ?? "";
    const after = parsePageCursor(flag("cursor"));
    // Filters use indexes and answer in milliseconds here; a text search reads bodies, on the search thread.
    const page = q === "" ? store.listEventsPage(filter, { after }) : await searcher.page(filter, q, after);
    const replays: Record<string, number> = {};
    for (const event of page.events) if (event.replays > 0) replays[event.id] = event.replays;
    return { events: page.events.map(summaryJson), next: page.next ? `${page.next.receivedAt}.${page.next.seq}` : null, replays };
  }

  function info() {
    return {
      db: store.file,
      // Which providers hooktape holds a secret for (never the secret): the page says when re-signing is impossible.
      resign: providers.map((provider) => provider.id).filter((id) => options.signing.secretsOf(id).length > 0),
    };
  }

  const preferred = options.port ?? DEFAULT_INSPECTOR_PORT;
  try {
    await listen(server, preferred, host);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== "EADDRINUSE" || options.portExplicit) {
      feed.close();
      searcher.close();
      if (code === "EADDRINUSE") throw new HooktapeError("environment", `Port ${preferred} on ${host} is in use; pass another --port`);
      if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw badInput(`Cannot serve the inspector on ${host}: ${code}`);
      throw error;
    }
    await listen(server, 0, host);
  }
  port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(port, host);
  const shownHost = host === "127.0.0.1" || host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const origin = `http://${shownHost}:${port}`;
  return {
    url: `${origin}/?t=${token}`,
    origin,
    port,
    token,
    close: async () => {
      feed.close();
      searcher.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/** The body attempt `n` sent (1-based, in the order of the event's `deliveries`): its own, or the event's when unchanged. */
function sentBodyOf(event: CapturedEvent, attempts: readonly RecordedAttempt[], n: string): Buffer {
  const attempt = /^[1-9]\d{0,8}$/.test(n) ? attempts[Number(n) - 1] : undefined;
  if (attempt === undefined) throw new HooktapeError("not_found", `Event ${event.id} has no delivery ${n}; it has ${attempts.length} (numbered from 1)`);
  if (attempt.request === null) throw new HooktapeError("not_found", `Delivery ${n} of ${event.id} sent nothing (or was recorded before requests were)`);
  return attempt.request.body ?? event.body;
}

function parsePageCursor(text: string | undefined): PageCursor | undefined {
  if (text === undefined || text === "") return undefined;
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(text);
  if (!match) throw badInput(`Invalid cursor "${text}": pass the "next" value of the previous page`);
  return { receivedAt: Number(match[1]), seq: Number(match[2]) };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_POST_BYTES) throw badInput("The request body is too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badInput("The request body is not valid JSON");
  }
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(value));
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  response.end(text);
}

function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (error instanceof HooktapeError) {
    const status = error.code === "not_found" ? 404 : error.exitCode === 2 ? 400 : 500;
    return sendJson(response, status, { error: error.message });
  }
  sendJson(response, 500, { error: `unexpected error: ${error instanceof Error ? error.message : String(error)}` });
}
