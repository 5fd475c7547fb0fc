// Every check `check` makes can fail: for each one, a handler written as people write them (stripe-node's
// constructEvent; the standardwebhooks library; @adyen/api-library's HmacValidator) with exactly one bug must fail
// exactly the checks that bug breaks — and the same handler without the bug passes them all. The run is the real one:
// runCheck over real sockets, with --probe. The last test holds the list to every check there is.
//
// The cases run at the same time (most of a check is waiting on its handler), each with a handler, a port and a
// probe of its own; the handlers close when the file is done.
import { afterAll, describe, expect, it } from "vitest";
import { checksFor, runCheck, sampleSubject, type CheckReport } from "../../src/check/index.js";
import { createDeliveryAgent } from "../../src/forward/index.js";
import { getProvider } from "../../src/providers/index.js";
import { startAdyenHandler, type AdyenHandlerOptions } from "../handlers/adyen-handler.js";
import { startBuggyStripeHandler, type StripeBugs } from "../handlers/buggy-stripe-handler.js";
import { startStandardWebhooksHandler } from "../handlers/standard-webhooks-handler.js";

const SECRET = "whsec_every_verdict_can_fail";
const stripe = getProvider("stripe")!;
const agent = createDeliveryAgent(16);
const handlers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(handlers.map((handler) => handler.close()));
  await agent.close();
});

function kept<T extends { close(): Promise<void> }>(handler: T): T {
  handlers.push(handler);
  return handler;
}

interface Timing {
  deadlineMs?: number;
  /** How long the probe must read the same (--settle); the default, 300 ms, when absent. */
  settleMs?: number;
}

/**
 * A handler that does all its work before it answers, and answers within the deadline, shows its settled state in the
 * first reading after the answer: --settle 0 reads the probe once. Where the work outlives the answer (acknowledged
 * first, or the sender gave up at a deadline shorter than the work), the settling is part of what is tested, and
 * those cases keep a settle.
 */
const SETTLED_ON_ANSWER: Timing = { settleMs: 0 };

async function checkHandler(bugs: StripeBugs, timing: Timing = {}): Promise<CheckReport> {
  const handler = kept(await startBuggyStripeHandler(SECRET, bugs));
  return checkAt(handler.url, "stripe", SECRET, timing);
}

async function checkAt(url: string, providerId: string, secret: string, { deadlineMs = 2000, settleMs }: Timing = {}): Promise<CheckReport> {
  const provider = getProvider(providerId)!;
  return runCheck({
    target: new URL(url),
    provider,
    secret,
    subjects: [sampleSubject(provider)],
    deadline: { ms: deadlineMs, origin: "flag" },
    timeoutMs: 3000,
    probeUrl: `${url}/state`,
    ...(settleMs === undefined ? {} : { settleMs }),
    dispatcher: agent,
  });
}

/** Every check some handler of this file failed: the last test holds it to the list of checks. */
const failedSomewhere = new Set<string>();

function outcomes(report: CheckReport, outcome: string): string[] {
  const tests = report.results.filter((r) => r.outcome === outcome).map((r) => r.test);
  if (outcome === "fail") for (const test of tests) failedSomewhere.add(test);
  return tests;
}

function reasons(report: CheckReport): string {
  return report.results.filter((r) => r.outcome === "fail").map((r) => `${r.test}: ${r.reason}`).join("\n");
}

const FORGERIES = ["tampered-signature", "tampered-body", "stale-timestamp", "missing-signature", "wrong-secret"];

function expectToFailExactly(report: CheckReport, failing: string[], reason: RegExp): void {
  expect(outcomes(report, "fail").sort()).toEqual([...failing].sort());
  // Only a refused valid delivery makes the later checks inconclusive.
  if (!failing.includes("valid")) expect(outcomes(report, "inconclusive")).toEqual([]);
  else expect(outcomes(report, "pass")).toEqual(["deadline"]);
  expect(reasons(report)).toMatch(reason);
  expect(report.passed).toBe(false);
}

describe.concurrent("check: every verdict can fail, and only for its own bug", () => {
  it("a correct handler passes every check, the probe ones included", async () => {
    const report = await checkHandler({}, SETTLED_ON_ANSWER);
    expect(report.results.map((r) => r.test)).toEqual(checksFor(true).map((c) => c.id));
    // Stripe signs a delivery as a whole: only the batch forgery (Adyen's) does not apply.
    expect(report.results.filter((r) => r.outcome !== "pass").map((r) => [r.test, r.outcome])).toEqual([["forged-later-item", "skip"]]);
    expect(report.passed).toBe(true);
  });

  it.each<[string, StripeBugs, string[], RegExp]>([
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
      /accepted a request whose signature was tampered with — is the handler verifying signatures\? \(answered 200 and processed it: probe/,
    ],
    ["answers 409 to a duplicate", { conflictOnDuplicate: true }, ["duplicate-sequential", "duplicate-concurrent", "retry"], /answered 409 "already processed" to a second copy/],
    ["does not deduplicate", { noDedup: true }, ["duplicate-state", "concurrent-state", "retry-state"], /duplicates are processed again; deduplicate by the event id/],
    ["deduplicates with a race", { racyDedup: true }, ["concurrent-state"], /5 simultaneous first deliveries of a new event were processed [2-5] times .* the deduplication is racy/],
    ["fails on a concurrent copy", { failsOnConcurrentCopy: true, workMs: 300 }, ["duplicate-concurrent"], /answered (200|500)(, (200|500)){4} to 5 simultaneous copies of a new event — is the deduplication racy/],
    // The false pass of old: the repeat, the burst's copies and the retry were signed within one second, byte for byte
    // the same, so a handler keyed on Stripe-Signature looked idempotent. Each attempt is now signed when it is sent.
    [
      "deduplicates on the signature header",
      { dedupOnSignature: true },
      ["duplicate-state", "signature-dedup", "concurrent-state", "retry-state"],
      /^signature-dedup: it deduplicates on the signature header; senders re-sign every attempt — key on the event id \(body id\): an exact copy of the first delivery was skipped/m,
    ],
    // A new event about the same payment is dropped as a duplicate: said so, not called a race.
    [
      "deduplicates on the object, not the event",
      { dedupOnObjectId: true },
      ["concurrent-state", "retry-state"],
      /^concurrent-state: 5 simultaneous first deliveries of a new event left the probe unchanged \(probe .*\): the new event was never processed — did the handler take it for a duplicate\? \(every new event hooktape sends carries a new body id\)$/m,
    ],
    [
      "verifies only the first v1= signature",
      { firstSignatureOnly: true },
      ["rotation"],
      /^rotation: refused \(400 "Webhook Error: No signatures found matching the expected signature for payload.*"\) a delivery signed during a secret rotation: its stripe-signature holds a signature under the old secret first/m,
    ],
  ])("a handler that %s fails exactly those checks", async (_name, bugs, failing, reason) => {
    expectToFailExactly(await checkHandler(bugs, SETTLED_ON_ANSWER), failing, reason);
  });

  it.each([
    ["published", "Stripe gives up after 150 ms and counts the delivery as failed"],
    ["assumed", "Stripe publishes no deadline; hooktape assumes 150 ms, after which a sender counts the delivery as failed"],
  ] as const)("names where a %s deadline comes from", async (origin, words) => {
    const handler = kept(await startBuggyStripeHandler(SECRET, { workMs: 300 }));
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
    const report = await checkHandler({ secret: "whsec_some_other_secret" }, SETTLED_ON_ANSWER);
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
    const handler = kept(await startBuggyStripeHandler(SECRET, {}));
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
    // The sample, the burst's event, the rotation's and the retry's: four events processed, each once.
    expect(handler.processed).toHaveLength(4);
    expect(new Set(handler.processed).size).toBe(4);
    expect(handler.processed[0]).toBe((JSON.parse(subject.body.toString()) as { id: string }).id);
  });
});

describe.concurrent("check: handlers with a bug of their own provider, and their correct twins", () => {
  const SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const ADYEN_KEY = Buffer.from("hooktape every verdict adyen key").toString("hex").toUpperCase();

  it("standardwebhooks: handing the library only the first webhook-signature entry fails the rotation check alone; the whole header passes", async () => {
    const buggy = kept(await startStandardWebhooksHandler(SW_SECRET, { firstSignatureOnly: true }));
    const correct = kept(await startStandardWebhooksHandler(SW_SECRET));
    const [bad, good] = await Promise.all([
      checkAt(buggy.url, "standard-webhooks", SW_SECRET, SETTLED_ON_ANSWER),
      checkAt(correct.url, "standard-webhooks", SW_SECRET, SETTLED_ON_ANSWER),
    ]);
    expect(outcomes(bad, "fail")).toEqual(["rotation"]);
    expect(reasons(bad)).toMatch(/a delivery signed during a secret rotation: its webhook-signature holds a signature under the old secret first and one under yours after/);
    expect(outcomes(good, "fail")).toEqual([]);
    expect(outcomes(good, "inconclusive")).toEqual([]);
    expect(good.passed).toBe(true);
  });

  it.each<[string, AdyenHandlerOptions, string[], RegExp | null]>([
    // The SDK README's snippet validates notificationItems[0]; the forged second item of a batch goes through.
    ["validates only the first item", { firstItemOnly: true, onForgery: "reject" }, ["forged-later-item"], /accepted a batch whose second item was changed after signing — is it verifying only the first item\?/],
    ["validates every item", { onForgery: "reject" }, [], null],
    // Adyen's documented pattern: acknowledge every notification, drop the ones that do not verify. Not a failure.
    ["acknowledges forgeries and drops them", { onForgery: "acknowledge" }, [], null],
    ["acknowledges forgeries and processes them", { onForgery: "process" }, ["tampered-signature", "tampered-body", "missing-signature", "wrong-secret", "forged-later-item"], /accepted a request whose signature was tampered with — is the handler verifying signatures\? \(answered 200 and processed it/],
  ])("adyen: a handler that %s fails exactly those checks", async (_name, options, failing, reason) => {
    const handler = kept(await startAdyenHandler(ADYEN_KEY, options));
    const report = await checkAt(handler.url, "adyen", ADYEN_KEY, SETTLED_ON_ANSWER);
    expect(outcomes(report, "fail").sort()).toEqual([...failing].sort());
    expect(outcomes(report, "inconclusive")).toEqual([]);
    if (reason !== null) expect(reasons(report)).toMatch(reason);
    expect(report.passed).toBe(failing.length === 0);
    if (options.onForgery === "acknowledge") {
      // Each forgery answered 200 and changed nothing: a pass, with the note that a 4xx is the better answer.
      const notes = report.results.filter((r) => ["tampered-signature", "tampered-body", "missing-signature", "wrong-secret", "forged-later-item"].includes(r.test));
      expect(notes.map((r) => [r.outcome, r.statuses])).toEqual(Array.from({ length: 5 }, () => ["pass", [200]]));
      for (const r of notes) {
        expect(r.reason).toBe("answered 200 but did not process it (the probe is unchanged); senders will not retry it — a 4xx tells you sooner when a secret is wrong");
      }
    }
  });

  // Acknowledge first, work in the background (what every provider recommends): the probe is read until it settles.
  it("a handler that answers 202 and does the work up to 1 s later passes 20 runs in a row", async () => {
    const reports = await Promise.all(Array.from({ length: 20 }, () => checkHandler({ backgroundWorkMs: 1000 })));
    for (const report of reports) {
      expect(reasons(report)).toBe("");
      expect(outcomes(report, "inconclusive")).toEqual([]);
      // Judged, not skipped: the probe showed the work of each new event (read too early, it showed none, and the
      // state checks could not count).
      expect(outcomes(report, "skip")).toEqual(["forged-later-item"]);
    }
  }, 120_000);

  it("the same handler recording the id only when the work is done processes copies twice, and fails for it (--settle covering the work)", async () => {
    const reports = await Promise.all([
      checkHandler({ backgroundWorkMs: 1000, recordsIdAfterWork: true }, { settleMs: 1000 }),
      checkHandler({ backgroundWorkMs: 1000, recordsIdAfterWork: true }, { settleMs: 1000 }),
      checkHandler({ backgroundWorkMs: 1000 }, { settleMs: 1000 }),
    ]);
    for (const report of reports.slice(0, 2)) {
      expect(outcomes(report, "fail")).toEqual(["concurrent-state", "retry-state"]);
      expect(reasons(report)).toMatch(/^concurrent-state: 5 simultaneous first deliveries of a new event were processed (twice|[345] times) .* the deduplication is racy/m);
      expect(reasons(report)).toMatch(/^retry-state: an event and its retry were processed twice .* deduplicate by the event id \(body id\)/m);
    }
    expect(outcomes(reports[2]!, "fail")).toEqual([]);
  }, 120_000);
});

// How long a slow handler took is part of what these say: they run after the cases above (a suite not marked
// concurrent waits for the concurrent ones before it), whose load on this process would show in the times measured.
// The work outlives the answer (the sender gives up at the deadline, before the work ends), so the probe settles with
// the default wait. The time said is at least the handler's 400 ms of work; a loaded machine may add to it.
describe("check: slow handlers, against a deadline shorter than their work", () => {
  it.concurrent.each<[string, StripeBugs, string[], RegExp]>([
    ["is slow but records the id first", { workMs: 400 }, ["deadline"], /took up to (?:[4-9]\d\d|\d{4,}) ms to answer; your --deadline is 150 ms, after which a sender counts the delivery as failed/],
    [
      "is slow and records the id after the work",
      { workMs: 400, recordsIdAfterWork: true },
      ["concurrent-state", "retry-state", "deadline"],
      /processed twice across a timed-out attempt and its retry .* the sender gave up on attempt 1 after your --deadline of 150 ms and retried while it was still running/,
    ],
  ])("a handler that %s fails exactly those checks", async (_name, bugs, failing, reason) => {
    expectToFailExactly(await checkHandler(bugs, { deadlineMs: 150 }), failing, reason);
  });
});

it("every check is failed by one of the handlers above", () => {
  expect([...failedSomewhere].sort()).toEqual(checksFor(true).map((c) => c.id).sort());
});
