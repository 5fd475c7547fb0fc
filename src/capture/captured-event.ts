import { createHash } from "node:crypto";
import { redactNamed } from "../core/redact.js";
import type { CapturedEvent, RawRequest, Verification, Via } from "../core/types.js";
import { TOKEN_HEADERS } from "../providers/index.js";
import type { EventSummary } from "../store/index.js";
import type { HandshakeNotice } from "./handshake-step.js";
import type { RouteChoice } from "./routing.js";

/** What the capture engine tells whoever renders it; it never prints. */
export type CaptureNotice =
  | { type: "event"; event: CapturedEventNotice; handshake?: HandshakeNotice }
  | { type: "warning"; message: string };

/** An event as `events list` shows it, with the forwarding attempt that just ended (if any). */
export type CapturedEventNotice = EventSummary;

/** What the verifier decided about a request that just arrived. */
export interface VerifyDecision {
  provider: string | null;
  /** The event type the provider's rule reads from the request (null: none). */
  eventType?: string | null;
  verification: Verification;
  secretHeaders?: readonly string[];
}

/** Where a request came from, as the event records it. */
export interface EventOrigin {
  id: string;
  via: Via;
  remoteAddress: string | null;
  /** The public URL the request arrived on (the tunnel's or the relay's), else null. */
  publicUrl: string | null;
}

/**
 * The event to record for a request: its headers as stored (a header that carries the secret itself is forwarded as
 * it came but stored redacted: every token scheme's header whatever was detected, and on the 413 path where nothing
 * is, plus any the verifier names), the body's digest, and the handler's URL for its path. `rejected`: a body over
 * --max-body, recorded without it. `route`: where listen's routing sends it (or why it does not). Used for requests
 * arriving here and for those the relay hands over.
 */
export function capturedEventOf(
  raw: RawRequest,
  decision: VerifyDecision,
  origin: EventOrigin,
  rejected: { rejected: "too_large"; size: number } | null,
  route: RouteChoice,
): CapturedEvent {
  return {
    ...raw,
    headers: redactNamed(raw.headers, secretHeaderNames(decision)),
    id: origin.id,
    remoteAddress: origin.remoteAddress,
    via: origin.via,
    provider: decision.provider,
    eventType: decision.eventType ?? null,
    verification: decision.verification,
    rejected: rejected === null ? null : rejected.rejected,
    notForwarded: rejected === null ? route.notForwarded : null,
    bodySize: rejected === null ? raw.body.length : rejected.size,
    bodySha256: rejected === null ? createHash("sha256").update(raw.body).digest("hex") : "",
    publicUrl: origin.publicUrl,
    target: rejected === null ? route.target : null,
  };
}

/**
 * The headers that carry a secret itself: forwarded as they came, stored redacted (in the event and in every
 * attempt's record of what was sent) — every token scheme's header whatever was detected, plus any the verifier names.
 */
export function secretHeaderNames(decision: VerifyDecision): readonly string[] {
  const secretHeaders = decision.secretHeaders ?? [];
  return secretHeaders.length === 0 ? TOKEN_HEADERS : [...TOKEN_HEADERS, ...secretHeaders];
}

/** The line a recorded event makes, with the delivery that just ended (if any). */
export function toNotice(event: CapturedEvent, delivery: CapturedEventNotice["delivery"]): CapturedEventNotice {
  return {
    id: event.id,
    receivedAt: event.receivedAt,
    method: event.method,
    url: event.url,
    provider: event.provider,
    eventType: event.eventType,
    verification: event.verification,
    bodySize: event.bodySize,
    bodySha256: event.bodySha256,
    via: event.via,
    rejected: event.rejected,
    target: event.target,
    notForwarded: event.notForwarded,
    delivery,
  };
}
