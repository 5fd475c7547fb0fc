import type { ChalkInstance } from "chalk";
import { isWrongRoute, wrongRouteHint, type UrlOrigin } from "../../core/http-status.js";
import { describeDuration } from "../../core/units.js";
import { staleSignature } from "../../providers/signature-age.js";
import { REPLAY_MARK } from "./event-view.js";
import { renderTable } from "./table.js";
import { deliveryErrorInWords } from "../../documents/words.js";
import { firstLineOf } from "./first-line.js";
import type { ReplayAttempt, ReplayPlan, ReplayResult } from "../../replay/index.js";
import { sortAttempts } from "../../documents/replay-json.js";

export { replayJson, sortAttempts } from "../../documents/replay-json.js";

/** Duplicates of one event whose final answers differ: a handler answering 200 then 500 to one event is suspicious. */
export function inconsistentDuplicates(result: ReplayResult): Array<{ eventId: string; answers: Map<string, number> }> {
  const byEvent = new Map<string, Map<string, number>>();
  for (const final of result.finals) {
    const answers = byEvent.get(final.eventId) ?? new Map<string, number>();
    const key = answerOf(final);
    answers.set(key, (answers.get(key) ?? 0) + 1);
    byEvent.set(final.eventId, answers);
  }
  return [...byEvent].filter(([, answers]) => answers.size > 1).map(([eventId, answers]) => ({ eventId, answers }));
}

/** The status, or the error in a few words ("connection refused"), for counts and comparisons. */
function answerOf(attempt: Pick<ReplayAttempt, "status" | "error">): string {
  return attempt.status !== null ? String(attempt.status) : (deliveryErrorInWords(attempt.error).split(" — ")[0] ?? "failed");
}

const MAX_ROWS = 200;

/** The summary table: per event, per delivery, per attempt — status, duration, planned and actual time, error. */
export function formatReplaySummary(
  plan: ReplayPlan,
  result: ReplayResult,
  color: ChalkInstance,
  ok: (attempt: ReplayAttempt) => boolean,
  urlOrigin: UrlOrigin,
): string[] {
  const rows = sortAttempts(plan, result.attempts);
  const suspicious = new Set(inconsistentDuplicates(result).map((d) => d.eventId));
  const hasRetries = rows.some((r) => r.attempt > 1);
  const firstStart = new Map<string, number>();
  for (const row of rows) if (row.attempt === 1) firstStart.set(row.deliveryId, row.startedAt);
  const deliveryNumber = new Map<string, number>();
  const times = Math.max(...plan.deliveries.map((d) => d.duplicate));
  const typeOf = new Map(plan.deliveries.map((d) => [d.deliveryId, d.eventType]));
  const hasTypes = plan.deliveries.some((d) => d.eventType !== null);

  const header = ["EVENT", ...(hasTypes ? ["TYPE"] : []), "REPLAY", "DELIVERY", ...(hasRetries ? ["ATTEMPT"] : []), "STATUS", "DURATION", ...(hasRetries ? ["PLANNED", "SENT"] : []), "DETAIL"];
  const table: string[][] = [];
  const shown = rows.length > MAX_ROWS ? rows.filter((r) => !ok(r) || !r.final || suspicious.has(r.eventId)).slice(0, MAX_ROWS) : rows;
  for (const row of shown) {
    if (!deliveryNumber.has(row.deliveryId)) deliveryNumber.set(row.deliveryId, row.duplicate);
    const start = firstStart.get(row.deliveryId) ?? row.startedAt;
    const status = row.status === null ? color.red(row.error === "timeout" ? "timeout" : row.error === "interrupted" ? "cut short" : "failed") : colorStatus(row.status, color, ok(row));
    table.push([
      suspicious.has(row.eventId) ? color.yellow(row.eventId) : row.eventId,
      ...(hasTypes ? [typeOf.get(row.deliveryId) ?? ""] : []),
      `${REPLAY_MARK} #${row.number}`,
      times > 1 ? `${row.duplicate}/${times}` : "1",
      ...(hasRetries ? [String(row.attempt)] : []),
      status,
      `${Math.round(row.durationMs)} ms`,
      ...(hasRetries ? [row.plannedAt === null ? "+0s" : `+${formatSeconds(row.plannedAt - start)}`, `+${formatSeconds(row.startedAt - start)}`] : []),
      detailOf(row, ok(row)),
    ]);
  }
  const lines = renderTable(header, table, { color });
  if (shown.length < rows.length) {
    lines.push(color.dim(`(${rows.length - shown.length} more attempts that ended in the expected answer; --json lists every one)`));
  }
  lines.push("");
  lines.push(totalsLine(plan, result, color, ok));
  const wrongRoutes = new Map<string, number>();
  for (const final of result.finals) {
    if (final.status !== null && isWrongRoute(final.status) && !ok(final)) wrongRoutes.set(final.target, final.status);
  }
  for (const [url, status] of wrongRoutes) lines.push(color.red(`✗ ${wrongRouteHint(status, url, urlOrigin)}`));
  for (const { eventId, answers } of inconsistentDuplicates(result)) {
    const listed = [...answers].map(([answer, count]) => `${answer} ×${count}`).join(", ");
    lines.push(
      color.yellow(`! ${eventId}: duplicates were answered differently (${listed}) — a handler should answer every copy of an event alike; is it idempotent?`),
    );
  }
  return lines;
}

function totalsLine(plan: ReplayPlan, result: ReplayResult, color: ChalkInstance, ok: (attempt: ReplayAttempt) => boolean): string {
  const counts = new Map<string, number>();
  for (const final of result.finals) counts.set(answerOf(final), (counts.get(answerOf(final)) ?? 0) + 1);
  const answers = [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([answer, count]) => `${count} × ${answer}`).join(", ");
  const failed = result.finals.filter((f) => !ok(f)).length;
  const durations = result.attempts.map((a) => a.durationMs).sort((a, b) => a - b);
  const p50 = durations[Math.floor(durations.length / 2)] ?? 0;
  const finished = result.interrupted ? `${result.finals.length} of ` : "";
  const text =
    `${finished}${plan.deliveries.length} deliver${plan.deliveries.length === 1 ? "y" : "ies"} of ${plan.eventCount} event${plan.eventCount === 1 ? "" : "s"}` +
    ` in ${result.attempts.length} attempt${result.attempts.length === 1 ? "" : "s"}: ${answers || "none finished"}; median ${Math.round(p50)} ms`;
  if (result.interrupted) {
    const { notSent, awaitingRetry, cutShort } = result.unfinished;
    const left = [
      cutShort > 0 ? `${cutShort} cut short` : "",
      notSent > 0 ? `${notSent} not sent` : "",
      awaitingRetry > 0 ? `${awaitingRetry} waiting for a retry` : "",
    ]
      .filter(Boolean)
      .join(", ");
    return color.yellow(`■ Stopped: ${text}${left ? ` — ${left}` : ""}${failed > 0 ? `; ${failed} did not end as expected` : ""}`);
  }
  return failed === 0 ? color.green(`✓ ${text}`) : color.red(`✗ ${text} — ${failed} did not end as expected`);
}

/** What a person needs beside the status: the error in words, or what the handler said when it refused. */
function detailOf(row: ReplayAttempt, expected: boolean): string {
  if (row.status === null) return deliveryErrorInWords(row.error);
  if (expected && row.status < 300) return "";
  return firstLineOf(row.responseHead) ?? "";
}

function colorStatus(status: number, color: ChalkInstance, expected: boolean): string {
  const text = String(status);
  if (!expected) return color.red(text);
  return status < 300 ? color.green(text) : color.yellow(text);
}

function formatSeconds(ms: number): string {
  const sec = ms / 1000;
  return sec < 10 ? `${sec.toFixed(2)}s` : sec < 600 ? `${sec.toFixed(1)}s` : `${Math.round(sec)}s`;
}

/**
 * For deliveries sent with their captured signature that did not end as expected: the fix when that signature is
 * older than the provider's tolerance ("signed 334 days ago, beyond Stripe's 5 minutes tolerance — add --resign").
 */
export function staleSignatureHints(plan: ReplayPlan, result: ReplayResult, ok: (attempt: ReplayAttempt) => boolean, nowSec: number): string[] {
  const failed = new Set(result.finals.filter((final) => !ok(final)).map((final) => final.deliveryId));
  const hints = new Map<string, string>();
  for (const delivery of plan.deliveries) {
    if (!failed.has(delivery.deliveryId) || delivery.resigned || hints.has(delivery.eventId)) continue;
    const stale = staleSignature(delivery.provider, delivery.first, nowSec);
    if (stale === null || delivery.provider === null) continue;
    hints.set(
      delivery.eventId,
      `${delivery.eventId}: signed ${describeDuration(stale.ageSec * 1000)} ago, beyond ${delivery.provider.name}'s ` +
        `${describeDuration(stale.toleranceSec * 1000)} tolerance — add --resign (with its secret) to sign it now`,
    );
  }
  return [...hints.values()];
}
