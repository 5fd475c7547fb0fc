import { HooktapeError } from "../core/errors.js";

/**
 * The rule every long-running command follows on Ctrl-C (SIGINT) or SIGTERM: the first one aborts `signal` —
 * the command stops scheduling, lets requests in flight finish (bounded), records what happened, prints a partial
 * summary and ends with exit 130 (`interrupted()`); a second one exits at once with 130.
 */
export interface InterruptWatch {
  /** Aborted on the first Ctrl-C or SIGTERM. */
  readonly signal: AbortSignal;
  /** Resolves on the first Ctrl-C or SIGTERM (never rejects). */
  readonly stopped: Promise<void>;
  /** Removes the handlers (the command is over). */
  dispose(): void;
}

export function watchInterrupts(options: { onFirst?: () => void; onSecond?: () => void } = {}): InterruptWatch {
  const controller = new AbortController();
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const onSignal = () => {
    if (controller.signal.aborted) {
      options.onSecond?.();
      process.exit(130);
    }
    controller.abort();
    resolveStopped();
    options.onFirst?.();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    stopped,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/** The error a command throws after its partial summary: exit 130, with what was and was not done. */
export function interrupted(what: string): HooktapeError {
  return new HooktapeError("interrupted", `stopped by Ctrl-C: ${what}`);
}
