import { HooktapeError, badInput } from "../../core/errors.js";
import { parseDuration, parseInteger } from "../../core/units.js";
import { runCheck, sampleSubject, toJunitXml, type CheckReport, type CheckSubject, type Deadline } from "../../check/index.js";
import { fixtureBody, fixturePath, loadFixture, requireSecrets } from "../../fixture-files/index.js";
import { createDeliveryAgent, resolveTarget } from "../../forward/index.js";
import { getProvider } from "../../providers/index.js";
import { outputFor, type GlobalFlags } from "../context.js";
import { refuseSymlinkDestination, writeOutputFile } from "../output-file.js";
import { checkJson, formatCheckResult, formatCheckTotals } from "../views/check-view.js";
import { hmacSettingsFrom, type HmacFlags } from "./hmac-flags.js";
import { createSecretBook } from "../../secrets/secret-book.js";
import { compileWasmWithBaselineOnly } from "../../core/wasm-compiler.js";

// Sends a few requests and exits: WebAssembly compiled by the baseline compiler only.
compileWasmWithBaselineOnly();

export interface CheckFlags extends GlobalFlags, HmacFlags {
  to: string;
  provider: string;
  secret?: string[];
  deadline?: string;
  timeout?: string;
  probe?: string;
  settle?: string;
  junit?: string;
  force?: boolean;
}

export async function runCheckCommand(fixtures: string[], flags: CheckFlags): Promise<void> {
  const output = outputFor(flags);
  const target = resolveTarget(flags.to, "--to");
  const providerId = flags.provider.trim().toLowerCase();
  const provider = getProvider(providerId, { hmac: hmacSettingsFrom(flags) });
  if (provider === undefined) throw badInput(`Unknown --provider "${flags.provider}"; see \`hooktape providers\``);
  const secret = requireSecrets(provider, createSecretBook({ flagValues: flags.secret ?? [], env: process.env, namedProvider: provider.id }), "sign")[0] as string;
  const deadline: Deadline =
    flags.deadline === undefined
      ? { ms: provider.deadlineMs, origin: provider.deadlinePublished === true ? "published" : "assumed" }
      : { ms: parseInteger(flags.deadline, "--deadline", 1), origin: "flag" };
  const timeoutMs = flags.timeout === undefined ? Math.max(2 * deadline.ms, 1000) : parseInteger(flags.timeout, "--timeout", 1);
  const probeUrl = flags.probe === undefined ? null : resolveTarget(flags.probe, "--probe").href;
  if (flags.junit !== undefined) refuseSymlinkDestination(flags.junit, "--junit");
  const settleMs = flags.settle === undefined ? undefined : parseDuration(flags.settle, "--settle", "a duration such as 300ms, 1s or 2s (0ms: read the probe once)");

  const subjects: CheckSubject[] = [];
  for (const file of fixtures) {
    const fixture = await loadFixture(file);
    if (fixture.provider !== null && fixture.provider !== provider.id) {
      output.warn(`${file} is a ${fixture.provider} fixture; checking it as ${provider.id} (the handler's provider)`);
    }
    subjects.push({ name: file, method: fixture.request.method, path: fixturePath(fixture), headers: fixture.request.headers, body: fixtureBody(fixture) });
  }
  if (subjects.length === 0) subjects.push(sampleSubject(provider));

  const c = output.color;
  const agent = createDeliveryAgent(16);
  let current = "";
  try {
    if (!output.json) output.line(c.bold(`hooktape check: ${provider.name} handler at ${target.href}`));
    const report = await runCheck({
      target,
      provider,
      secret,
      subjects,
      deadline,
      timeoutMs,
      probeUrl,
      ...(settleMs === undefined ? {} : { settleMs }),
      dispatcher: agent,
      onResult: (result) => {
        if (output.json) return;
        if (result.subject !== current) {
          current = result.subject;
          output.line(c.bold(result.subject) + (result.eventType === null ? "" : c.dim(`  ${result.eventType}`)));
        }
        for (const line of formatCheckResult(result, c)) output.line(line);
      },
    });
    if (report.unreachable !== null) {
      if (output.json) output.document(checkJson(report));
      throw new HooktapeError("negative", report.unreachable);
    }
    if (flags.junit !== undefined) {
      // A report: rewritten by every run, as CI reruns expect.
      writeOutputFile(flags.junit, toJunitXml(report), { report: true, flag: "--junit" });
    }
    if (output.json) output.document(checkJson(report));
    else {
      output.line("");
      output.line(formatCheckTotals(report, c));
    }
    if (!report.passed) throw new HooktapeError("negative", verdictLine(report));
  } finally {
    await agent.close();
  }
}

/** The one line a failed run ends with: how many checks failed, and how many could not be judged and why. */
function verdictLine(report: CheckReport): string {
  const failed = report.results.filter((r) => r.outcome === "fail").length;
  const inconclusive = report.results.filter((r) => r.outcome === "inconclusive").length;
  const parts: string[] = [];
  if (failed > 0) parts.push(`the handler failed ${failed} check${failed === 1 ? "" : "s"}`);
  if (inconclusive > 0) {
    parts.push(`${inconclusive} check${inconclusive === 1 ? " was" : "s were"} inconclusive because the valid delivery was not accepted — fix that first`);
  }
  return parts.join("; ");
}
