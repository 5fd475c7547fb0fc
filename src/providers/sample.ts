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

/** A sample event's JSON value, and the headers its deliveries carry beside the scheme's own. */
export interface SampleBody {
  value: unknown;
  headers?: HeaderPairs;
}

/**
 * The event a provider sends, shaped like its real deliveries (fields from its docs, with a non-ASCII name and a URL
 * with `/` in them, as real payloads have); `check` and the fixtures send it written in the provider's JSON shape.
 */
export type SampleEvent = (ids: SampleIds, nowMs: number) => SampleBody;
