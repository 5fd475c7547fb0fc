import type { ChalkInstance } from "chalk";
import { isWrongRoute, wrongRouteHint, type UrlOrigin } from "../../core/http-status.js";
import { describeDuration } from "../../core/units.js";
import { deliveryErrorInWords } from "../../documents/words.js";

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
  /** The first line of the handler's answer when it was not the expected one ("Timestamp outside the tolerance zone"). */
  answer: string | null;
  /** When the fixture's signature is older than the provider's tolerance (and it was not re-signed). */
  stale: { ageSec: number; toleranceSec: number; providerName: string } | null;
}

/**
 * `✓ 200  fixtures/stripe.json → POST http://localhost:3000/webhooks  12 ms`, or the error in place of the status;
 * under a refusal, the handler's own first line and, for a signature past its tolerance, the fix.
 */
export function formatSendLines(result: SendResult, color: ChalkInstance, urlOrigin: UrlOrigin): string[] {
  const mark = result.ok ? color.green("✓") : color.red("✗");
  const status =
    result.status !== null
      ? (result.ok ? color.green : color.red)(String(result.status))
      : color.red(`failed (${deliveryErrorInWords(result.error)})`);
  const lines = [`${mark} ${status}  ${result.fixture} → ${result.method} ${result.url}  ${color.dim(`${Math.round(result.durationMs)} ms`)}`];
  if (result.status !== null && !result.ok) {
    if (isWrongRoute(result.status)) lines.push(`  ${color.red(wrongRouteHint(result.status, result.url, urlOrigin))}`);
    else if (result.answer !== null) lines.push(`  ${color.dim("answered")} ${result.status} ${result.answer}`);
  }
  if (result.stale !== null) {
    lines.push(
      `  ${color.yellow("hint:")} signed ${describeDuration(result.stale.ageSec * 1000)} ago, beyond ${result.stale.providerName}'s ` +
        `${describeDuration(result.stale.toleranceSec * 1000)} tolerance — add --resign (with its secret) to sign it now`,
    );
  }
  return lines;
}
