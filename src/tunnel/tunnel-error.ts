/**
 * Why a tunnel could not start. `message` is one clear line, followed (when cloudflared said
 * anything) by a short tail of its output; `recentOutput` keeps the longer tail for `--verbose`
 * style views. The listen command turns it into one line and keeps capturing locally.
 * (unjs/untun keeps cloudflared's last lines in its errors the same way.)
 */
export class TunnelError extends Error {
  readonly recentOutput: string[];

  constructor(message: string, recentOutput: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TunnelError";
    this.recentOutput = recentOutput;
  }
}
