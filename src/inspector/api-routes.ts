import type { IncomingMessage, ServerResponse } from "node:http";
import { badInput } from "../core/errors.js";
import { encodeBody } from "../core/body.js";
import { parseEventFilter } from "../core/event-filter.js";
import { detailJson, formatCurl, replayJson, summaryJson } from "../documents/index.js";
import type { EventPageJson, InspectorInfoJson, PreviewJson, SigningJson } from "../documents/json-types.js";
import { createDeliveryAgent, isForwardedHeader, resolveTarget, wireRequest, type OutboundRequest } from "../forward/index.js";
import { providers } from "../providers/index.js";
import { HooktapeError } from "../core/errors.js";
import type { CapturedEvent, HeaderPairs, RecordedAttempt } from "../core/types.js";
import type { EventStore, PageCursor } from "../store/index.js";
import type { ChangeFeed } from "./change-feed.js";
import { readJson, sendJson, sendText } from "./http-io.js";
import { PreviewShelf } from "./previews.js";
import type { ReplayPlan } from "../replay/index.js";
import type { SigningContext } from "./replay-request.js";
import type { RunBoard } from "./run-status.js";
import type { Searcher } from "./searcher.js";

// The replay engine and the fixture writer load on first use: `listen --ui` starts without them.
const replayModules = () => Promise.all([import("./replay-request.js"), import("../replay/index.js")]);
const fixtureModule = () => import("../fixture-files/index.js");

const PAGE_SIZE = 100;

/** A store used recently elsewhere (the page names them when this one is empty). */
export interface RecentStore {
  path: string;
  usedAt: string;
}

export interface ApiContext {
  store: EventStore;
  feed: ChangeFeed;
  searcher: Searcher;
  signing: SigningContext;
  run: RunBoard | null;
  recentStores: readonly RecentStore[];
}

/**
 * The JSON API under /api/: the CLI's `--json` documents, the event stream, replays and their previews, over one
 * store, feed and preview shelf. A request is answered by the first route of API_ROUTES that matches it.
 */
export function createApiRoutes(context: ApiContext) {
  const api: ApiState = { ...context, previews: new PreviewShelf() };
  const { store } = context;
  return async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const method = request.method ?? "GET";
    const parts = url.pathname.split("/").slice(2).map(decodeURIComponent);
    const [resource, id = "", , n = ""] = parts;
    // Any other method on /api/events is answered as the POST there is: a 405 that says what to POST.
    const wanted = resource === "events" && parts.length === 1 && method !== "GET" ? "POST" : method;
    const route = API_ROUTES.find((r) => r.method === wanted && matchesPath(r.path, parts));
    if (route === undefined) {
      if (resource !== "events") return sendJson(response, 404, { error: `No such API route ${url.pathname}` });
      // An event's own URL with an action nobody serves: an unknown id still says so first.
      if (method === "GET" && parts.length === 3) store.getEvent(id);
      return sendJson(response, 404, { error: `No such API route ${method} ${url.pathname}` });
    }
    await route.handle({ api, request, response, url, id, n, event: () => store.getEvent(id) });
  };
}

/** What every route works over: the inspector's store, feed, searcher and signing, and the previews it keeps. */
interface ApiState extends ApiContext {
  previews: PreviewShelf;
}

interface ApiCall {
  api: ApiState;
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  /** The `:id` and `:n` segments ("" when the route has none). */
  id: string;
  n: string;
  /** The event `:id` names; throws a not-found error (a 404) when there is none. */
  event: () => CapturedEvent;
}

interface ApiRoute {
  method: "GET" | "POST";
  path: readonly string[];
  handle: (call: ApiCall) => void | Promise<void>;
}

/**
 * The routes, matched on the method and the path's segments after /api/: a literal matches itself, `:id` an event
 * id (the event is looked up before the handler runs, so an unknown id is a 404), `:n` any segment.
 */
const API_ROUTES: readonly ApiRoute[] = [
  { method: "GET", path: ["stream"], handle: ({ api, request, response }) => api.feed.attach(response, lastEventIdOf(request)) },
  { method: "GET", path: ["info"], handle: ({ api, response }) => sendJson(response, 200, infoOf(api)) },
  { method: "GET", path: ["events"], handle: async ({ api, response, url }) => sendJson(response, 200, await listEvents(api, url.searchParams)) },
  { method: "POST", path: ["events"], handle: ({ response }) => sendJson(response, 405, { error: "POST /api/events/<id>/replay replays an event" }) },
  { method: "GET", path: ["events", ":id"], handle: ({ api, response, event }) => eventDetail(response, event(), api.store) },
  { method: "GET", path: ["events", ":id", "body"], handle: ({ response, event }) => eventBody(response, event()) },
  { method: "GET", path: ["events", ":id", "fixture"], handle: ({ response, event, url }) => eventFixture(response, event(), url) },
  { method: "GET", path: ["events", ":id", "curl"], handle: async ({ response, event, url }) => sendText(response, 200, (await curlOf(event(), url.searchParams)) + "\n") },
  { method: "GET", path: ["events", ":id", "signing"], handle: ({ api, response, event }) => eventSigning(response, event(), api.signing) },
  { method: "GET", path: ["events", ":id", "deliveries", ":n", "body"], handle: ({ api, response, event, n }) => sentBody(response, event(), api.store, n) },
  { method: "POST", path: ["events", ":id", "replay"], handle: (call) => replayOrPreview(call, "replay") },
  { method: "POST", path: ["events", ":id", "preview"], handle: (call) => replayOrPreview(call, "preview") },
];

function eventDetail(response: ServerResponse, event: CapturedEvent, store: EventStore): void {
  sendJson(response, 200, detailJson(event, store.listAttempts(event.id)));
}

function eventBody(response: ServerResponse, event: CapturedEvent): void {
  response.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Disposition": `attachment; filename="${event.id}.body"` });
  response.end(event.rejected ? Buffer.alloc(0) : event.body);
}

async function eventFixture(response: ServerResponse, event: CapturedEvent, url: URL): Promise<void> {
  const { fixtureFromEvent, serializeFixture } = await fixtureModule();
  const headers: Record<string, string> = { "Content-Type": "application/json; charset=utf-8" };
  if (url.searchParams.has("download")) headers["Content-Disposition"] = `attachment; filename="${event.id}.json"`;
  response.writeHead(200, headers);
  response.end(serializeFixture(fixtureFromEvent(event)));
}

async function eventSigning(response: ServerResponse, event: CapturedEvent, signing: SigningContext): Promise<void> {
  const { canResign } = await import("./replay-request.js");
  const document: SigningJson = {
    provider: signing.providerOf(event)?.id ?? null,
    canResign: canResign(event, signing),
    hint: event.verification.hint ?? null,
    // The captured headers a replay sends on: Host, Content-Length and the connection's own are set for the target.
    sentHeaders: event.headers.filter(([name]) => isForwardedHeader(name)),
  };
  sendJson(response, 200, document);
}

/** The body attempt `n` sent, as a download. */
function sentBody(response: ServerResponse, event: CapturedEvent, store: EventStore, n: string): void {
  const sent = sentBodyOf(event, store.listAttempts(event.id), n);
  response.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Disposition": `attachment; filename="${event.id}.${n}.body"` });
  response.end(sent);
}

async function curlOf(event: CapturedEvent, params: URLSearchParams): Promise<string> {
  const to = params.get("to");
  const [, { deliveryUrlOf }] = await replayModules();
  // Where `replay` would send it (the recorded URL, or --to joined with the path); a never-forwarded event gets a
  // placeholder the user edits.
  const target = to || event.target ? deliveryUrlOf(event, to ? resolveTarget(to, "to") : null) : `http://localhost:3000${event.url}`;
  const { redactHeaders } = await fixtureModule();
  // The headers a replay sends: Host, Content-Length and the connection's own headers are curl's to set.
  const sent = event.headers.filter(([name]) => isForwardedHeader(name));
  const headers = params.get("credentials") === "1" ? sent : redactHeaders(sent);
  return formatCurl({ method: event.method, url: target, headers, body: event.rejected ? Buffer.alloc(0) : event.body });
}

/** `preview` plans and keeps the plan; `replay` sends a kept preview as it was shown, or plans anew. */
async function replayOrPreview({ api, request, response, id }: ApiCall, action: "replay" | "preview"): Promise<void> {
  const { store, signing, previews } = api;
  const [{ parseReplayRequest, planFromRequest, headersShownOf }, { runReplay }] = await replayModules();
  const input = await readJson(request);
  const replayRequest = parseReplayRequest(input);
  const { preview: _previewId, ...options } = input as Record<string, unknown>;
  const event = store.getEvent(id);
  const now = Date.now();
  let plan: ReplayPlan;
  if (replayRequest.preview !== null && action === "replay") {
    const kept = previews.take(replayRequest.preview, id, options, now);
    if ("refused" in kept) return sendJson(response, 409, { error: kept.refused });
    plan = kept.plan;
  } else {
    const planned = planFromRequest(event, replayRequest, signing, now);
    plan = planned.plan;
    if (action === "preview") {
      const delivery = plan.deliveries[0];
      if (delivery === undefined) throw badInput("Nothing to send");
      // A kept preview is sent exactly as shown: its first request is the one signed now, not one signed again
      // when Send is pressed.
      const pinned = plan.deliveries.map((d) => {
        const request = d.firstRequestAt(now);
        return { ...d, first: request, firstRequestAt: () => request };
      });
      const kept: ReplayPlan = { ...plan, deliveries: pinned };
      const first = pinned[0]!.first;
      const previewId = previews.put(id, options, kept, now);
      const shown = headersShownOf(wireRequest(first).headers, delivery.provider, replayRequest);
      return sendJson(response, 200, previewDocument(first, shown, planned.resigned, previewId, now));
    }
  }
  const agent = createDeliveryAgent(replayRequest.concurrency);
  try {
    const result = await runReplay(plan, { store, dispatcher: agent, concurrency: replayRequest.concurrency, speed: 1 });
    api.feed.poke();
    sendJson(response, 200, replayJson(plan, result, (attempt) => replayRequest.expectation.matches(attempt.status)));
  } finally {
    await agent.close();
  }
}

async function listEvents(api: ApiState, params: URLSearchParams): Promise<EventPageJson> {
  const flag = (name: string) => params.get(name) ?? undefined;
  const filter = parseEventFilter(
    {
      limit: flag("limit") ?? String(PAGE_SIZE),
      provider: flag("provider"),
      path: flag("path"),
      type: flag("type"),
      verification: flag("verification"),
      status: flag("status"),
      since: flag("since"),
    },
    Date.now(),
    PAGE_SIZE,
  );
  if (filter.limit === 0 || filter.limit > 1000) throw badInput(`Invalid limit "${filter.limit}": expected 1 to 1000 events per page`);
  const q = flag("q") ?? "";
  const after = parsePageCursor(flag("cursor"));
  // Filters use indexes and answer in milliseconds here; a text search reads bodies, on the search thread.
  const page = q === "" ? api.store.listEventsPage(filter, { after }) : await api.searcher.page(filter, q, after);
  const replays: Record<string, number> = {};
  for (const event of page.events) if (event.replays > 0) replays[event.id] = event.replays;
  return { events: page.events.map(summaryJson), next: page.next ? `${page.next.receivedAt}.${page.next.seq}` : null, replays };
}

/** Where this inspector is: its store, the run it belongs to, which providers it can re-sign (never a secret). */
function infoOf(api: ApiState): InspectorInfoJson {
  return {
    db: api.store.file,
    run: api.run?.current ?? null,
    recentStores: api.recentStores,
    resign: providers.map((provider) => provider.id).filter((id) => api.signing.secretsOf(id).length > 0),
  };
}

/**
 * A previewed request as the handler will receive it: the request line's target, the headers on the wire in
 * order (Host and Content-Length as they are sent, not as captured; a secret's value shown as `[set by hooktape]`),
 * the body; and the id that sends exactly this.
 */
function previewDocument(first: OutboundRequest, headers: HeaderPairs, resigned: boolean, previewId: string, now: number): PreviewJson {
  const wire = wireRequest(first);
  return {
    previewId,
    method: wire.method,
    url: first.url,
    path: wire.path,
    headers,
    ...encodeBody(wire.body),
    resigned,
    signedAt: resigned ? new Date(now).toISOString() : null,
  };
}

/** The id the browser resumes the event stream after (its `Last-Event-ID` header), if it sent one. */
function lastEventIdOf(request: IncomingMessage): string | undefined {
  const last = request.headers["last-event-id"];
  return typeof last === "string" ? last : undefined;
}

function matchesPath(pattern: readonly string[], parts: readonly string[]): boolean {
  return pattern.length === parts.length && pattern.every((segment, i) => segment.startsWith(":") || segment === parts[i]);
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
