import { createHash } from "node:crypto";
import { encodeBody } from "../core/body.js";
import type { CapturedEvent, RecordedAttempt } from "../core/types.js";
import type { EventSummary } from "../store/index.js";
import type { AttemptJson, BodyJson, EventDetailJson, EventSummaryJson, ResponseBodyJson, SentRequestJson } from "./json-types.js";

// The JSON documents of events: what `events list --json`, `events show --json` and listen's NDJSON print, and
// what the inspector's API serves, so that a script gets the same shape from either.

/** The JSON shape of an event in `events list --json` and listen's NDJSON. */
export function summaryJson(event: EventSummary): EventSummaryJson {
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
      ? {
          status: event.delivery.status,
          error: event.delivery.error,
          durationMs: round(event.delivery.durationMs),
          kind: event.delivery.kind ?? "forward",
        }
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
export function detailJson(event: CapturedEvent, attempts: readonly RecordedAttempt[]): EventDetailJson {
  const latest = attempts.at(-1);
  return {
    ...summaryJson({
      ...event,
      delivery: latest ? { status: latest.status, error: latest.error, durationMs: latest.durationMs, kind: latest.kind } : null,
    }),
    publicUrl: event.publicUrl,
    remoteAddress: event.remoteAddress,
    target: event.target,
    headers: event.headers,
    ...bodyJson(event.rejected ? null : event.body),
    deliveries: attempts.map((attempt): AttemptJson => ({
      kind: attempt.kind,
      /** Among the event's attempts of this kind, across runs: `replay #3`. */
      number: attempt.number,
      deliveryId: attempt.deliveryId,
      /** Within its delivery: 1, then 2 for its first retry, ... */
      attempt: attempt.attempt,
      target: attempt.target,
      request: requestJson(event, attempt),
      startedAt: new Date(attempt.startedAt).toISOString(),
      status: attempt.status,
      error: attempt.error,
      durationMs: round(attempt.durationMs),
      responseHeaders: attempt.responseHeaders,
      responseSize: attempt.responseSize,
      ...responseBodyJson(attempt.responseBody),
    })),
  };
}

/**
 * What an attempt sent: method, URL, headers in order, and its body's SHA-256 with whether it differs from the
 * event's (the bytes are at the inspector's /api/events/<id>/deliveries/<n>/body). null when nothing went out.
 */
function requestJson(event: CapturedEvent, attempt: RecordedAttempt): SentRequestJson | null {
  const request = attempt.request;
  if (request === null) return null;
  return {
    method: attempt.method,
    url: attempt.target,
    headers: request.headers,
    bodySha256: request.body !== null ? createHash("sha256").update(request.body).digest("hex") : event.bodySha256,
    bodyChanged: request.body !== null,
  };
}

/** Text when the bytes are valid UTF-8, else base64 — the same rule as fixtures. */
export function bodyJson(body: Buffer | null): BodyJson {
  if (body === null) return { body: null };
  return encodeBody(body);
}

/** An attempt's answer body, by the same rule as the event's, under `responseBody` / `responseBodyBase64`. */
function responseBodyJson(body: Buffer | null): ResponseBodyJson {
  const json = bodyJson(body);
  return json.bodyBase64 !== undefined ? { responseBodyBase64: json.bodyBase64 } : { responseBody: json.body };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
