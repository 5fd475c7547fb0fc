// `check` runs to a report for every provider of the catalogue, against a correct handler of that provider
// (test/handlers/verifying-handler.ts: it verifies, deduplicates on where the provider names its events, answers at
// once), with --probe: every check passes, or is skipped with the reason in words — never failed, never left
// inconclusive, never stopped by an error. The hundred runs go through runCheck in this process (a hundred CLI
// start-ups would cost minutes on a shared machine); the built CLI runs the senders whose run used to stop before its
// report (Basic credentials, Wix's token body) and one of each other kind, and must exit 0. The test-only secrets are
// the shipped fixtures' (fixtures/README.md).
import { afterAll, describe, expect, it } from "vitest";
import { runCheck, sampleSubject, type CheckReport } from "../../src/check/index.js";
import { createDeliveryAgent } from "../../src/forward/index.js";
import { providers } from "../../src/providers/index.js";
import type { Provider } from "../../src/providers/types.js";
import { shippedSecrets } from "../fixtures/shipped-secrets.js";
import { startVerifyingHandler } from "../handlers/verifying-handler.js";
import { runProgram } from "../helpers/program.js";

const secrets = shippedSecrets();
const agent = createDeliveryAgent(32);
afterAll(() => agent.close());

/** The checks a report did not pass, with their reasons, and what the handler refused (for a failure's message). */
interface Outcome {
  notPassed: Array<[string, string, string | null]>;
  processed: number;
  refusals: string[];
}

async function checkProvider(provider: Provider): Promise<Outcome> {
  const secret = secrets.get(provider.id)!;
  const handler = await startVerifyingHandler(provider, secret.verify ?? secret.sign);
  try {
    const report: CheckReport = await runCheck({
      target: new URL(handler.url),
      provider,
      secret: secret.sign,
      subjects: [sampleSubject(provider)],
      deadline: { ms: provider.deadlineMs, origin: provider.deadlinePublished === true ? "published" : "assumed" },
      timeoutMs: Math.max(2 * provider.deadlineMs, 1000),
      probeUrl: `${handler.url}/__state`,
      // The handler does its work before it answers: the first reading after an answer is settled (--settle 0).
      settleMs: 0,
      dispatcher: agent,
    });
    expect(report.unreachable).toBeNull();
    return { notPassed: report.results.filter((r) => r.outcome !== "pass").map((r) => [r.test, r.outcome, r.reason]), processed: handler.processed, refusals: handler.refusals };
  } finally {
    await handler.close();
  }
}

// The runs mostly wait (on the handler, on the probe settling): several at once, each test awaiting its own.
const AT_ONCE = 8;
let running = 0;
const waiting: Array<() => void> = [];
const outcomes = new Map(
  providers.map((provider) => [
    provider.id,
    (async () => {
      while (running >= AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
      running++;
      try {
        return await checkProvider(provider);
      } finally {
        running--;
        waiting.shift()?.();
      }
    })(),
  ]),
);
afterAll(() => Promise.allSettled(outcomes.values()));

describe("check runs to a report for every provider, and a correct handler passes it", () => {
  it.each(providers.map((p) => p.id))("%s", async (id) => {
    const outcome = await outcomes.get(id)!;
    expect(outcome.notPassed.filter(([, result]) => result !== "skip"), `the handler refused: ${outcome.refusals.join("; ")}`).toEqual([]);
    for (const [test, , reason] of outcome.notPassed) expect(reason, `${test} is skipped with a reason`).toMatch(/\w{4,}/);
    // The valid delivery's event and the fresh ones (the burst's, the retry's, the rotation's where there is one).
    expect(outcome.processed).toBeGreaterThanOrEqual(3);
  }, 300_000);
});

describe("the built CLI exits 0 for them, as a user runs it", () => {
  // Basic credentials (the wrong-secret forgery used to stop these with exit 2), Wix's token body, and one of each
  // other kind of scheme: Ed25519, ECDSA, a certificate, a JWT in a header, a raw token.
  // The handler does its work before it answers: --settle 0ms reads the probe once after each answer.
  it.each(["postmark", "chargebee", "pipedrive", "wix", "discord", "sendgrid", "paypal", "vonage", "gitlab"])("%s", async (id) => {
    const provider = providers.find((p) => p.id === id)!;
    const secret = secrets.get(id)!;
    const handler = await startVerifyingHandler(provider, secret.verify ?? secret.sign);
    try {
      const run = await runProgram(["check", "--to", handler.url, "--provider", id, "--probe", `${handler.url}/__state`, "--settle", "0ms"], {
        env: { [`HOOKTAPE_SECRET_${id.toUpperCase().replace(/-/g, "_")}`]: secret.sign },
      });
      expect(run.stdout).toMatch(/\n✓ \d+ passed, 0 failed, \d+ skipped \(/);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    } finally {
      await handler.close();
    }
  }, 60_000);
});
