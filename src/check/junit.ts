import type { CheckReport } from "./run-check.js";

function escapeXml(text: string): string {
  // Characters XML 1.0 does not allow at all are dropped; the five special ones are escaped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "").replace(/[<>&"']/g, (c) =>
    c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : c === '"' ? "&quot;" : "&apos;",
  );
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/**
 * JUnit XML as CI systems read it (the de-facto schema of Ant/Surefire, https://github.com/testmoapp/junitxml):
 * one <testsuite> per fixture, one <testcase> per check, <failure message=...>, <skipped message=...>, and <error type="inconclusive"> for a check
 * that could not be judged.
 */
export function toJunitXml(report: CheckReport): string {
  const suites = new Map<string, CheckReport["results"]>();
  for (const result of report.results) suites.set(result.subject, [...(suites.get(result.subject) ?? []), result]);
  const count = (outcome: string) => report.results.filter((r) => r.outcome === outcome).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="hooktape check" tests="${report.results.length}" failures="${count("fail")}" skipped="${count("skip")}" errors="${count("inconclusive")}" time="${seconds(report.durationMs)}">`,
  ];
  for (const [subject, results] of suites) {
    const failures = results.filter((r) => r.outcome === "fail").length;
    const skipped = results.filter((r) => r.outcome === "skip").length;
    const inconclusive = results.filter((r) => r.outcome === "inconclusive").length;
    const time = results.reduce((sum, r) => sum + r.durationMs, 0);
    lines.push(
      `  <testsuite name="${escapeXml(subject)}" tests="${results.length}" failures="${failures}" skipped="${skipped}" errors="${inconclusive}" time="${seconds(time)}">`,
    );
    for (const r of results) {
      const open = `    <testcase classname="${escapeXml(`hooktape.check.${report.provider}`)}" name="${escapeXml(r.title)}" time="${seconds(r.durationMs)}"`;
      if (r.outcome === "pass") lines.push(`${open}/>`);
      else if (r.outcome === "skip") lines.push(`${open}>`, `      <skipped message="${escapeXml(r.reason ?? "")}"/>`, "    </testcase>");
      else if (r.outcome === "inconclusive") {
        // Not a failure of the handler's behaviour but a check that could not be made: JUnit's <error>.
        lines.push(`${open}>`, `      <error message="${escapeXml(r.reason ?? "inconclusive")}" type="inconclusive">${escapeXml(r.reason ?? "")}</error>`, "    </testcase>");
      }
      else {
        const statuses = r.statuses.map((s) => (s === null ? "no answer" : String(s))).join(", ");
        lines.push(
          `${open}>`,
          `      <failure message="${escapeXml(r.reason ?? "failed")}" type="${escapeXml(r.test)}">${escapeXml(
            `${r.reason ?? "failed"}\nhandler: ${report.target}${statuses ? `\nanswers: ${statuses}` : ""}`,
          )}</failure>`,
          "    </testcase>",
        );
      }
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return lines.join("\n") + "\n";
}
