import type { HeaderPairs } from "../core/types.js";

/** Ids for one sample: random for `check` (each run sends events the handler has never seen), fixed for fixtures. */
export interface SampleIds {
  /** An id's variable part (hex when random). */
  token(bytes?: number): string;
  /** A numeric id with this many digits. */
  number(digits: number): number;
  /** A UUID. */
  uuid(): string;
}

/**
 * A sample event's body: its JSON value, or (for providers that post forms, as Twilio, Plivo and Mandrill do) the
 * form fields as sent; and the headers its deliveries carry beside the scheme's own.
 */
export type SampleBody = { value: unknown; headers?: HeaderPairs } | { form: string; headers?: HeaderPairs };

/**
 * The provider's most common event, shaped like its real deliveries (fields from its docs, with a non-ASCII name and
 * a URL with `/` in them, as real payloads have); `check`, `trigger` and the fixtures send it, JSON written in the
 * provider's JSON shape.
 */
export type SampleEvent = (ids: SampleIds, nowMs: number) => SampleBody;

/** `2026-01-01T12:00:00.000Z`, as most providers write their times. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** `2026-01-01T12:00:00Z`: ISO 8601 without the milliseconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
