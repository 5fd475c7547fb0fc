import type { Dispatcher } from "undici";
import type { DeliveryAttempt } from "../core/types.js";
import { deliver, type DeliveryResult, type OutboundRequest } from "../forward/index.js";
import type { RetryCause } from "../providers/types.js";
import type { EventStore } from "../store/index.js";
import type { PlannedDelivery, ReplayPlan } from "./plan.js";

/** One attempt as the run reports it (and as `--json` prints it). */
export interface ReplayAttempt {
  eventId: string;
  deliveryId: string;
  duplicate: number;
  attempt: number;
  target: string;
  status: number | null;
  error: string | null;
  errorMessage: string | null;
  durationMs: number;
  /** Unix ms when it was sent. */
  startedAt: number;
  /** Unix ms when the schedule meant to send it (retries); null for a first attempt. */
  plannedAt: number | null;
  /** True for the last attempt of its delivery (a 2xx, or no retries left). */
  final: boolean;
}

/** The engine talks in events; the CLI renders them (progress, then a summary). */
export type ReplayEvent =
  | { type: "attempt"; attempt: ReplayAttempt; done: number; total: number }
  | { type: "retry-scheduled"; eventId: string; deliveryId: string; attempt: number; plannedAt: number; cause: RetryCause };

export interface RunOptions {
  store: EventStore;
  dispatcher: Dispatcher;
  /** `--concurrency`: requests in flight at once. */
  concurrency: number;
  /** `--speed`: the schedule's waits are divided by it. */
  speed: number;
  onEvent?: (event: ReplayEvent) => void;
  now?: () => number;
  /** Response bytes kept per attempt in the store. */
  maxResponseBytes?: number;
}

export interface ReplayResult {
  attempts: ReplayAttempt[];
  /** Deliveries in plan order, with their final attempt. */
  finals: ReplayAttempt[];
}

/** A FIFO semaphore: deliveries start in plan order, at most `limit` requests in flight. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(limit: number) {
    this.free = limit;
  }
  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/**
 * Records attempts in batches: one SQLite transaction per tick instead of one per attempt, so that recording
 * every attempt costs little at --concurrency 32. Flushed before the run returns.
 */
class AttemptRecorder {
  private pending: DeliveryAttempt[] = [];
  private scheduled = false;
  constructor(private readonly store: EventStore) {}
  add(attempt: DeliveryAttempt): void {
    this.pending.push(attempt);
    if (this.pending.length >= 512) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.store.insertAttempts(batch);
  }
}

function isSuccess(result: DeliveryResult): boolean {
  return result.status !== null && result.status >= 200 && result.status < 300;
}

function causeOf(result: DeliveryResult): RetryCause {
  if (result.status !== null) return "http_error";
  return result.error === "timeout" ? "timeout" : "connection_failed";
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Delivers a plan: first attempts in plan order through a pool of `concurrency` slots, retries on a non-2xx, a
 * connection error or a timeout after the schedule's wait divided by `speed` (the retry queues behind the
 * deliveries already waiting, as a real sender's queue does). Every attempt is recorded against its event
 * (kind `replay`, the delivery id grouping duplicates, the attempt number, the planned time).
 */
export async function runReplay(plan: ReplayPlan, options: RunOptions): Promise<ReplayResult> {
  const now = options.now ?? Date.now;
  const slots = new Slots(Math.max(1, options.concurrency));
  const recorder = new AttemptRecorder(options.store);
  const attempts: ReplayAttempt[] = [];
  const total = plan.deliveries.length;
  let done = 0;
  const maxResponseBytes = options.maxResponseBytes ?? 64 * 1024;

  const send = async (delivery: PlannedDelivery, attempt: number, request: OutboundRequest, plannedAt: number | null) => {
    await slots.acquire();
    let result: DeliveryResult;
    try {
      result = await deliver(request, { timeoutMs: delivery.timeoutMs, dispatcher: options.dispatcher, maxResponseBytes, now });
    } finally {
      slots.release();
    }
    recorder.add({
      eventId: delivery.eventId,
      kind: "replay",
      deliveryId: delivery.deliveryId,
      attempt,
      target: request.url,
      method: request.method,
      status: result.status,
      error: result.error,
      durationMs: result.durationMs,
      startedAt: result.startedAt,
      plannedAt,
      responseHeaders: result.responseHeaders,
      responseBody: result.responseBody,
      responseSize: result.responseSize,
    });
    return result;
  };

  const runDelivery = async (delivery: PlannedDelivery): Promise<ReplayAttempt> => {
    let attempt = 1;
    let request = delivery.first;
    let plannedAt: number | null = null;
    for (;;) {
      const result = await send(delivery, attempt, request, plannedAt);
      const waitMs = delivery.retry.delaysMs[attempt - 1];
      const final = isSuccess(result) || waitMs === undefined;
      const reported: ReplayAttempt = {
        eventId: delivery.eventId,
        deliveryId: delivery.deliveryId,
        duplicate: delivery.duplicate,
        attempt,
        target: request.url,
        status: result.status,
        error: result.error,
        errorMessage: result.errorMessage,
        durationMs: result.durationMs,
        startedAt: result.startedAt,
        plannedAt,
        final,
      };
      attempts.push(reported);
      if (final) done++;
      options.onEvent?.({ type: "attempt", attempt: reported, done, total });
      if (final) return reported;
      const cause = causeOf(result);
      // The wait runs from the end of the failed attempt, as providers' schedules do.
      const scaled = (waitMs as number) / options.speed;
      plannedAt = now() + scaled;
      attempt++;
      options.onEvent?.({ type: "retry-scheduled", eventId: delivery.eventId, deliveryId: delivery.deliveryId, attempt, plannedAt, cause });
      await sleep(plannedAt - now());
      request = delivery.retryRequest(attempt, cause, now());
    }
  };

  try {
    const finals = await Promise.all(plan.deliveries.map(runDelivery));
    return { attempts, finals };
  } finally {
    recorder.flush();
  }
}
