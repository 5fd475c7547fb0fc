// `hooktape check` against two handlers written for the tests: a correct one (official SDK, dedup, fast) must
// pass, a sloppy one (no verification, no dedup, slow) must fail with the expected failures named in plain words.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runCheck, sampleSubject, toJunitXml } from "../../src/check/index.js";
import { fixtureBody, fixturePath, loadFixture } from "../../src/fixture-files/index.js";
import { createDeliveryAgent } from "../../src/forward/index.js";
import { getProvider } from "../../src/providers/index.js";
import { startCorrectHandler, type HandledProvider } from "../handlers/correct-handler.js";
import { startBuggyStripeHandler } from "../handlers/buggy-stripe-handler.js";
import { startSloppyHandler } from "../handlers/sloppy-handler.js";
import { startTargetServer } from "../helpers/target-server.js";
import { runProgram } from "../helpers/program.js";
import { findAll, parseXml } from "./xml.js";

const STRIPE_SECRET = "whsec_check_test_secret";

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "hooktape-check-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface CheckJson {
  passed: boolean;
  results: Array<{ test: string; outcome: "pass" | "fail" | "skip"; reason: string | null; statuses: Array<number | null> }>;
}

describe("hooktape check", () => {
  it("passes a correct Stripe handler, proves with --probe that duplicates changed state once, and writes valid JUnit", async () => {
    const handler = await startCorrectHandler("stripe", STRIPE_SECRET);
    cleanups.push(() => handler.close());
    const junit = join(tempDir(), "report.xml");
    // The handler does its work before it answers: --settle 0ms reads the probe once after each answer.
    const run = await runProgram(["check", "--to", handler.url, "--provider", "stripe", "--secret", STRIPE_SECRET, "--probe", `${handler.url}/state`, "--settle", "0ms", "--junit", junit, "--json"]);

    const report = JSON.parse(run.stdout) as CheckJson;
    // Stripe signs a delivery as a whole: the batch forgery is Adyen's, and says why it does not apply.
    expect(report.results.filter((r) => r.outcome !== "pass").map((r) => [r.test, r.outcome, r.reason])).toEqual([
      ["forged-later-item", "skip", "Stripe signs each delivery as a whole, not item by item"],
    ]);
    expect(run.code).toBe(0);
    // The built-in Stripe sample is a payment_intent.succeeded, and every result says so.
    expect(new Set(report.results.map((r) => (r as { eventType?: string }).eventType))).toEqual(new Set(["payment_intent.succeeded"]));
    expect(report.results.map((r) => r.test)).toEqual([
      "valid",
      "raw-bytes",
      "duplicate-sequential",
      "duplicate-state",
      "signature-dedup",
      "duplicate-concurrent",
      "concurrent-state",
      "tampered-signature",
      "tampered-body",
      "stale-timestamp",
      "missing-signature",
      "wrong-secret",
      "rotation",
      "forged-later-item",
      "retry",
      "retry-state",
      "deadline",
    ]);
    // The sample event, the burst's, the rotation's and the retry's: each processed once, whatever the number of copies.
    expect(handler.processed).toHaveLength(4);
    expect(handler.answers.filter((s) => s === 400)).toHaveLength(5);

    const xml = parseXml(readFileSync(junit, "utf8"));
    expect(xml.name).toBe("testsuites");
    expect(xml.attributes).toMatchObject({ tests: "17", failures: "0", errors: "0" });
    expect(findAll(xml, "testcase")).toHaveLength(17);
    expect(findAll(xml, "failure")).toHaveLength(0);
  });

  it("fails a sloppy handler and names each failure in plain words, in the table and in the JUnit report", async () => {
    const handler = await startSloppyHandler({ delayMs: 150 });
    cleanups.push(() => handler.close());
    const junit = join(tempDir(), "report.xml");
    // It counts a charge as the request arrives, before its slow answer: --settle 0ms reads the probe once after each.
    const run = await runProgram(
      ["check", "--to", handler.url, "--provider", "stripe", "--deadline", "60", "--probe", `${handler.url}/state`, "--settle", "0ms", "--junit", junit],
      { env: { HOOKTAPE_SECRET_STRIPE: STRIPE_SECRET } },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("the handler failed 9 checks");
    const out = run.stdout;
    expect(out).toMatch(/✓ accepts a valid delivery/);
    // It answered 200 and --probe shows the forgery was processed: a forgery accepted, not acknowledged and dropped.
    expect(out).toMatch(
      /✗ rejects a tampered signature.*\n\s+accepted a request whose signature was tampered with — is the handler verifying signatures\? \(answered 200 and processed it: probe \{"charges":\d+\} → \{"charges":\d+\}\)/,
    );
    expect(out).toMatch(/✗ rejects a tampered body.*\n\s+accepted a body that was changed after signing/);
    expect(out).toMatch(/✗ rejects a stale timestamp.*\n\s+accepted a request signed 10 minutes ago — is it checking the timestamp tolerance\?/);
    expect(out).toMatch(/✗ rejects a missing signature/);
    expect(out).toMatch(/✗ rejects a wrong secret.*\n\s+accepted a request signed with another secret/);
    expect(out).toMatch(/✗ answers within the deadline.*\n\s+took up to \d+ ms to answer; your --deadline is 60 ms, after which a sender counts the delivery as failed/);
    expect(out).toMatch(/✗ a repeated event changes state once \(probe\).*\n\s+the probe changed after a second copy of an event already processed \(\{"charges":1\} → \{"charges":2\}\)/);
    expect(out).toMatch(/✗ 5 simultaneous copies change state once \(probe\).*\n\s+5 simultaneous first deliveries of a new event were processed [2-5] times/);
    expect(out).toMatch(/✗ a timed-out attempt and its retry change state once \(probe\).*\n\s+an event was processed twice across a timed-out attempt and its retry/);
    // It processes every copy, the very same bytes too: that is not the signature-keyed dedup, and the check says so.
    expect(out).toMatch(/– deduplicates by the event, not by its signature \(probe\)\n\s+it processes every copy of an event, the same bytes too/);
    expect(out).toMatch(/✗ 6 passed, 9 failed, 2 skipped \(stripe handler at http:\/\/127\.0\.0\.1:\d+\/\)/);

    const xml = parseXml(readFileSync(junit, "utf8"));
    expect(xml.attributes).toMatchObject({ tests: "17", failures: "9" });
    const failures = findAll(xml, "failure").map((f) => f.attributes.message ?? "");
    expect(failures).toHaveLength(9);
    expect(failures.some((f) => f.startsWith("accepted a request whose signature was tampered with — is the handler verifying signatures? (answered 200 and processed it"))).toBe(true);
    expect(findAll(xml, "failure")[0]?.text).toContain(`handler: ${handler.url}/`);
  });

  it("stops at once with one line and exit 1 when nothing is listening, instead of a ✗ per check", async () => {
    const closed = await startTargetServer({ kind: "answer", status: 200 });
    const url = closed.url;
    await closed.close();
    const run = await runProgram(["check", "--to", url, "--provider", "stripe", "--secret", STRIPE_SECRET]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`hooktape: nothing is listening on ${url}/webhooks/stripe (connection refused) — is the handler running?\n`);
    expect(run.stdout).not.toContain("✗");
    const json = await runProgram(["check", "--to", url, "--provider", "stripe", "--secret", STRIPE_SECRET, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ passed: false, unreachable: `nothing is listening on ${url}/webhooks/stripe (connection refused) — is the handler running?`, results: [] });
  });

  it("with the wrong secret: the valid delivery fails with the handler's own words, the rest is inconclusive, exit 1", async () => {
    const handler = await startBuggyStripeHandler(STRIPE_SECRET, { secret: "whsec_not_the_same" });
    cleanups.push(() => handler.close());
    const run = await runProgram(["check", "--to", handler.url, "--provider", "stripe"], { env: { HOOKTAPE_SECRET_STRIPE: STRIPE_SECRET } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ accepts a valid delivery  400.*\n\s+refused a valid, freshly signed delivery with 400 "Webhook Error: No signatures found matching the expected signature for payload/);
    expect(run.stdout).toMatch(/\? rejects a tampered signature\n\s+inconclusive: the valid delivery was not accepted \(400\), so this proves nothing/);
    expect(run.stdout).not.toMatch(/✓ rejects/);
    expect(run.stdout).toMatch(/✗ 1 passed, 1 failed, 11 inconclusive, 0 skipped/);
    expect(run.stderr).toBe("hooktape: the handler failed 1 check; 11 checks were inconclusive because the valid delivery was not accepted — fix that first\n");
  });

  it("says where the deadline comes from: the provider's published figure, or an assumption", async () => {
    const slow = await startBuggyStripeHandler(STRIPE_SECRET, { workMs: 1200 });
    cleanups.push(() => slow.close());
    // Slack documents its 3 s; hooktape's Stripe figure is an assumption. Both shortened here with the provider's own figure kept in the words.
    const stripeRun = await runProgram(["check", "--to", slow.url, "--provider", "stripe", "--secret", STRIPE_SECRET, "--deadline", "1000"]);
    expect(stripeRun.stdout).toMatch(/took up to 1\.\d s to answer; your --deadline is 1 s, after which a sender counts the delivery as failed/);
  });

  it("exits 2 with one line for a missing secret, an unknown provider, a --settle without a unit and a malformed fixture", async () => {
    const dir = tempDir();
    const noSecret = await runProgram(["check", "--to", "3000", "--provider", "stripe"], { env: { HOOKTAPE_SECRET_STRIPE: "" } });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/no secret for stripe: pass --secret whsec_\.\.\. or set HOOKTAPE_SECRET_STRIPE/);
    const unknown = await runProgram(["check", "--to", "3000", "--provider", "nope", "--secret", "x"]);
    expect(unknown.code).toBe(2);
    const settle = await runProgram(["check", "--to", "3000", "--provider", "stripe", "--secret", "x", "--settle", "5"]);
    expect(settle.code).toBe(2);
    expect(settle.stderr).toBe('hooktape: Invalid --settle "5": a number needs a unit (5s? 5m? 5h?); expected a duration such as 300ms, 1s or 2s (0ms: read the probe once)\n');
    writeFileSync(join(dir, "bad.json"), '{"hooktape":1}');
    const bad = await runProgram(["check", "--to", "3000", "--provider", "stripe", "--secret", "x", join(dir, "bad.json")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("runCheck", () => {
  const agent = createDeliveryAgent(16);
  afterAll(() => agent.close());

  async function check(provider: HandledProvider, secret: string, url: string, subjects = [sampleSubject(getProvider(provider)!)]) {
    return runCheck({
      target: new URL(url),
      provider: getProvider(provider)!,
      secret,
      subjects,
      deadline: { ms: 2000, origin: "flag" },
      timeoutMs: 4000,
      probeUrl: null,
      dispatcher: agent,
    });
  }

  it.each([
    ["standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    ["svix", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    ["github", "it's a secret to everybody"],
  ] as const)("passes a correct %s handler on the built-in sample event", async (provider, secret) => {
    const handler = await startCorrectHandler(provider, secret);
    cleanups.push(() => handler.close());
    const report = await check(provider, secret, handler.url);
    const notPassed = report.results.filter((r) => r.outcome !== "pass");
    // These providers send compact JSON, which JSON.stringify reproduces: the raw-bytes check says it cannot
    // tell; GitHub signs no timestamp: the stale check is skipped, and says why.
    // GitHub signs one signature per delivery: no rotation form. None of them signs item by item.
    const name = getProvider(provider)!.name;
    expect(notPassed.map((r) => [r.test, r.outcome, r.reason])).toEqual([
      ["raw-bytes", "skip", `this body is byte for byte what JSON.stringify writes (${name} sends compact JSON), so re-serialising it changes nothing and the bug cannot show here`],
      ...(provider === "github" ? [["stale-timestamp", "skip", "GitHub signs no timestamp, so a stale request cannot be told apart"]] : []),
      ...(provider === "github" ? [["rotation", "skip", "GitHub signs each delivery with one secret, so there is no rotation form to send"]] : []),
      ["forged-later-item", "skip", `${name} signs each delivery as a whole, not item by item`],
    ]);
    expect(report.passed).toBe(true);
  });

  it("adyen: the forgeries are made inside the body, where its signatures are, and a correct handler rejects each", async () => {
    const secret = Buffer.from("hooktape adyen check key").toString("hex").toUpperCase();
    const handler = await startCorrectHandler("adyen", secret);
    cleanups.push(() => handler.close());
    const report = await check("adyen", secret, handler.url);
    const outcome = Object.fromEntries(report.results.map((r) => [r.test, [r.outcome, r.statuses]]));
    // Each forgery reached the handler and was refused: not skipped as undetectable, not an error.
    for (const id of ["tampered-signature", "tampered-body", "missing-signature", "wrong-secret", "forged-later-item"]) expect(outcome[id]).toEqual(["pass", [400]]);
    expect(report.results.find((r) => r.test === "stale-timestamp")).toMatchObject({ outcome: "skip", reason: "Adyen signs no timestamp, so a stale request cannot be told apart" });
    expect(report.results.find((r) => r.test === "raw-bytes")).toMatchObject({
      outcome: "skip",
      reason: "Adyen signs fields of the body, not its bytes, so a handler that re-serialises the JSON still verifies it",
    });
    expect(report.passed).toBe(true);
    // The burst and the retry are new events (a fresh pspReference), each processed once beside the first.
    expect(new Set(handler.processed).size).toBe(3);
  });

  it("passes a correct handler on the shipped fixture (pretty-printed as Stripe sends it), sent to the fixture's own path", async () => {
    const secret = "whsec_hooktape_test_only_not_a_real_secret";
    const handler = await startCorrectHandler("stripe", secret);
    cleanups.push(() => handler.close());
    const fixture = await loadFixture("fixtures/stripe.json");
    const report = await check("stripe", secret, handler.url, [
      { name: "fixtures/stripe.json", method: fixture.request.method, path: fixturePath(fixture), headers: fixture.request.headers, body: fixtureBody(fixture) },
    ]);
    expect(report.results.filter((r) => r.outcome !== "pass").map((r) => r.test)).toEqual(["forged-later-item"]);
    // The fixture's own event first, then the burst's, the rotation's and the retry's fresh events: four, each once.
    expect(handler.processed[0]).toBe("evt_hooktape_1");
    expect(handler.processed).toHaveLength(4);
    expect(new Set(handler.processed).size).toBe(4);
  });

  it("fails a handler that answers 409 to duplicates, on the duplicates and on the retry", async () => {
    const seen = new Set<string>();
    const server = await startTargetServer((request) => {
      const id = (JSON.parse(request.body.toString()) as { id: string }).id;
      if (seen.has(id)) return { status: 409, body: "already processed" };
      seen.add(id);
      return { status: 200 };
    });
    cleanups.push(() => server.close());
    const report = await runCheck({
      target: new URL(server.url),
      provider: getProvider("stripe")!,
      secret: STRIPE_SECRET,
      subjects: [sampleSubject(getProvider("stripe")!)],
      deadline: { ms: 2000, origin: "flag" },
      timeoutMs: 4000,
      probeUrl: null,
      dispatcher: agent,
    });
    const failed = Object.fromEntries(report.results.filter((r) => r.outcome === "fail").map((r) => [r.test, r.reason]));
    expect(Object.keys(failed)).toEqual(expect.arrayContaining(["duplicate-sequential", "duplicate-concurrent", "retry"]));
    expect(failed["duplicate-sequential"]).toMatch(/answered 409 "already processed" to a second copy of an event it had just accepted — senders deliver events more than once/);
    expect(failed.retry).toMatch(/answered 409 "already processed" to the retry — the sender never saw the answer to attempt 1 and retried, so the retry must be accepted \(2xx\)/);
    const xml = parseXml(toJunitXml(report));
    expect(findAll(xml, "failure").length).toBe(report.results.filter((r) => r.outcome === "fail").length);
  });
});
