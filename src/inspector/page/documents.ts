/**
 * The JSON documents the server sends: the same as the CLI's `--json`. Fields marked "when present" arrive from
 * newer servers (the event type, what each attempt sent); the page shows them when they are there and does without.
 */
export type VerificationStatus = "valid" | "invalid" | "missing" | "unverified";
export type HeaderPairs = Array<[string, string]>;

export interface Delivery {
  status: number | null;
  error: string | null;
  durationMs: number;
  /** When present: which kind of attempt gave this answer (a replay's is marked ↻). */
  kind?: string;
}

export interface EventSummary {
  id: string;
  receivedAt: string;
  method: string;
  url: string;
  provider: string | null;
  /** When present: the provider's name for the event (`invoice.paid`), null when it has none. */
  eventType?: string | null;
  verification: { status: VerificationStatus; reason: string | null };
  bodySize: number;
  bodySha256: string;
  via: string;
  rejected: string | null;
  delivery: Delivery | null;
}

/** When present: the request an attempt sent, exactly as it went out. */
export interface SentRequest {
  method: string;
  url: string;
  headers: HeaderPairs;
  bodySha256: string;
  /** False: the event's own body was sent; true: another, served at /api/events/<id>/deliveries/<n>/body. */
  bodyChanged: boolean;
}

export interface Attempt {
  kind: string;
  /** When present: its number among the event's attempts of this kind, across runs (`replay #3`). */
  number?: number;
  deliveryId: string;
  /** Within its delivery: 1, then 2 for its first retry, ... */
  attempt: number;
  target: string;
  startedAt: string;
  status: number | null;
  error: string | null;
  durationMs: number;
  responseHeaders: HeaderPairs;
  responseSize: number;
  responseBody?: string | null;
  responseBodyBase64?: string;
  /** When present: what it sent; null when nothing went out. */
  request?: SentRequest | null;
}

export interface EventDetail extends EventSummary {
  publicUrl: string | null;
  remoteAddress: string | null;
  target: string | null;
  headers: HeaderPairs;
  body?: string | null;
  bodyBase64?: string;
  deliveries: Attempt[];
}

export interface EventPage {
  events: EventSummary[];
  next: string | null;
  replays: Record<string, number>;
}

export interface RunStatus {
  captureUrl: string;
  publicUrl: string | null;
  tunnel: { state: "up" | "down" | "off" | "failed"; note: string | null };
  target: string | null;
}

export interface InspectorInfo {
  db: string;
  run: RunStatus | null;
  recentStores: Array<{ path: string; usedAt: string }>;
  resign: string[];
}

export interface Signing {
  provider: string | null;
  canResign: boolean;
  hint: string | null;
  /** The captured headers a replay sends on (Host, Content-Length and connection headers are set for the target). */
  sentHeaders?: HeaderPairs;
}

export interface ReplayOptions {
  to?: string;
  times?: number;
  concurrency?: number;
  resign?: boolean;
  headers?: string[];
  dropHeaders?: string[];
  body?: string;
  tamper?: "signature" | "body" | "timestamp";
  stale?: string;
  preview?: string;
}

/** A request as the handler will receive it: request line, headers on the wire in order, body. */
export interface Preview {
  previewId: string;
  method: string;
  url: string;
  path: string;
  headers: HeaderPairs;
  body?: string;
  bodyBase64?: string;
  resigned: boolean;
  signedAt: string | null;
}

export interface ReplayResult {
  passed: boolean;
  attempts: Array<{ eventId: string; delivery: string; attempt: number; status: number | null; durationMs: number; error: string | null }>;
}
