import type { RetryPolicy } from "./types.js";

/**
 * A schedule for senders that publish only "exponential backoff, N retries over T": `count` waits that
 * start at `firstSec`, grow by `factor` and stop growing at `capSec`. The result is our approximation,
 * and each caller says so next to the doc it cites.
 */
export function backoff(firstSec: number, factor: number, capSec: number, count: number): number[] {
  const delays: number[] = [];
  let wait = firstSec;
  for (let i = 0; i < count; i++) {
    delays.push(Math.round(Math.min(wait, capSec)));
    wait *= factor;
  }
  return delays;
}

/** A sender that does not retry on its own. */
export function noRetries(docs: string): RetryPolicy {
  return { delaysSec: [], docs };
}
