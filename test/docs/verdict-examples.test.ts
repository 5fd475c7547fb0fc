// The examples that claim a verdict give it: against a correct handler, and against one that skips verification.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DocSession, readDocument } from "./doc-runner.js";
import { extractExamples, parseWorkflow } from "./examples.js";

// The examples run at the same time, each in a session of its own, closed when the file is done; the vitest example's
// two apps share one.
const sessions: DocSession[] = [];
afterAll(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
});

async function session(): Promise<DocSession> {
  const started = await DocSession.start();
  sessions.push(started);
  return started;
}

describe.concurrent("the examples that claim a verdict", () => {
  const testing = extractExamples(readDocument("docs/testing.md")).find((example) => example.kind === "ts" && example.code.includes('from "vitest"'));

  // Both apps in one vitest run, started by the first test that asks.
  let verdicts: Promise<Record<"correct" | "broken", string | null>> | undefined;
  const vitestVerdicts = () => (verdicts ??= session().then((docs) => docs.vitestExample(testing?.code ?? "", ["correct", "broken"])));

  it("the vitest example passes against a Stripe app that verifies with stripe-node", { timeout: 120_000 }, async () => {
    expect(testing).toBeDefined();
    expect((await vitestVerdicts()).correct).toBeNull();
  });

  it("and fails against one that skips verification, on the forged body", { timeout: 120_000 }, async () => {
    expect((await vitestVerdicts()).broken).toMatch(/expected 200 to be 400/);
  });

  const workflow = extractExamples(readDocument("docs/ci.md")).find((example) => example.kind === "yaml" && example.code.includes("--junit"));

  it("the CI workflow's check step fails the job when the handler skips verification", { timeout: 120_000 }, async () => {
    expect(workflow).toBeDefined();
    const docs = await session();
    const failure = await docs.workflow(workflow?.code ?? "", "broken");
    expect(failure).toMatch(/^step "Check the webhook handler" exited 1: /);
    expect(failure).toContain("accepted a request whose signature was tampered with");
    // The report the upload step takes is there, and says what failed.
    const report = readFileSync(path.join(docs.project, "reports/webhooks.xml"), "utf8");
    expect(report).toMatch(/<testsuites name="hooktape check" tests="\d+" failures="5"/);
    expect(report).toContain('name="rejects a tampered signature"');
  });

  it("the CI workflow's steps, as parsed, are the ones a runner would take, install marked as needing the internet", () => {
    const { steps, env } = parseWorkflow(workflow?.code ?? "");
    expect(steps.map((step) => step.uses ?? step.name)).toEqual([
      "actions/checkout@v4",
      "actions/setup-node@v4",
      "Install",
      "Start the handler",
      "Check the webhook handler",
      "Send the recorded fixtures",
      "actions/upload-artifact@v4",
    ]);
    expect(steps.find((step) => step.name === "Install")?.offline).toMatch(/npm registry/);
    expect(steps.filter((step) => step.offline !== null)).toHaveLength(1);
    expect(env.HOOKTAPE_SECRET_STRIPE).toBe("${{ secrets.STRIPE_WEBHOOK_SECRET_TEST }}");
  });
});
