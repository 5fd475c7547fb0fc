import type { Ora } from "ora";
import { spinnerAllowed } from "./output.js";

/** A progress line for long runs: an ora spinner on stderr, only on a terminal, only once a run lasts a moment. */
export interface Progress {
  update(text: string): void;
  stop(): void;
}

export function createProgress(options: { stream?: NodeJS.WriteStream; env?: NodeJS.ProcessEnv; delayMs?: number } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  if (!spinnerAllowed(stream, env)) return { update: () => undefined, stop: () => undefined };
  let text = "";
  let spinner: Ora | null = null;
  let stopped = false;
  // A run that ends within a moment shows no spinner at all: it would only flicker. ora is loaded then, not at
  // start-up (its dependencies cost a replay ~60 ms before the first request otherwise).
  const timer = setTimeout(() => {
    void import("ora").then(({ default: ora }) => {
      // discardStdin: false — ora's stdin discarder puts the terminal in raw mode, where Ctrl-C is a plain byte and
      // no SIGINT ever arrives.
      if (!stopped) spinner = ora({ text, stream, discardStdin: false }).start();
    });
  }, options.delayMs ?? 300);
  timer.unref();
  return {
    update(next) {
      text = next;
      if (spinner) spinner.text = next;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      spinner?.stop();
      spinner = null;
    },
  };
}
