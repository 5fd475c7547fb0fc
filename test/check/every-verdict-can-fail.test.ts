// Every check `check` makes can fail: for each one, a Stripe handler (stripe-node's constructEvent, as people
// write them) with exactly one bug must fail exactly the checks that bug breaks — and the same handler without
// the bug passes them all. The run is the real one: runCheck over real sockets, with --probe.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { checksFor, runCheck, sampleSubject, type CheckReport } from "../../src/check/index.js";
import { createDeliveryAgent } from "../../src/forward/index.js";
import { getProvider } from "../../src/providers/index.js";
import { startBuggyStripeHandler, type StripeBugs } from "../handlers/buggy-stripe-handler.js";

const SECRET = "whsec_every_verdict_can_fail";
const stripe = getProvider("stripe")!;
const agent = createDeliveryAgent(16);
afterAll(() => agent.close());

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

async function checkHandler(bugs: StripeBugs, deadlineMs = 2000): Promise<CheckReport> {
  const handler = await startBuggyStripeHandler(SECRET, bugs);
  cleanups.push(() => handler.close());
  return runCheck({
    target: new URL(handler.url),
    provider: stripe,
    secret: SECRET,
    subjects: [sampleSubject(stripe)],
    deadline: { ms: deadlineMs, origin: "flag" },
    timeoutMs: 3000,
    probeUrl: `${handler.url}/state`,
    dispatcher: agent,
  });
}

function outcomes(report: CheckReport, outcome: string): string[] {
  return report.results.filter((r) => r.outcome === outcome).map((r) => r.test);
}

const FORGERIES = ["tampered-signature", "tampered-body", "stale-timestamp", "missing-signature", "wrong-secret"];

describe("check: every verdict can fail, and only for its own bug", () => {
  it("a correct handler passes every check, the probe ones included", async () => {
    const report = await checkHandler({});
    expect(report.results.map((r) => r.test)).toEqual(checksFor(true).map((c) => c.id));
    expect(report.results.filter((r) => r.outcome !== "pass")).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it.each<[string, StripeBugs, string[], RegExp, number?]>([
    ["verifies re-serialised JSON", { reserialises: true }, ["valid", "raw-bytes"], /verifies JSON\.stringify\(req\.body\), not the raw bytes/],
    ["never verifies signatures", { skipsVerification: true }, FORGERIES, /accepted a request whose signature was tampered with/],
    ["ignores the timestamp", { ignoresTimestamp: true }, ["stale-timestamp"], /accepted a request signed 10 minutes ago — is it checking the timestamp tolerance\?/],
    ["verifies only when the header is there", { acceptsMissingSignature: true }, ["missing-signature"], /accepted a request with no signature at all/],
    ["answers 404 to forgeries", { rejectionStatus: 404 }, FORGERIES, /answered 404 "Webhook Error: .*" — that reads as "no such route", not as a rejection/],
    // The false pass of old: forgeries reused the accepted event's id, and a 409 "already seen" passed for a rejection.
    [
      "never verifies but answers 409 to a seen id",
      { skipsVerification: true, conflictOnDuplicate: true },
      [...FORGERIES, "duplicate-sequential", "duplicate-concurrent", "retry"],
      /accepted a request whose signature was tampered with — is the handler verifying signatures\? \(answered 200\)/,
    ],
    ["answers 409 to a duplicate", { conflictOnDuplicate: true }, ["duplicate-sequential", "duplicate-concurrent", "retry"], /answered 409 "already processed" to a second copy/],
    ["does not deduplicate", { noDedup: true }, ["duplicate-state", "concurrent-state", "retry-state"], /duplicates are processed again; deduplicate by the event id/],
    ["deduplicates with a race", { racyDedup: true }, ["concurrent-state"], /5 simultaneous first deliveries of a new event were processed 5 times .* the deduplication is racy/],
    ["fails on a concurrent copy", { failsOnConcurrentCopy: true, workMs: 300 }, ["duplicate-concurrent"], /answered (200|500)(, (200|500)){4} to 5 simultaneous copies of a new event — is the deduplication racy/],
    ["is slow but records the id first", { workMs: 400 }, ["deadline"], /took up to 4\d\d ms to answer; your --deadline is 150 ms, after which a sender counts the delivery as failed/, 150],
    [
      "is slow and records the id after the work",
      { workMs: 400, recordsIdAfterWork: true },
      ["concurrent-state", "retry-state", "deadline"],
      /processed twice across a timed-out attempt and its retry .* the sender gave up on attempt 1 after your --deadline of 150 ms and retried while it was still running/,
      150,
    ],
  ])("a handler that %s fails exactly those checks", async (_name, bugs, failing, reason, deadlineMs) => {
    const report = await checkHandler(bugs, deadlineMs);
    expect(outcomes(report, "fail").sort()).toEqual([...failing].sort());
    // Only a refused valid delivery makes the later checks inconclusive.
    if (!failing.includes("valid")) expect(outcomes(report, "inconclusive")).toEqual([]);
    else expect(outcomes(report, "pass")).toEqual(["deadline"]);
    expect(report.results.filter((r) => r.outcome === "fail").map((r) => r.reason).join("\n")).toMatch(reason);
    expect(report.passed).toBe(false);
  });

  it.each([
    ["published", "Stripe gives up after 150 ms and counts the delivery as failed"],
    ["assumed", "Stripe publishes no deadline; hooktape assumes 150 ms, after which a sender counts the delivery as failed"],
  ] as const)("names where a %s deadline comes from", async (origin, words) => {
    const handler = await startBuggyStripeHandler(SECRET, { workMs: 300 });
    cleanups.push(() => handler.close());
    const report = await runCheck({
      target: new URL(handler.url),
      provider: stripe,
      secret: SECRET,
      subjects: [sampleSubject(stripe)],
      deadline: { ms: 150, origin },
      timeoutMs: 3000,
      probeUrl: null,
      dispatcher: agent,
    });
    expect(report.results.find((r) => r.test === "deadline")?.reason).toContain(words);
  });

  it("a handler with the wrong secret fails the valid delivery, and every later check is inconclusive, not passed", async () => {
    const report = await checkHandler({ secret: "whsec_some_other_secret" });
    expect(outcomes(report, "fail")).toEqual(["valid"]);
    expect(outcomes(report, "pass")).toEqual(["deadline"]);
    expect(outcomes(report, "inconclusive")).toEqual(checksFor(true).map((c) => c.id).filter((id) => id !== "valid" && id !== "deadline"));
    const valid = report.results.find((r) => r.test === "valid")!;
    expect(valid.reason).toMatch(/refused a valid, freshly signed delivery with 400 "Webhook Error: No signatures found matching the expected signature for payload.*" — is it verifying with this same secret\?/);
    const forgery = report.results.find((r) => r.test === "tampered-signature")!;
    expect(forgery.reason).toBe('the valid delivery was not accepted (400), so this proves nothing — fix "accepts a valid delivery" first');
    expect(report.passed).toBe(false);
  });

  it("sends every forgery and the burst as a fresh event the handler has never seen", async () => {
    const handler = await startBuggyStripeHandler(SECRET, {});
    cleanups.push(() => handler.close());
    const subject = sampleSubject(stripe);
    await runCheck({
      target: new URL(handler.url),
      provider: stripe,
      secret: SECRET,
      subjects: [subject],
      deadline: { ms: 2000, origin: "flag" },
      timeoutMs: 3000,
      probeUrl: null,
      dispatcher: agent,
    });
    // The sample, the burst's event and the retry's event: three events processed, each once.
    expect(handler.processed).toHaveLength(3);
    expect(new Set(handler.processed).size).toBe(3);
    expect(handler.processed[0]).toBe((JSON.parse(subject.body.toString()) as { id: string }).id);
  });
});
