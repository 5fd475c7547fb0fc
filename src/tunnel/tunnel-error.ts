/**
 * Why a tunnel could not start. `message` is one clear line, followed (when cloudflared said
 * anything) by a short tail of its output; `recentOutput` keeps the longer tail for `--verbose`
 * style views. The listen command turns it into one line and keeps capturing locally.
 * (unjs/untun keeps cloudflared's last lines in its errors the same way.)
 */
export class TunnelError extends Error {
  readonly recentOutput: string[];
  /** The start was called off (Ctrl-C), not a failure: nothing to report. */
  readonly cancelled: boolean;

  constructor(message: string, recentOutput: string[] = [], options?: { cause?: unknown; cancelled?: boolean }) {
    super(message, options);
    this.name = "TunnelError";
    this.recentOutput = recentOutput;
    this.cancelled = options?.cancelled === true;
  }
}
