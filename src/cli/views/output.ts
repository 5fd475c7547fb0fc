import { createRequire } from "node:module";
import type { ChalkInstance } from "chalk";
import type { Ora } from "ora";
import { escapeJsonControls, jsonText } from "../../core/json-text.js";
import { printable } from "./printable.js";

/** Where a command writes: data on stdout, messages on stderr; colour and spinners only for a terminal. */
export interface Output {
  readonly json: boolean;
  /** stdout is a terminal (`events show --body` refuses to print binary to one). */
  readonly terminal: boolean;
  readonly color: ChalkInstance;
  /** A line of data (human view or one NDJSON record). */
  line(text: string): void;
  /** Raw bytes on stdout (`events show --body`). */
  bytes(data: Buffer): void;
  /** One JSON document on stdout. */
  document(value: unknown): void;
  /** A message for the person, on stderr (never on stdout, so --json output stays clean). */
  info(text: string): void;
  warn(text: string): void;
  /** A spinner on stderr when it is a terminal; otherwise start/stop print nothing or one line. */
  spinner(text: string): Spinner;
}

export interface Spinner {
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

export interface OutputOptions {
  json: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
}

/** NO_COLOR (https://no-color.org) and non-terminal output turn colours off; FORCE_COLOR turns them on. */
export function colorEnabled(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

/**
 * Spinners only on a terminal, not in CI, and only on a terminal that reports its width: with 0 columns (as some
 * pseudo-terminals report) ora computes an endless number of lines to clear.
 */
export function spinnerAllowed(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.CI && (stream.columns ?? 0) > 0;
}

const require = createRequire(import.meta.url);
let chalkModule: typeof import("chalk") | null = null;

/**
 * chalk at a colour level, loaded on the first coloured text (Node >= 20.19 requires an ES module synchronously):
 * loading it detects the terminal's colours through node:tty and node:os, which a `--json` run never needs.
 */
function chalkAt(level: 0 | 1): ChalkInstance {
  chalkModule ??= require("chalk") as typeof import("chalk");
  return new chalkModule.Chalk({ level });
}

export function createOutput(options: OutputOptions): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  let color: ChalkInstance | null = null;
  let stderrColor: ChalkInstance | null = null;
  const errColor = () => (stderrColor ??= chalkAt(colorEnabled(stderr, env) ? 1 : 0));
  const spinnersAllowed = spinnerAllowed(stderr, env);
  // Human text goes through printable() wherever it goes: captured bytes may hold escape sequences, and a view piped
  // into `head`, `less -R` or a log still ends up on a terminal. --json lines are JSON with every control escaped.
  const forStdout = options.json ? escapeJsonControls : (text: string) => printable(text, { keepStyles: true });
  const forStderr = (text: string) => printable(text, { keepStyles: true });
  // Lines printed in one event-loop turn leave in one write: under load `listen` prints thousands a second.
  let corked = false;
  const writeLine = (text: string) => {
    if (!corked) {
      corked = true;
      stdout.cork();
      process.nextTick(() => {
        corked = false;
        stdout.uncork();
      });
    }
    stdout.write(forStdout(text) + "\n");
  };

  return {
    json: options.json,
    terminal: stdout.isTTY === true,
    get color() {
      return (color ??= chalkAt(colorEnabled(stdout, env) ? 1 : 0));
    },
    line: writeLine,
    bytes: (data) => void stdout.write(data),
    document: (value) => void stdout.write(jsonText(value, 2) + "\n"),
    info: (text) => void stderr.write(forStderr(text) + "\n"),
    warn: (text) => void stderr.write(errColor().yellow("warning: ") + forStderr(text) + "\n"),
    spinner(text) {
      if (!spinnersAllowed) {
        return {
          succeed: (done) => void stderr.write(forStderr(done) + "\n"),
          fail: (failed) => void stderr.write(forStderr(failed) + "\n"),
          stop: () => undefined,
        };
      }
      // ora is loaded on first use, not at start-up (it is most of what `events list` would load otherwise); the
      // spinner appears once it has loaded, and a step that ends sooner prints its final line plainly.
      let spin: Ora | null = null;
      let ended = false;
      void import("ora").then(({ default: ora }) => {
        // discardStdin: false — ora's default puts the terminal in raw mode, and Ctrl-C then never arrives.
        if (!ended) spin = ora({ text: forStderr(text), stream: stderr, discardStdin: false }).start();
      });
      const end = (how: "succeed" | "fail" | "stop", final = "") => {
        ended = true;
        if (spin !== null) {
          if (how === "stop") spin.stop();
          else spin[how](forStderr(final));
        } else if (how !== "stop") {
          stderr.write(`${how === "succeed" ? errColor().green("✔") : errColor().red("✖")} ${forStderr(final)}\n`);
        }
      };
      return {
        succeed: (done) => end("succeed", done),
        fail: (failed) => end("fail", failed),
        stop: () => end("stop"),
      };
    },
  };
}
