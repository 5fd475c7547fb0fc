import type { DeliveryAttempt } from "../core/types.js";
import type { DeliveryResult } from "./deliver.js";

/** Which attempt a delivery result belongs to: everything a recorded attempt holds that the answer does not. */
export type AttemptOrigin = Pick<DeliveryAttempt, "eventId" | "kind" | "deliveryId" | "attempt" | "target" | "method" | "request"> &
  Partial<Pick<DeliveryAttempt, "plannedAt">>;

/** A delivery's answer (or why there was none) as the store records it against its event. */
export function attemptRecordOf(origin: AttemptOrigin, result: DeliveryResult): DeliveryAttempt {
  return {
    ...origin,
    status: result.status,
    error: result.error,
    durationMs: result.durationMs,
    startedAt: result.startedAt,
    responseHeaders: result.responseHeaders,
    responseBody: result.responseBody,
    responseSize: result.responseSize,
  };
}
