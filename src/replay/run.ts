import { setMaxListeners } from "node:events";
import type { Dispatcher } from "undici";
import type { DeliveryAttempt } from "../core/types.js";
import { attemptRecordOf, deliver, type DeliveryResult, type OutboundRequest } from "../forward/index.js";
import type { RetryCause } from "../providers/types.js";
import type { EventStore } from "../store/index.js";
import type { PlannedDelivery, ReplayPlan } from "./plan.js";

/** One attempt as the run reports it (and as `--json` prints it). */
export interface ReplayAttempt {
  eventId: string;
  deliveryId: string;
  duplicate: number;
  attempt: number;
  /** Among its event's replay attempts, across runs (`replay #3`), in the order they are recorded. */
  number: number;
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
  /** The first bytes of the handler's answer when it was not a 2xx (what it said when it refused), else empty. */
  responseHead: Buffer;
}

/** The engine talks in events; the CLI renders them (progress, then a summary). */
export type ReplayEvent =
  | { type: "attempt"; attempt: ReplayAttempt; done: number; total: number }
  | {
      type: "retry-scheduled";
      eventId: string;
      deliveryId: string;
      attempt: number;
      plannedAt: number;
      cause: RetryCause;
      /** What the failed attempt got: its status, or its error. */
      status: number | null;
      error: string | null;
    };

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
  /**
   * Ctrl-C: nothing new is sent (waiting retries are dropped), attempts in flight may finish for `inFlightGraceMs`
   * (default 5 s) and are then cut short; what happened is recorded and the result says the run was interrupted.
   */
  signal?: AbortSignal;
  inFlightGraceMs?: number;
}

export interface ReplayResult {
  attempts: ReplayAttempt[];
  /** Deliveries that finished, in plan order, with their final attempt (all of them unless interrupted). */
  finals: ReplayAttempt[];
  /** True when the run was stopped (Ctrl-C) before every delivery finished. */
  interrupted: boolean;
  /** Deliveries that did not finish: never sent, waiting for a retry, or cut short after the grace period. */
  unfinished: { notSent: number; awaitingRetry: number; cutShort: number };
}

const DEFAULT_IN_FLIGHT_GRACE_MS = 5_000;
/** Enough of a refusal's body to show its first line; copied, so a long run does not keep whole answers. */
const RESPONSE_HEAD_BYTES = 512;
const EMPTY = Buffer.alloc(0);

/**
 * Records attempts in batches: one SQLite transaction per 250 ms or per 1,000 attempts instead of one per attempt.
 * A commit costs far more than a row, and better-sqlite3 runs on the event loop that also drives the requests, so
 * at --concurrency 32 per-attempt commits would take more time than the deliveries. Flushed before the run returns.
 */
class AttemptRecorder {
  private pending: DeliveryAttempt[] = [];
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly store: EventStore) {}
  add(attempt: DeliveryAttempt): void {
    this.pending.push(attempt);
    if (this.pending.length >= 1000) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), 250);
  }
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
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

interface Task {
  delivery: PlannedDelivery;
  attempt: number;
  /** null: the first attempt, built when a worker takes it (a re-signed one is signed at its send time). */
  request: OutboundRequest | null;
  plannedAt: number | null;
}

/**
 * Delivers a plan with `concurrency` workers that take attempts from one queue: first attempts in plan order,
 * then each retry appended when its wait (the schedule's, divided by `speed`) is over — so a retry queues behind
 * the deliveries already waiting, as in a real sender's queue, and a waiting retry holds no worker. A retry
 * happens on a non-2xx, a connection error or a timeout. Every attempt is recorded against its event (kind
 * `replay`, the delivery id grouping duplicates, the attempt number, the planned time).
 */
export async function runReplay(plan: ReplayPlan, options: RunOptions): Promise<ReplayResult> {
  return new ReplayRun(plan, options).run();
}

/** One run of a plan: its queue, its workers, its waiting retries, and what it has recorded and reported. */
class ReplayRun {
  private readonly now: () => number;
  private readonly recorder: AttemptRecorder;
  private readonly attempts: ReplayAttempt[] = [];
  private readonly finals = new Map<string, ReplayAttempt>();
  private readonly total: number;
  private readonly maxResponseBytes: number;
  /** Attempts are recorded in the order they end: numbered the same way, after the replays earlier runs recorded. */
  private readonly replaysSoFar: Map<string, number>;
  private readonly queue: Task[];
  private head = 0;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly idle: Array<() => void> = [];
  private readonly started = new Set<string>();
  private inFlight = 0;
  // Stopping: no new attempt, no waiting retry; in-flight attempts get a grace period, then are cut short.
  private stopped = false;
  private readonly cutInFlight = new AbortController();
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly plan: ReplayPlan,
    private readonly options: RunOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.recorder = new AttemptRecorder(options.store);
    this.total = plan.deliveries.length;
    this.maxResponseBytes = options.maxResponseBytes ?? 64 * 1024;
    this.replaysSoFar = options.store.countAttempts(plan.deliveries.map((d) => d.eventId), "replay");
    this.queue = plan.deliveries.map((delivery) => ({ delivery, attempt: 1, request: null, plannedAt: null }));
    // Every attempt in flight listens on it: up to --concurrency listeners, not a leak (Node warns past 10).
    setMaxListeners(0, this.cutInFlight.signal);
  }

  async run(): Promise<ReplayResult> {
    const { options } = this;
    if (options.signal?.aborted) this.stop();
    else options.signal?.addEventListener("abort", this.stop, { once: true });
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, this.total)) }, () => this.work()));
      return resultOf(this.plan, this.attempts, this.finals, this.started, this.stopped);
    } finally {
      clearTimeout(this.graceTimer);
      options.signal?.removeEventListener("abort", this.stop);
      this.recorder.flush();
    }
  }

  private readonly stop = (): void => {
    this.stopped = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.graceTimer = setTimeout(() => this.cutInFlight.abort(), this.options.inFlightGraceMs ?? DEFAULT_IN_FLIGHT_GRACE_MS);
    this.wake();
  };

  private wake(): void {
    this.idle.splice(0).forEach((resume) => resume());
  }

  /** One worker: takes the next attempt from the queue until nothing is queued, waiting or in flight. */
  private async work(): Promise<void> {
    for (;;) {
      if (this.stopped) {
        this.wake();
        return;
      }
      const task = this.queue[this.head];
      if (task !== undefined) {
        this.queue[this.head++] = undefined as unknown as Task;
        this.inFlight++;
        try {
          await this.attemptOnce(task);
        } finally {
          this.inFlight--;
        }
        continue;
      }
      if (this.retryTimers.size === 0 && this.inFlight === 0) {
        this.wake();
        return;
      }
      // Nothing to send now: wait for a retry to come due or for another worker to finish.
      await new Promise<void>((resume) => this.idle.push(resume));
    }
  }

  private async attemptOnce(task: Task): Promise<void> {
    const { options, now } = this;
    const { delivery, attempt } = task;
    const request = task.request ?? delivery.firstRequestAt(now());
    this.started.add(delivery.deliveryId);
    const result = await deliver(request, {
      timeoutMs: delivery.timeoutMs,
      dispatcher: options.dispatcher,
      maxResponseBytes: this.maxResponseBytes,
      now,
      signal: this.cutInFlight.signal,
    });
    this.recorder.add(recordedAttemptOf(task, request, result));
    const waitMs = delivery.retry.delaysMs[attempt - 1];
    const final = isSuccess(result) || waitMs === undefined || result.error === "interrupted";
    const number = (this.replaysSoFar.get(delivery.eventId) ?? 0) + 1;
    this.replaysSoFar.set(delivery.eventId, number);
    const reported = reportedAttemptOf(task, request, result, { number, final });
    this.attempts.push(reported);
    if (final) this.finals.set(delivery.deliveryId, reported);
    options.onEvent?.({ type: "attempt", attempt: reported, done: this.finals.size, total: this.total });
    if (final || this.stopped) return;
    this.scheduleRetry(task, result, waitMs as number);
  }

  /** Queues the next attempt of a failed one once its wait is over, and says when that will be. */
  private scheduleRetry(task: Task, result: DeliveryResult, waitMs: number): void {
    const { delivery, attempt } = task;
    const cause = causeOf(result);
    // The wait runs from the end of the failed attempt, as providers' schedules do.
    const due = this.now() + waitMs / this.options.speed;
    const next = attempt + 1;
    this.options.onEvent?.({
      type: "retry-scheduled",
      eventId: delivery.eventId,
      deliveryId: delivery.deliveryId,
      attempt: next,
      plannedAt: due,
      cause,
      status: result.status,
      error: result.error,
    });
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      // Built when it is due: re-signed with the time it is sent, with the provider's retry headers.
      this.queue.push({ delivery, attempt: next, request: delivery.retryRequest(next, cause, this.now()), plannedAt: due });
      this.wake();
    }, Math.max(0, due - this.now()));
    this.retryTimers.add(timer);
  }
}

/** An attempt as the store records it: against its event, kind `replay`, with what it sent and what came back. */
function recordedAttemptOf(task: Task, request: OutboundRequest, result: DeliveryResult): DeliveryAttempt {
  const { delivery, attempt, plannedAt } = task;
  const origin = { eventId: delivery.eventId, kind: "replay" as const, deliveryId: delivery.deliveryId, attempt, target: request.url, method: request.method };
  return attemptRecordOf({ ...origin, plannedAt, request: delivery.sentRequest(request) }, result);
}

/** An attempt as the run reports it; of a refusal's body only the head is kept, copied, for its first line. */
function reportedAttemptOf(task: Task, request: OutboundRequest, result: DeliveryResult, at: { number: number; final: boolean }): ReplayAttempt {
  const { delivery, attempt, plannedAt } = task;
  return {
    eventId: delivery.eventId,
    deliveryId: delivery.deliveryId,
    duplicate: delivery.duplicate,
    attempt,
    number: at.number,
    target: request.url,
    status: result.status,
    error: result.error,
    errorMessage: result.errorMessage,
    durationMs: result.durationMs,
    startedAt: result.startedAt,
    plannedAt,
    final: at.final,
    responseHead: isSuccess(result) ? EMPTY : Buffer.from(result.responseBody.subarray(0, RESPONSE_HEAD_BYTES)),
  };
}

/** The run's outcome: every attempt, each delivery's final one in plan order, and what a stop left unfinished. */
function resultOf(
  plan: ReplayPlan,
  attempts: ReplayAttempt[],
  finals: ReadonlyMap<string, ReplayAttempt>,
  started: ReadonlySet<string>,
  stopped: boolean,
): ReplayResult {
  const total = plan.deliveries.length;
  const finished = plan.deliveries.flatMap((d) => finals.get(d.deliveryId) ?? []);
  const notSent = plan.deliveries.filter((d) => !started.has(d.deliveryId)).length;
  const cutShort = finished.filter((final) => final.error === "interrupted").length;
  return {
    attempts,
    finals: finished,
    interrupted: stopped && (finished.length < total || cutShort > 0),
    unfinished: { notSent, awaitingRetry: total - finished.length - notSent, cutShort },
  };
}
