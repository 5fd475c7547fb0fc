import ora, { type Ora } from "ora";
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
  // A run that ends within a moment shows no spinner at all: it would only flicker.
  const timer = setTimeout(() => {
    // discardStdin: false — ora's stdin discarder puts the terminal in raw mode, where Ctrl-C is a plain byte and
    // no SIGINT ever arrives.
    spinner = ora({ text, stream, discardStdin: false }).start();
  }, options.delayMs ?? 300);
  timer.unref();
  return {
    update(next) {
      text = next;
      if (spinner) spinner.text = next;
    },
    stop() {
      clearTimeout(timer);
      spinner?.stop();
      spinner = null;
    },
  };
}
