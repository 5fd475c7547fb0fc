import { encodeBody } from "../core/body.js";
import type { CapturedEvent, DeliveryAttempt } from "../core/types.js";
import type { EventSummary } from "../store/index.js";

// The JSON documents of events: what `events list --json`, `events show --json` and listen's NDJSON print, and
// what the inspector's API serves, so that a script gets the same shape from either.

/** The JSON shape of an event in `events list --json` and listen's NDJSON (SPEC "Events"). */
export function summaryJson(event: EventSummary) {
  return {
    id: event.id,
    receivedAt: new Date(event.receivedAt).toISOString(),
    method: event.method,
    url: event.url,
    provider: event.provider,
    eventType: event.eventType,
    verification: { status: event.verification.status, reason: event.verification.reason },
    bodySize: event.bodySize,
    bodySha256: event.bodySha256,
    via: event.via,
    rejected: event.rejected,
    ...forwardingJson(event),
    delivery: event.delivery
      ? { status: event.delivery.status, error: event.delivery.error, durationMs: round(event.delivery.durationMs) }
      : null,
  };
}

/**
 * Whether the request was sent on to a handler (its target), and if not why: `filtered` (`--only` left its type
 * out), `too_large` (rejected), `no_target` (nowhere to send it: a capture-only listen, an imported fixture).
 */
function forwardingJson(event: Pick<EventSummary, "target" | "notForwarded" | "rejected">) {
  if (event.target !== null) return { forwarded: true, notForwarded: null };
  return { forwarded: false, notForwarded: event.notForwarded ?? event.rejected ?? "no_target" };
}

/** `events show --json`: the summary plus headers, body and every delivery attempt. */
export function detailJson(event: CapturedEvent, attempts: readonly DeliveryAttempt[]) {
  const latest = attempts.at(-1);
  return {
    ...summaryJson({
      ...event,
      delivery: latest ? { status: latest.status, error: latest.error, durationMs: latest.durationMs } : null,
    }),
    publicUrl: event.publicUrl,
    remoteAddress: event.remoteAddress,
    target: event.target,
    headers: event.headers,
    ...bodyJson(event.rejected ? null : event.body),
    deliveries: attempts.map((attempt) => ({
      kind: attempt.kind,
      deliveryId: attempt.deliveryId,
      attempt: attempt.attempt,
      target: attempt.target,
      startedAt: new Date(attempt.startedAt).toISOString(),
      status: attempt.status,
      error: attempt.error,
      durationMs: round(attempt.durationMs),
      responseHeaders: attempt.responseHeaders,
      responseSize: attempt.responseSize,
      ...prefixKeys("response", bodyJson(attempt.responseBody)),
    })),
  };
}

/** Text when the bytes are valid UTF-8, else base64 — the same rule as fixtures. */
export function bodyJson(body: Buffer | null): { body: string } | { bodyBase64: string } | { body: null } {
  if (body === null) return { body: null };
  return encodeBody(body);
}

function prefixKeys(prefix: string, value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [prefix + key[0]?.toUpperCase() + key.slice(1), item]));
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
