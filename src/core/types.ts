/** Header pairs in arrival order, duplicates kept, names as the sender wrote them. */
export type HeaderPairs = Array<[name: string, value: string]>;

/** A request exactly as it came off the socket. The body stays bytes from socket to delivery. */
export interface RawRequest {
  method: string;
  /** Path and query as the sender sent them (`/webhooks/stripe?x=1`). */
  url: string;
  headers: HeaderPairs;
  body: Buffer;
  /** Unix milliseconds. */
  receivedAt: number;
}

/** What `events list` shows: valid, invalid, missing (no signature header), unverified (no provider or no secret). */
export type VerificationStatus = "valid" | "invalid" | "missing" | "unverified";

export interface Verification {
  status: VerificationStatus;
  /** A machine reason (`no_matching_signature`, `timestamp_too_old`, ...) or null when valid. */
  reason: string | null;
  /** A hint in plain words for a person, when one helps. */
  hint?: string | null;
}

/**
 * How a request reached the store: through the tunnel, on the local URL, from a relay channel it was posted to, or
 * made and signed by `hooktape trigger` (not received from the provider).
 */
export type Via = "tunnel" | "local" | "relay" | "trigger";
export type Rejection = "too_large";
/** Why a request that came with a target was not sent on: `--only` left its event type out. */
export type NotForwarded = "filtered";
/** `handshake`: an answer hooktape gave itself to a provider's URL-verification handshake (target `hooktape`). */
export type DeliveryKind = "forward" | "replay" | "check" | "send" | "handshake" | "trigger";

export interface CapturedEvent extends RawRequest {
  id: string;
  remoteAddress: string | null;
  via: Via;
  provider: string | null;
  /** The kind of event, where the provider names it (`invoice.paid`, `pull_request.opened`); else null. */
  eventType: string | null;
  verification: Verification;
  rejected: Rejection | null;
  /** Set when listen recorded the request but did not forward it (`--only`). */
  notForwarded: NotForwarded | null;
  bodySize: number;
  bodySha256: string;
  /** The public URL the request arrived on, when it came through the tunnel (URL-signing schemes need it). */
  publicUrl: string | null;
  /** The target the event was first forwarded to, if any. */
  target: string | null;
}

/**
 * A request as hooktape handed it to the HTTP client: the headers in order after the hop-by-hop ones are dropped
 * (the client adds Host and Content-Length), with a secret's value written `[redacted]`, and the body when it is not
 * the event's own. The method and URL are the attempt's.
 */
export interface SentRequest {
  headers: HeaderPairs;
  /** null: the event's body, byte for byte (stored once, with the event). */
  body: Buffer | null;
}

export interface DeliveryAttempt {
  eventId: string;
  kind: DeliveryKind;
  /** Groups the attempts of one delivery (retries), and tells duplicates apart. */
  deliveryId: string;
  /** 1 for the first attempt of a delivery, 2 for its first retry, ... */
  attempt: number;
  target: string;
  method: string;
  /** The handler's status, or null when it gave no answer. */
  status: number | null;
  /** null, "timeout", or an error code (`ECONNREFUSED`, `UND_ERR_SOCKET`, ...). */
  error: string | null;
  durationMs: number;
  /** Unix milliseconds when the attempt started. */
  startedAt: number;
  responseHeaders: HeaderPairs;
  /** The first bytes of the response body (capped); `responseSize` is the true size. */
  responseBody: Buffer;
  responseSize: number;
  /** Unix milliseconds when the schedule meant to send it (retries). */
  plannedAt?: number | null;
  /** What was sent; null when nothing went out (hooktape answered a handshake itself) or it was not recorded. */
  request: SentRequest | null;
}

/** An attempt as the store gives it back: `number` counts its event's attempts of its kind, across runs (`replay #3`). */
export interface RecordedAttempt extends DeliveryAttempt {
  number: number;
}

/** What a replay reads of a recorded event: the request as captured, where it went, and who signed it. */
export type ReplayableEvent = Pick<
  CapturedEvent,
  "id" | "receivedAt" | "method" | "url" | "headers" | "body" | "provider" | "eventType" | "target" | "rejected" | "notForwarded"
>;
