import type { ChalkInstance } from "chalk";
import type { CheckReport, CheckResult } from "../../check/index.js";

/** One line per check as it completes: ✓ / ✗ / – , the title, the answers, and the reason in plain words. */
export function formatCheckResult(result: CheckResult, color: ChalkInstance): string[] {
  const mark =
    result.outcome === "pass" ? color.green("✓") : result.outcome === "fail" ? color.red("✗") : result.outcome === "inconclusive" ? color.yellow("?") : color.dim("–");
  const answers = result.statuses.length > 0 ? color.dim(`  ${result.statuses.map((s) => (s === null ? "—" : String(s))).join(" ")}`) : "";
  const timing = result.durationMs > 0 ? color.dim(`  ${Math.round(result.durationMs)} ms`) : "";
  const lines = [`  ${mark} ${result.outcome === "skip" ? color.dim(result.title) : result.title}${answers}${timing}`];
  if (result.reason) {
    const reason = result.outcome === "inconclusive" ? `inconclusive: ${result.reason}` : result.reason;
    lines.push(`      ${result.outcome === "fail" ? color.red(reason) : result.outcome === "inconclusive" ? color.yellow(reason) : color.dim(reason)}`);
  }
  return lines;
}

export function formatCheckTotals(report: CheckReport, color: ChalkInstance): string {
  const count = (outcome: CheckResult["outcome"]) => report.results.filter((r) => r.outcome === outcome).length;
  const inconclusive = count("inconclusive") > 0 ? `, ${count("inconclusive")} inconclusive` : "";
  const text = `${count("pass")} passed, ${count("fail")} failed${inconclusive}, ${count("skip")} skipped (${report.provider} handler at ${report.target})`;
  return report.passed ? color.green(`✓ ${text}`) : color.red(`✗ ${text}`);
}

export function checkJson(report: CheckReport) {
  return {
    passed: report.passed,
    provider: report.provider,
    target: report.target,
    durationMs: Math.round(report.durationMs),
    unreachable: report.unreachable,
    results: report.results.map((r) => ({
      subject: r.subject,
      eventType: r.eventType,
      test: r.test,
      title: r.title,
      outcome: r.outcome,
      passed: r.outcome === "pass" || r.outcome === "skip",
      statuses: r.statuses,
      durationMs: Math.round(r.durationMs * 10) / 10,
      reason: r.reason,
    })),
  };
}
