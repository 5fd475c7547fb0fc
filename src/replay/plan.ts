import { HooktapeError, badInput } from "../core/errors.js";
import { randomBytes } from "node:crypto";
import { applyBodyEdits, applyHeaderEdits, type BodyEdit, type HeaderEdit } from "../core/mutate.js";
import { REDACTED } from "../core/redact.js";
import type { HeaderPairs, ReplayableEvent, SentRequest } from "../core/types.js";
import { sendUrlFor, sentRequestOf, type OutboundRequest } from "../forward/index.js";
import { SECRET_HEADER_NAMES } from "../providers/provider-modules.js";
import { secretExample } from "../providers/secrets.js";
import type { Provider, RetryCause } from "../providers/types.js";
import { buildRequest, messageIdOf, type RequestRecipe, type Tamper } from "./build-request.js";
import { orderItems, type ReplayOrder } from "./order.js";
import { retryPlanOf, type RetryPlan, type RetrySpec } from "./schedule.js";

export interface ReplayOptions<E extends ReplayableEvent = ReplayableEvent> {
  /** `--to`; null: each event's first forwarding target. */
  target: URL | null;
  /** `--resign`. Body edits and `--stale` imply it (a mutation always re-signs). */
  resign: boolean;
  /** The provider an event is signed with (its recorded one, or `--provider`); null when unknown. */
  providerOf: (event: E) => Provider | null;
  /** The secrets to re-sign an event as this provider with (`--secret` values, then HOOKTAPE_SECRET_<ID>). */
  secretsOf: (providerId: string, event: E) => string[];
  /** The env var that supplies a provider's secret, for the error message. */
  secretEnvOf: (providerId: string) => string;
  bodyEdits: readonly BodyEdit[];
  headerSets: HeaderPairs;
  headerDrops: readonly string[];
  tamper: Tamper | null;
  /** `--stale`, in ms (0: none). */
  staleMs: number;
  /** `--times`: deliveries of each event. */
  times: number;
  order: ReplayOrder;
  /** Used for `--order shuffle`; printed so that a run can be repeated. */
  seed: number;
  retry: RetrySpec | null;
  /** The provider `retry` names when it names one (`--retry stripe`), loaded by the caller. */
  retryProvider?: Provider | undefined;
  /** `--timeout`; null: the provider's own deadline (GitHub 10 s, Stripe 20 s, ...), else 30 s. */
  timeoutMs: number | null;
}

/**
 * One delivery of one event: its first request as planned, and how to build each attempt when it is sent. A re-signed
 * delivery is signed at its own send time, as real senders sign every attempt: sequential duplicates and retries of a
 * timestamped scheme carry later timestamps (different signature bytes) and the same message id.
 */
export interface PlannedDelivery {
  eventId: string;
  /** The event's type (`invoice.paid`), for the reports; null when its provider names none. */
  eventType: string | null;
  deliveryId: string;
  /** 1..times: which duplicate of the event this is. */
  duplicate: number;
  /** Position in the run, after ordering (0-based). */
  position: number;
  first: OutboundRequest;
  retry: RetryPlan;
  timeoutMs: number;
  /** The scheme it is signed with (null: unknown), and whether it was re-signed for this run. */
  provider: Provider | null;
  resigned: boolean;
  /** The first attempt's request at the moment it is sent: `first`, or, re-signed, signed anew at `nowMs`. */
  firstRequestAt(nowMs: number): OutboundRequest;
  /** The request of a retry (attempt >= 2), built at the moment it is sent: re-signed then, same message id. */
  retryRequest(attempt: number, cause: RetryCause, nowMs: number): OutboundRequest;
  /** What an attempt records of a request it sent: secrets redacted, the body only when it is not the event's. */
  sentRequest(request: OutboundRequest): SentRequest;
}

export interface ReplayPlan {
  deliveries: PlannedDelivery[];
  /** Events planned (the skipped ones not counted). */
  eventCount: number;
  /** Selected events that cannot be sent as asked (no provider or secret to re-sign, a redacted token), and why. */
  skipped: Array<{ eventId: string; reason: string }>;
  order: ReplayOrder;
  /** The seed of a shuffle, null for the other orders. */
  seed: number | null;
}

export interface PlanClock {
  now: number;
  newDeliveryId?: () => string;
  newMessageId?: () => string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** The retry plan of a run without --retry, shared by every delivery (read only: nothing changes a plan). */
const NO_RETRY: RetryPlan = { delaysMs: [], source: "none" };

/**
 * Turns selected events and the replay flags into an ordered list of deliveries. Pure apart
 * from the injected clock and id generators: no I/O, nothing sent.
 */
export function planReplay<E extends ReplayableEvent>(events: readonly E[], options: ReplayOptions<E>, clock: PlanClock): ReplayPlan {
  if (events.length === 0) throw new HooktapeError("no_match", "no events match");
  // Capture order (oldest first) is the base every --order starts from, whatever order the caller passed.
  const captured = [...events].sort((a, b) => a.receivedAt - b.receivedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const run: RunPlanning<E> = {
    options,
    clock,
    resign: options.resign || options.bodyEdits.length > 0 || options.staleMs > 0,
    headerEdits: [
      ...options.headerDrops.map((name) => ({ op: "drop" as const, name })),
      ...options.headerSets.map(([name, value]) => ({ op: "set" as const, name, value })),
    ],
    joinedUrls: new Map(),
    signatureHeaders: new Map(),
  };
  // One event that cannot be sent as asked does not stop the others: they are sent, it is reported with the reason.
  // When none can be, the first reason is the error.
  const skipped: ReplayPlan["skipped"] = [];
  let firstRefusal: HooktapeError | null = null;
  const perEvent = captured.flatMap((event) => {
    try {
      return [planEvent(event, run)];
    } catch (error) {
      if (!(error instanceof HooktapeError)) throw error;
      firstRefusal ??= error;
      skipped.push({ eventId: event.id, reason: error.message });
      return [];
    }
  });
  if (perEvent.length === 0 && firstRefusal !== null) throw firstRefusal;
  const deliveries = deliveriesOf(perEvent, options, clock.newDeliveryId ?? deliveryIdSequence());
  return { deliveries, eventCount: perEvent.length, skipped, order: options.order, seed: options.order === "shuffle" ? options.seed : null };
}

/** What planning each event of a run shares: worked out once per run, not once per event (a replay plans thousands). */
interface RunPlanning<E extends ReplayableEvent> {
  options: ReplayOptions<E>;
  clock: PlanClock;
  /** `--resign`, or what implies it: body edits and `--stale`. */
  resign: boolean;
  headerEdits: readonly HeaderEdit[];
  /** The delivery URL of each captured path, joined onto `--to` once. */
  joinedUrls: Map<string, string>;
  signatureHeaders: Map<Provider, ReadonlySet<string>>;
}

/** One event planned: its request as built now, and what each of its deliveries shares. */
interface PlannedEvent<E extends ReplayableEvent> {
  event: E;
  recipe: RequestRecipe;
  first: OutboundRequest;
  retry: RetryPlan;
  timeoutMs: number;
  provider: Provider | null;
  sentRequest: (request: OutboundRequest) => SentRequest;
}

/** Plans one event, or throws (a HooktapeError) why it cannot be sent as asked. */
function planEvent<E extends ReplayableEvent>(event: E, run: RunPlanning<E>): PlannedEvent<E> {
  const { options, clock } = run;
  if (event.rejected) throw badInput(`Event ${event.id} was rejected (${event.rejected}) and has no body to replay`);
  const provider = options.providerOf(event);
  const url = urlOf(event, run);
  const secret = run.resign ? signingSecretOf(event, provider, options) : null;
  if (secret === null && provider !== null) {
    let names = run.signatureHeaders.get(provider);
    if (names === undefined) run.signatureHeaders.set(provider, (names = new Set(provider.headers)));
    refuseRedactedSignature(event, provider, names);
  }
  const recipe: RequestRecipe = {
    method: event.method,
    url,
    headers: applyHeaderEdits(event.headers, run.headerEdits),
    body: applyBodyEdits(event.body, options.bodyEdits),
    provider,
    secret,
    messageId: "",
    staleMs: options.staleMs,
    tamper: options.tamper,
    headerSets: options.headerSets,
    headerDrops: options.headerDrops,
  };
  // Only a re-signed request needs a message id (a scheme may sign one); the captured headers carry their own.
  if (secret !== null) recipe.messageId = messageIdOf(recipe.headers, provider, clock.newMessageId);
  // Built now to check the edits and show what will be sent; a re-signed delivery is signed again when sent.
  const first = buildRequest(recipe, clock.now);
  const retry: RetryPlan = options.retry ? retryPlanOf(options.retry, provider, options.retryProvider) : NO_RETRY;
  const timeoutMs = options.timeoutMs ?? provider?.deadlineMs ?? DEFAULT_TIMEOUT_MS;
  // Never recorded: a token scheme's token, Basic auth's credentials, and the signing secret wherever it appears.
  const secretNames = provider?.kind === "token" && provider.headers[0] !== undefined ? [...SECRET_HEADER_NAMES, provider.headers[0]] : SECRET_HEADER_NAMES;
  const secrets = secret === null ? [] : [secret];
  const sentRequest = (request: OutboundRequest) => sentRequestOf(request, event.body, secretNames, secrets);
  return { event, recipe, first, retry, timeoutMs, provider, sentRequest };
}

function urlOf<E extends ReplayableEvent>(event: E, run: RunPlanning<E>): string {
  const target = run.options.target;
  if (target === null) return deliveryUrlOf(event, null);
  const url = run.joinedUrls.get(event.url) ?? deliveryUrlOf(event, target);
  run.joinedUrls.set(event.url, url);
  return url;
}

/** The secret an event is re-signed with: the provider's first, or a usage error that says how to pass one. */
function signingSecretOf<E extends ReplayableEvent>(event: E, provider: Provider | null, options: ReplayOptions<E>): string {
  if (provider === null) {
    throw badInput(`Cannot re-sign event ${event.id}: its provider is unknown; pass --provider <id> (see \`hooktape providers\`)`);
  }
  const first = options.secretsOf(provider.id, event)[0];
  if (first !== undefined) return first;
  const why = options.resign ? "--resign" : options.staleMs > 0 ? "--stale" : "--set/--unset (a mutated body is re-signed)";
  throw badInput(`no secret for ${provider.id} to re-sign (${why}): pass --secret ${provider.id}=${secretExample(provider, "sign")} or set ${options.secretEnvOf(provider.id)}`);
}

/** Each planned event `--times` over, in `--order`, as deliveries numbered by their position. */
function deliveriesOf<E extends ReplayableEvent>(perEvent: readonly PlannedEvent<E>[], options: ReplayOptions<E>, nextDeliveryId: () => string): PlannedDelivery[] {
  const slots: Array<{ index: number; duplicate: number }> = [];
  perEvent.forEach((_, index) => {
    for (let duplicate = 1; duplicate <= options.times; duplicate++) slots.push({ index, duplicate });
  });
  return orderItems(slots, options.order, options.seed).map((slot, position): PlannedDelivery => {
    const entry = perEvent[slot.index] as PlannedEvent<E>;
    return {
      eventId: entry.event.id,
      eventType: entry.event.eventType ?? null,
      deliveryId: nextDeliveryId(),
      duplicate: slot.duplicate,
      position,
      first: entry.first,
      retry: entry.retry,
      timeoutMs: entry.timeoutMs,
      provider: entry.provider,
      resigned: entry.recipe.secret !== null,
      firstRequestAt: (nowMs) => (entry.recipe.secret === null ? entry.first : buildRequest(entry.recipe, nowMs)),
      retryRequest: (attempt, cause, nowMs) => buildRequest(entry.recipe, nowMs, entry.retry.retryHeaders?.(attempt, cause) ?? []),
      sentRequest: entry.sentRequest,
    };
  });
}

/**
 * A token scheme's header is the secret itself, so it was stored `[redacted]`: sent as it is, the handler gets the
 * literal `[redacted]` and the "replay" proves nothing. Only a re-signed replay (with the token) can be sent.
 */
function refuseRedactedSignature(event: ReplayableEvent, provider: Provider, signatureHeaders: ReadonlySet<string>): void {
  const redacted = event.headers.find(([name, value]) => value === REDACTED && signatureHeaders.has(name.toLowerCase()));
  if (redacted === undefined) return;
  throw badInput(
    `Event ${event.id}: its ${redacted[0]} header is the secret itself, so it was stored as ${REDACTED}; ` +
      `replay it with --resign --secret ${provider.id}=${secretExample(provider, "sign")}`,
  );
}

/**
 * Where a replay of `event` goes. `--to` follows the one rule of every sending command (sendUrlFor): a port or an
 * origin keeps the event's own path and query, a URL with a path is the exact URL. Without `--to`, the event's
 * recorded target is the full URL `listen` forwarded it to, used as it is.
 */
export function deliveryUrlOf(event: ReplayableEvent, target: URL | null): string {
  if (target !== null) return sendUrlFor(target, event.url);
  if (event.target === null) {
    const why = event.notForwarded === "filtered" ? "listen's --only left its type out, so it was never forwarded" : "it was never forwarded, so it has no target";
    throw badInput(`Event ${event.id}: ${why}; pass --to, e.g. --to 3000 or --to http://localhost:3000/webhooks`);
  }
  return event.target;
}

/**
 * Delivery ids for one run: `dlv_` + 8 random hex + an 8-hex counter — the shape of `newDeliveryId`, unique
 * across runs by the random part, without a call into the CSPRNG for each of thousands of deliveries.
 */
function deliveryIdSequence(): () => string {
  const prefix = randomBytes(4).toString("hex");
  let n = 0;
  return () => `dlv_${prefix}${(n++).toString(16).padStart(8, "0")}`;
}
