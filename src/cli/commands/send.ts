import { badInput } from "../../core/errors.js";
import { parseInteger } from "../../core/units.js";
import {
  fixtureBody,
  fixturePath,
  fixtureProvider,
  fixtureSignedWith,
  loadFixtureSync,
  requireSecrets,
  signFixture,
  type Fixture,
} from "../../fixture-files/index.js";
import { createDeliveryAgent, deliver, resolveTarget, sendUrlFor, targetKeepsOwnPath } from "../../forward/index.js";
import { staleSignature } from "../../providers/index.js";
import { parseExpectation } from "../../replay/expectation.js";
import { outputFor, type GlobalFlags } from "../context.js";
import { interrupted, watchInterrupts } from "../interrupt.js";
import { parseProviderFlag } from "../provider-flag.js";
import { firstLineOf } from "../views/first-line.js";
import { formatSendLines, type SendResult } from "../views/send-view.js";
import { hmacSettingsFrom, type HmacFlags } from "./hmac-flags.js";
import { createSecretBook } from "../../secrets/secret-book.js";
import { checkUrl } from "./sign.js";
import { compileWasmWithBaselineOnly } from "../../core/wasm-compiler.js";

// Sends a few requests and exits: WebAssembly compiled by the baseline compiler only.
compileWasmWithBaselineOnly();

export interface SendFlags extends GlobalFlags, HmacFlags {
  to: string;
  resign?: boolean;
  secret: string[];
  provider?: string;
  url?: string;
  expect?: string;
  timeout: string;
}

/** After Ctrl-C, how long the fixture in flight may take to be answered. */
const IN_FLIGHT_GRACE_MS = 5_000;

/**
 * Sends each fixture, in the order given, and prints one line per fixture. A refused connection is a failed
 * delivery like a 500: it is shown on its line and makes the exit code 1 (a negative result), not 3, because
 * "is my handler up and accepting these?" is exactly the question `send` answers in CI.
 */
export async function runSend(files: readonly string[], flags: SendFlags): Promise<void> {
  const output = outputFor(flags);
  const target = resolveTarget(flags.to, "--to");
  const expectation = parseExpectation(flags.expect, "--expect");
  const timeoutMs = parseInteger(flags.timeout, "--timeout", 1);
  if (flags.url !== undefined) checkUrl(flags.url);
  if (flags.url !== undefined && !flags.resign) throw badInput("--url is the URL to sign: use it with --resign");
  parseProviderFlag(flags.provider);
  const hmac = hmacSettingsFrom(flags);

  // Read and check every fixture before sending anything: a typo in the fifth file should not leave four sent.
  const fixtures = files.map((file) => ({ file, fixture: loadFixtureSync(file) }));
  const prepared = fixtures.map(({ file, fixture }) => ({
    file,
    provider: fixtureProvider(fixture, flags.provider, hmac),
    ...prepare(fixture, file, target, flags, hmac),
  }));

  const agent = createDeliveryAgent(4);
  const results: SendResult[] = [];
  // Ctrl-C: the fixture in flight gets a moment to be answered, the rest are not sent; a second Ctrl-C quits now.
  const interrupts = watchInterrupts({
    onFirst: () => output.info(`Stopping: no more fixtures are sent; the one in flight gets up to ${IN_FLIGHT_GRACE_MS / 1000} s (Ctrl-C again to quit now)…`),
  });
  const cut = new AbortController();
  let graceTimer: NodeJS.Timeout | undefined;
  interrupts.signal.addEventListener("abort", () => (graceTimer = setTimeout(() => cut.abort(), IN_FLIGHT_GRACE_MS)), { once: true });
  try {
    for (const item of prepared) {
      if (interrupts.signal.aborted) break;
      const outcome = await deliver(
        { method: item.fixture.request.method, url: item.url, headers: item.fixture.request.headers, body: fixtureBody(item.fixture) },
        { timeoutMs, dispatcher: agent, maxResponseBytes: 64 * 1024, signal: cut.signal },
      );
      const ok = expectation.matches(outcome.status);
      const refused = outcome.status !== null && !ok;
      const stale = refused && !flags.resign ? staleSignature(item.provider, { ...item.fixture.request, body: fixtureBody(item.fixture) }, Math.floor(Date.now() / 1000)) : null;
      const result: SendResult = {
        fixture: item.file,
        provider: item.fixture.provider,
        method: item.fixture.request.method,
        url: item.url,
        resigned: flags.resign === true,
        status: outcome.status,
        error: outcome.error,
        errorMessage: outcome.errorMessage,
        durationMs: Math.round(outcome.durationMs * 10) / 10,
        ok,
        answer: refused ? firstLineOf(outcome.responseBody) : null,
        stale: stale && item.provider ? { ...stale, providerName: item.provider.name } : null,
      };
      results.push(result);
      if (!output.json) for (const line of formatSendLines(result, output.color, targetKeepsOwnPath(target) ? "own-path" : "exact")) output.line(line);
    }
  } finally {
    clearTimeout(graceTimer);
    interrupts.dispose();
    await agent.close();
  }
  const stopped = interrupts.signal.aborted && results.length < prepared.length;
  if (output.json) {
    output.document({ results, ...(stopped ? { interrupted: true, notSent: prepared.length - results.length } : {}) });
  } else {
    const failed = results.filter((r) => !r.ok).length;
    output.info(`${results.length - failed} of ${results.length} sent fixtures got ${flags.expect === undefined ? "a 2xx" : expectation.label}.`);
  }
  if (stopped) throw interrupted(`${results.length} of ${prepared.length} fixtures sent, ${prepared.length - results.length} not sent`);
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}

function prepare(
  fixture: Fixture,
  file: string,
  target: URL,
  flags: SendFlags,
  hmac: ReturnType<typeof hmacSettingsFrom>,
): { fixture: Fixture; url: string } {
  const destination = sendUrlFor(target, fixturePath(fixture));
  if (!flags.resign) return { fixture, url: destination };
  const provider = fixtureProvider(fixture, flags.provider, hmac);
  if (!provider) throw badInput(`${file}: the fixture names no provider; pass --provider <id> to re-sign it`);
  const secrets = createSecretBook({ flagValues: flags.secret, env: process.env, namedProvider: flags.provider });
  // The fixture names its provider: an unnamed --secret signs for it when --provider says so too, or when it verifies
  // the signature the fixture already carries.
  const secret =
    requireSecrets(provider, secrets, "sign", (candidate) => fixtureSignedWith(fixture, provider, candidate))[0] ?? "";
  // URL-signing schemes sign the URL the handler is called on, unless the public URL is given (--url).
  const signed = signFixture(fixture, { secret, provider: provider.id, hmac, url: flags.url ?? destination });
  const url = flags.url === undefined && /^https?:\/\//i.test(signed.request.url) ? signed.request.url : sendUrlFor(target, fixturePath(signed));
  return { fixture: signed, url };
}
