import { createHash, randomUUID } from "node:crypto";
import type { Dispatcher } from "undici";
import { NOT_FORWARDED_HEADER, TRIGGER_HEADER, TRIGGERED_EVENT_HEADER } from "../capture/trigger-mark.js";
import { findHeader } from "../core/headers.js";
import { newDeliveryId, newEventId, newMessageId } from "../core/ids.js";
import { applyBodyEdits, type BodyEdit } from "../core/mutate.js";
import { redactNamed } from "../core/redact.js";
import type { CapturedEvent, HeaderPairs } from "../core/types.js";
import { signRequest } from "../fixture-files/sign-request.js";
import { attemptRecordOf, deliver, sentRequestOf, type OutboundRequest } from "../forward/index.js";
import { eventTypeOf } from "../providers/event-type.js";
import type { Provider } from "../providers/types.js";
import { secretHeadersOf, toVerification } from "../providers/verification.js";
import type { EventStore, ListenRun } from "../store/index.js";
import type { TriggerDraft } from "./catalogue.js";

/** How to turn a draft into the request a provider would send. */
export interface TriggerEdits {
  /** `--body-file`: a whole body instead of the draft's. */
  body?: Buffer | undefined;
  /** `--set` / `--unset`, applied to the body before signing. */
  bodyEdits: readonly BodyEdit[];
}

/** A triggered delivery, signed. */
export interface TriggerRequest {
  request: OutboundRequest;
  /** The unix seconds the signature claims. */
  signedAt: number;
}

/** Where a trigger goes: a handler (recorded here) or a running listen (which records it, as triggered). */
export type TriggerDestination = { kind: "direct"; url: string } | { kind: "listen"; run: ListenRun; url: string };

/** What `trigger --json` prints: the attempt. */
export interface TriggerOutcome {
  provider: string;
  eventType: string | null;
  /** The recorded event (listen's, when sent through it; null if listen did not say). */
  eventId: string | null;
  via: "direct" | "listen";
  url: string;
  /** Through listen: why it recorded the event without forwarding it (`filtered` by --only); else null. */
  notForwarded: string | null;
  status: number | null;
  error: string | null;
  errorMessage: string | null;
  durationMs: number;
}

/**
 * The draft edited and signed as the provider signs, at `nowMs`: its headers (the signature's merged over the
 * draft's), a fresh message id where the scheme signs one (a UUID where the provider's delivery id is one), and the
 * URL the scheme signs when it signs one.
 */
export function buildTriggerRequest(provider: Provider, draft: TriggerDraft, secret: string, url: string, edits: TriggerEdits, nowMs: number): TriggerRequest {
  const body = applyBodyEdits(edits.body ?? draft.body, edits.bodyEdits);
  const signed = signRequest({
    provider,
    secret,
    body,
    timestamp: Math.floor(nowMs / 1000),
    id: UUID_DELIVERY_IDS.has(provider.id) ? randomUUID() : newMessageId(),
    url,
    method: "POST",
    headers: draft.headers,
  });
  return { request: { method: "POST", url: signed.url ?? url, headers: signed.headers, body: signed.body }, signedAt: signed.timestamp };
}

/** Providers whose delivery id (X-GitHub-Delivery, X-Shopify-Webhook-Id) is a UUID. */
const UUID_DELIVERY_IDS = new Set(["github", "shopify"]);

export interface SendTriggerOptions {
  store: EventStore;
  dispatcher: Dispatcher;
  timeoutMs: number;
  /** The secret it was signed with: the recorded event's verification is checked with it. */
  secret: string;
  now?: () => number;
}

/**
 * Sends a triggered delivery. To a handler: the event is recorded first (via `trigger`, with the headers that are
 * not secrets), then delivered, then the attempt recorded (kind `trigger`). Through a running listen: marked with
 * its run's token, so that listen records it as triggered, forwards it as it forwards anything, and names the
 * event it recorded.
 */
export async function sendTrigger(
  provider: Provider,
  built: TriggerRequest,
  destination: TriggerDestination,
  options: SendTriggerOptions,
): Promise<TriggerOutcome> {
  const now = options.now ?? Date.now;
  const { request } = built;
  const eventType = eventTypeOf(provider, request);
  if (destination.kind === "listen") {
    const marked: HeaderPairs = [...request.headers, [TRIGGER_HEADER, destination.run.triggerToken]];
    const result = await deliver({ ...request, headers: marked }, { timeoutMs: options.timeoutMs, dispatcher: options.dispatcher, now });
    return {
      provider: provider.id,
      eventType,
      eventId: findHeader(result.responseHeaders, TRIGGERED_EVENT_HEADER) ?? null,
      via: "listen",
      url: request.url,
      notForwarded: findHeader(result.responseHeaders, NOT_FORWARDED_HEADER) ?? null,
      status: result.status,
      error: result.error,
      errorMessage: result.errorMessage,
      durationMs: round(result.durationMs),
    };
  }

  const receivedAt = now();
  const url = new URL(request.url);
  const event: CapturedEvent = {
    id: newEventId(receivedAt),
    receivedAt,
    method: request.method,
    url: url.pathname + url.search,
    headers: redactNamed(request.headers, secretHeadersOf(provider)),
    body: request.body,
    remoteAddress: null,
    via: "trigger",
    provider: provider.id,
    eventType,
    verification: toVerification(provider.verify(request, [options.secret], { now: built.signedAt, url: request.url })),
    rejected: null,
    notForwarded: null,
    bodySize: request.body.length,
    bodySha256: createHash("sha256").update(request.body).digest("hex"),
    publicUrl: null,
    target: request.url,
  };
  options.store.insertEvent(event);
  const result = await deliver(request, { timeoutMs: options.timeoutMs, dispatcher: options.dispatcher, now });
  const sent = sentRequestOf(request, event.body, secretHeadersOf(provider), [options.secret]);
  const attempt = attemptRecordOf(
    { eventId: event.id, kind: "trigger", deliveryId: newDeliveryId(), attempt: 1, target: request.url, method: request.method, request: sent },
    result,
  );
  options.store.insertAttempts([attempt]);
  return {
    provider: provider.id,
    eventType,
    eventId: event.id,
    via: "direct",
    url: request.url,
    notForwarded: null,
    status: result.status,
    error: result.error,
    errorMessage: result.errorMessage,
    durationMs: round(result.durationMs),
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
