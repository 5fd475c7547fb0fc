/**
 * The JSON documents hooktape prints (`--json`, listen's NDJSON) and the inspector serves, as types only: the
 * functions in this folder are declared to return them, and the inspector's page reads them, so a field changed on
 * one side fails the other's typecheck. This file imports nothing, so that the page (no Node types) can import it.
 */

export type VerificationStatusJson = "valid" | "invalid" | "missing" | "unverified";
export type HeaderPairsJson = Array<[string, string]>;

/** Text when the bytes are valid UTF-8, else base64; `body: null` when there are none to show. */
export type BodyJson = { body: string | null; bodyBase64?: never } | { body?: never; bodyBase64: string };

/** The answer an event's latest attempt got. */
export interface DeliveryJson {
  status: number | null;
  error: string | null;
  durationMs: number;
  /** Which kind of attempt gave this answer: `forward`, `replay`, ... */
  kind: string;
}

/** An event in `events list --json`, listen's NDJSON and the inspector's list. */
export interface EventSummaryJson {
  id: string;
  receivedAt: string;
  method: string;
  url: string;
  provider: string | null;
  /** The provider's name for the event (`invoice.paid`); null when it has none. */
  eventType: string | null;
  verification: { status: VerificationStatusJson; reason: string | null };
  bodySize: number;
  bodySha256: string;
  /** How it arrived: `direct`, `tunnel`, `relay`, `import`, ... */
  via: string;
  /** Why it was refused when captured (`too_large`), else null. */
  rejected: string | null;
  forwarded: boolean;
  /** Why it was not sent on (`filtered`, `too_large`, `no_target`), null when it was. */
  notForwarded: string | null;
  delivery: DeliveryJson | null;
}

/** The request an attempt sent, exactly as it went out. */
export interface SentRequestJson {
  method: string;
  url: string;
  headers: HeaderPairsJson;
  bodySha256: string;
  /** False: the event's own body was sent; true: another, served at /api/events/<id>/deliveries/<n>/body. */
  bodyChanged: boolean;
}

export type ResponseBodyJson = { responseBody: string | null; responseBodyBase64?: never } | { responseBody?: never; responseBodyBase64: string };

export type AttemptJson = {
  kind: string;
  /** Among the event's attempts of this kind, across runs: `replay #3`. */
  number: number;
  deliveryId: string;
  /** Within its delivery: 1, then 2 for its first retry, ... */
  attempt: number;
  target: string;
  /** What it sent; null when nothing went out. */
  request: SentRequestJson | null;
  startedAt: string;
  status: number | null;
  error: string | null;
  durationMs: number;
  responseHeaders: HeaderPairsJson;
  responseSize: number;
} & ResponseBodyJson;

/** `events show --json` and the inspector's event: the summary plus headers, body and every attempt. */
export type EventDetailJson = EventSummaryJson & {
  publicUrl: string | null;
  remoteAddress: string | null;
  target: string | null;
  headers: HeaderPairsJson;
  deliveries: AttemptJson[];
} & BodyJson;

/** One attempt in `replay --json`. */
export interface ReplayAttemptJson {
  eventId: string;
  eventType: string | null;
  delivery: string;
  attempt: number;
  number: number;
  status: number | null;
  durationMs: number;
  error: string | null;
  duplicate: number;
  final: boolean;
  target: string;
  startedAt: string;
  plannedAt: string | null;
  /** Seconds from the delivery's first attempt: the schedule as planned and as it happened. */
  plannedOffsetSec: number | null;
  sentOffsetSec: number;
}

/** `replay --json`, and the inspector's answer to a replay. */
export interface ReplayJson {
  order: string;
  seed: number | null;
  events: number;
  deliveries: number;
  passed: boolean;
  interrupted: boolean;
  /** Selected events that were not sent, and why. */
  skipped: Array<{ eventId: string; reason: string }>;
  unfinished: { notSent: number; awaitingRetry: number; cutShort: number };
  attempts: ReplayAttemptJson[];
}

/** The inspector's page of events: newest first, the cursor of the next page, replay counts by event id. */
export interface EventPageJson {
  events: EventSummaryJson[];
  next: string | null;
  replays: Record<string, number>;
}

/** The run an inspector belongs to: where webhooks are captured, the public URL and tunnel, where they go. */
export interface RunStatusJson {
  captureUrl: string;
  publicUrl: string | null;
  tunnel: { state: "up" | "down" | "off" | "failed"; note: string | null };
  target: string | null;
}

/** Where an inspector is: its store, its run, stores used lately, the providers it can re-sign (never a secret). */
export interface InspectorInfoJson {
  db: string;
  run: RunStatusJson | null;
  recentStores: ReadonlyArray<{ path: string; usedAt: string }>;
  resign: string[];
}

/** Whether the inspector can re-sign an event, and the headers a replay sends on. */
export interface SigningJson {
  provider: string | null;
  canResign: boolean;
  hint: string | null;
  /** The captured headers a replay sends on (Host, Content-Length and connection headers are set for the target). */
  sentHeaders: HeaderPairsJson;
}

/** A previewed request as the handler will receive it, and the id that sends exactly this. */
export type PreviewJson = {
  previewId: string;
  method: string;
  url: string;
  /** The request line's target. */
  path: string;
  headers: HeaderPairsJson;
  resigned: boolean;
  signedAt: string | null;
} & ({ body: string; bodyBase64?: never } | { body?: never; bodyBase64: string });
