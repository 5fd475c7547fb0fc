import type { ChalkInstance } from "chalk";

export interface SendResult {
  fixture: string;
  provider: string | null;
  method: string;
  url: string;
  resigned: boolean;
  status: number | null;
  error: string | null;
  errorMessage: string | null;
  durationMs: number;
  ok: boolean;
}

/** `✓ 200  fixtures/stripe.json → POST http://localhost:3000/webhooks  12 ms`, or the error in place of the status. */
export function formatSendLine(result: SendResult, color: ChalkInstance): string {
  const mark = result.ok ? color.green("✓") : color.red("✗");
  const status =
    result.status !== null
      ? (result.ok ? color.green : color.red)(String(result.status))
      : color.red(`failed (${result.errorMessage ?? result.error ?? "no answer"})`);
  return `${mark} ${status}  ${result.fixture} → ${result.method} ${result.url}  ${color.dim(`${Math.round(result.durationMs)} ms`)}`;
}
