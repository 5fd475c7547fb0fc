import type { ReplayAttempt, ReplayPlan, ReplayResult } from "../replay/index.js";
import type { ReplayJson } from "./json-types.js";

/** Attempts in plan order (then attempt number), the order a reader expects in a table or in --json. */
export function sortAttempts(plan: ReplayPlan, attempts: readonly ReplayAttempt[]): ReplayAttempt[] {
  const position = new Map(plan.deliveries.map((d) => [d.deliveryId, d.position]));
  return [...attempts].sort((a, b) => (position.get(a.deliveryId) ?? 0) - (position.get(b.deliveryId) ?? 0) || a.attempt - b.attempt);
}

/** `replay --json`: `{"attempts":[{"eventId","delivery","attempt","status","durationMs","error"}...]}`, plus what helps a script. */
export function replayJson(plan: ReplayPlan, result: ReplayResult, ok: (attempt: ReplayAttempt) => boolean): ReplayJson {
  const firstStart = new Map<string, number>();
  for (const attempt of result.attempts) if (attempt.attempt === 1) firstStart.set(attempt.deliveryId, attempt.startedAt);
  const typeOf = new Map(plan.deliveries.map((d) => [d.deliveryId, d.eventType]));
  return {
    order: plan.order,
    seed: plan.seed,
    events: plan.eventCount,
    deliveries: plan.deliveries.length,
    passed: !result.interrupted && result.finals.every(ok) && plan.skipped.length === 0,
    interrupted: result.interrupted,
    /** Selected events that were not sent, and why. */
    skipped: plan.skipped,
    unfinished: result.unfinished,
    attempts: sortAttempts(plan, result.attempts).map((a) => ({
      eventId: a.eventId,
      eventType: typeOf.get(a.deliveryId) ?? null,
      delivery: a.deliveryId,
      attempt: a.attempt,
      number: a.number,
      status: a.status,
      durationMs: round(a.durationMs),
      error: a.error,
      duplicate: a.duplicate,
      final: a.final,
      target: a.target,
      startedAt: new Date(a.startedAt).toISOString(),
      plannedAt: a.plannedAt === null ? null : new Date(a.plannedAt).toISOString(),
      /** Seconds from the delivery's first attempt: the schedule as planned and as it happened. */
      plannedOffsetSec: a.plannedAt === null ? null : round((a.plannedAt - (firstStart.get(a.deliveryId) ?? a.plannedAt)) / 1000),
      sentOffsetSec: round((a.startedAt - (firstStart.get(a.deliveryId) ?? a.startedAt)) / 1000),
    })),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
