/**
 * The one error type commands throw. `exitCode`: 1 negative result, 2 bad usage
 * or input, 3 the environment failed, 130 stopped by Ctrl-C (128 + SIGINT, as shells report it).
 * Only src/cli/main.ts turns it into output and an exit.
 */
export type ExitCode = 1 | 2 | 3 | 130;

export type ErrorCode =
  | "usage"
  | "bad_input"
  | "not_found"
  | "no_match"
  | "negative"
  | "db_unavailable"
  | "db_corrupt"
  | "unreachable"
  | "tunnel_failed"
  | "environment"
  | "interrupted";

const EXIT_BY_CODE: Record<ErrorCode, ExitCode> = {
  usage: 2,
  bad_input: 2,
  not_found: 2,
  no_match: 2,
  negative: 1,
  db_unavailable: 3,
  db_corrupt: 3,
  unreachable: 3,
  tunnel_failed: 3,
  environment: 3,
  interrupted: 130,
};

export class HooktapeError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HooktapeError";
    this.code = code;
    this.exitCode = EXIT_BY_CODE[code];
  }
}

/** Bad input from the user: exit 2 with a one-line message that says what to do. */
export function badInput(message: string): HooktapeError {
  return new HooktapeError("bad_input", message);
}

/** What went wrong, in one line: an Error's message, or anything else as text. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
