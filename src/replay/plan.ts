import { HooktapeError, badInput } from "../core/errors.js";
import { randomBytes } from "node:crypto";
import { applyBodyEdits, applyHeaderEdits, type BodyEdit } from "../core/mutate.js";
import { REDACTED } from "../core/redact.js";
import type { HeaderPairs, ReplayableEvent } from "../core/types.js";
import { joinTarget, type OutboundRequest } from "../forward/index.js";
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
  /** The secrets for a provider id (`--secret` values, then HOOKTAPE_SECRET_<ID>). */
  secretsOf: (providerId: string) => string[];
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

/** One delivery of one event: its first request (identical for every duplicate) and how to build its retries. */
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
  /** The request of a retry (attempt >= 2), built at the moment it is sent: re-signed then, same message id. */
  retryRequest(attempt: number, cause: RetryCause, nowMs: number): OutboundRequest;
}

export interface ReplayPlan {
  deliveries: PlannedDelivery[];
  eventCount: number;
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
  const resign = options.resign || options.bodyEdits.length > 0 || options.staleMs > 0;
  const nextDeliveryId = clock.newDeliveryId ?? deliveryIdSequence();

  // Capture order (oldest first) is the base every --order starts from, whatever order the caller passed.
  const captured = [...events].sort((a, b) => a.receivedAt - b.receivedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Worked out once per run, not once per event: a replay plans thousands of events, most of them alike.
  const headerEdits = [
    ...options.headerDrops.map((name) => ({ op: "drop" as const, name })),
    ...options.headerSets.map(([name, value]) => ({ op: "set" as const, name, value })),
  ];
  const joinedUrls = new Map<string, string>();
  const signatureHeaders = new Map<Provider, ReadonlySet<string>>();
  const perEvent = captured.map((event) => {
    if (event.rejected) throw badInput(`Event ${event.id} was rejected (${event.rejected}) and has no body to replay`);
    const provider = options.providerOf(event);
    let url: string;
    if (options.target === null) url = deliveryUrlOf(event, null);
    else {
      url = joinedUrls.get(event.url) ?? deliveryUrlOf(event, options.target);
      joinedUrls.set(event.url, url);
    }
    let secret: string | null = null;
    if (resign) {
      if (provider === null) {
        throw badInput(`Cannot re-sign event ${event.id}: its provider is unknown; pass --provider <id> (see \`hooktape providers\`)`);
      }
      const secrets = options.secretsOf(provider.id);
      const first = secrets[0];
      if (first === undefined) {
        const why = options.resign ? "--resign" : options.staleMs > 0 ? "--stale" : "--set/--unset (a mutated body is re-signed)";
        throw badInput(
          `no secret for ${provider.id} to re-sign (${why}): pass --secret ${secretExample(provider, "sign")} or set ${options.secretEnvOf(provider.id)}`,
        );
      }
      secret = first;
    }
    if (secret === null && provider !== null) {
      let names = signatureHeaders.get(provider);
      if (names === undefined) signatureHeaders.set(provider, (names = new Set(provider.headers)));
      refuseRedactedSignature(event, provider, names);
    }
    const recipe: RequestRecipe = {
      method: event.method,
      url,
      headers: applyHeaderEdits(event.headers, headerEdits),
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
    // Signed once: every duplicate carries exactly these bytes and headers (same timestamp, same id).
    const first = buildRequest(recipe, clock.now);
    const retry: RetryPlan = options.retry ? retryPlanOf(options.retry, provider, options.retryProvider) : NO_RETRY;
    const timeoutMs = options.timeoutMs ?? provider?.deadlineMs ?? DEFAULT_TIMEOUT_MS;
    return { event, recipe, first, retry, timeoutMs, provider };
  });

  const slots: Array<{ index: number; duplicate: number }> = [];
  perEvent.forEach((_, index) => {
    for (let duplicate = 1; duplicate <= options.times; duplicate++) slots.push({ index, duplicate });
  });
  const ordered = orderItems(slots, options.order, options.seed);

  const deliveries = ordered.map((slot, position): PlannedDelivery => {
    const entry = perEvent[slot.index] as (typeof perEvent)[number];
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
      retryRequest: (attempt, cause, nowMs) => buildRequest(entry.recipe, nowMs, entry.retry.retryHeaders?.(attempt, cause) ?? []),
    };
  });
  return { deliveries, eventCount: events.length, order: options.order, seed: options.order === "shuffle" ? options.seed : null };
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
 * Where a replay of `event` goes. `--to` is a base URL, joined with the event's path and query as `listen` joins
 * its target. Without `--to`, the event's recorded target is already the full URL `listen` forwarded it to
 * (target prefix + inbound path + query), so it is used as it is: joining the path again would double it.
 */
export function deliveryUrlOf(event: ReplayableEvent, target: URL | null): string {
  if (target !== null) return joinTarget(target, event.url);
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
