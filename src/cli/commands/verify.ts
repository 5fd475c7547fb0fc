import { badInput } from "../../core/errors.js";
import { joinPublicUrl, localUrlOf, parseHeaderLine } from "../../core/headers.js";
import { parseDuration, parseInteger } from "../../core/units.js";
import { createCertificateFetcher } from "../../certs/fetch-certificate.js";
import { verifyFetchingCertificates } from "../../certs/verify-fetching.js";
import { fixtureBody, fixtureProvider, loadFixtureSync, requireSecrets } from "../../fixture-files/index.js";
import { detectProvider, getProvider, type HmacSettings, type Provider, type VerifyRequest } from "../../providers/index.js";
import { outputFor, withStore, type GlobalFlags } from "../context.js";
import { reasonInWords } from "../../documents/words.js";
import { hmacSettingsFrom, type HmacFlags } from "./hmac-flags.js";
import { createSecretBook } from "../../secrets/secret-book.js";
import { readBodyFile, readStdin } from "../body-input.js";
import { checkUrl } from "./sign.js";

export interface VerifyFlags extends GlobalFlags, HmacFlags {
  fixture?: string;
  event?: string;
  /** A raw request: its body (else --body-file, else stdin) with its headers and method. */
  body?: string;
  bodyFile?: string;
  header?: string[];
  method?: string;
  provider?: string;
  secret: string[];
  tolerance?: string;
  now?: string;
  url?: string;
  /** Certificate schemes: fetch the certificate a delivery names, from the provider's own hosts only. */
  fetchCerts?: boolean;
}

/** What is being verified, wherever it came from. */
interface Subject {
  request: VerifyRequest;
  /** The provider the subject names itself (a fixture's "provider", an event's detected provider). */
  provider: Provider | undefined;
  /** Unix seconds to check at when --now is absent. */
  at: number;
  /** The URL the sender called, when known. */
  url: string | undefined;
  /** A fixture's generic-hmac settings, under the --hmac-* flags. */
  scheme?: Partial<HmacSettings> | undefined;
}

/** Prints `valid` or `invalid: <reason>` (a hint for people on stderr); exit 0 valid, 1 invalid. */
export async function runVerify(flags: VerifyFlags): Promise<void> {
  const output = outputFor(flags);
  const raw = flags.body !== undefined || flags.bodyFile !== undefined || (flags.header ?? []).length > 0;
  if ([flags.fixture !== undefined, flags.event !== undefined, raw].filter(Boolean).length !== 1) {
    throw badInput(
      'Give one thing to verify: --fixture <file>, --event <id>, or a raw request: --header "Name: value" (repeatable) with --body, --body-file or the body on stdin',
    );
  }
  if (flags.body !== undefined && flags.bodyFile !== undefined) throw badInput("Give the body once: --body or --body-file");
  const toleranceSec = flags.tolerance === undefined ? undefined : Math.round(parseDuration(flags.tolerance, "--tolerance") / 1000);
  const nowFlag = flags.now === undefined ? undefined : parseInteger(flags.now, "--now", 0);
  if (flags.url !== undefined) checkUrl(flags.url);
  const hmac = hmacSettingsFrom(flags);

  const subject =
    flags.fixture !== undefined
      ? fixtureSubject(flags.fixture, hmac)
      : flags.event !== undefined
        ? eventSubject(flags.event, flags, hmac)
        : await rawSubject(flags);
  let provider: Provider | undefined;
  if (flags.provider !== undefined) {
    provider = getProvider(flags.provider, flags.provider === "hmac" ? { hmac: { ...subject.scheme, ...hmac } } : undefined);
    if (!provider) throw badInput(`Unknown --provider "${flags.provider}"; see \`hooktape providers\``);
  } else {
    provider = subject.provider ?? detectProvider(subject.request.headers);
  }
  if (!provider) {
    throw badInput("Cannot tell the provider from the headers; pass --provider <id> (see `hooktape providers`)");
  }
  const options = { now: nowFlag ?? subject.at, toleranceSec, url: flags.url ?? subject.url };
  const book = createSecretBook({ flagValues: flags.secret, env: process.env });
  let secrets: readonly string[];
  if (provider.kind === "certificate") {
    // No key is a usage error here too, but the message says which certificate or key id the delivery names.
    secrets = book.verifying(provider.id);
    if (secrets.length === 0 && flags.fetchCerts !== true) {
      const unkeyed = provider.verify(subject.request, [], options);
      if (!unkeyed.valid && unkeyed.reason === "no_secret") throw badInput(`no key for ${provider.id}: ${unkeyed.hint ?? "pass --secret"}`);
    }
  } else {
    secrets = requireSecrets(provider, book, "verify");
  }
  const fetcher = flags.fetchCerts === true ? createCertificateFetcher(process.env) : null;
  const result = await verifyFetchingCertificates(provider, subject.request, secrets, options, fetcher);
  // A key in no accepted form is bad input (exit 2), not a negative result: say which forms are expected.
  if (!result.valid && result.reason === "malformed_key") {
    throw badInput(result.hint ?? `--secret is not a usable ${provider.name} key`);
  }

  if (output.json) {
    output.document({
      valid: result.valid,
      provider: provider.id,
      reason: result.valid ? null : result.reason,
      ...(!result.valid && result.hint ? { hint: result.hint } : {}),
    });
  } else if (result.valid) {
    output.line(output.color.green("valid"));
  } else {
    // Words for people, the code in brackets for those who grep it (--json has the code alone).
    output.line(output.color.red(`invalid: ${reasonInWords(result.reason)} (${result.reason})`));
    if (result.hint) output.info(output.color.dim(`hint: ${result.hint}`));
  }
  if (!result.valid) process.exitCode = 1;
}

/**
 * A fixture is checked now, unless it was exported from a captured event: then at the time it was captured,
 * like the event itself, so that an exported event verifies as it did when it arrived.
 */
function fixtureSubject(path: string, hmac: ReturnType<typeof hmacSettingsFrom>): Subject {
  const fixture = loadFixtureSync(path);
  const capturedAt = fixture.meta?.capturedAt;
  const full = /^https?:\/\//i.test(fixture.request.url);
  return {
    request: { method: fixture.request.method, url: fixture.request.url, headers: fixture.request.headers, body: fixtureBody(fixture) },
    provider: fixtureProvider(fixture, undefined, hmac),
    at: capturedAt !== undefined ? Math.floor(Date.parse(capturedAt) / 1000) : Math.floor(Date.now() / 1000),
    url: full ? fixture.request.url : undefined,
    scheme: fixture.scheme,
  };
}

/**
 * A request as the handler saw it — the exact body bytes and the headers — checked now: how a failing signature is
 * debugged (`--body-file body.bin --header "Stripe-Signature: t=…"`).
 */
async function rawSubject(flags: VerifyFlags): Promise<Subject> {
  const headers = (flags.header ?? []).map((line) => parseHeaderLine(line, "--header"));
  // Without headers only a scheme that signs inside the body (Adyen, SNS) can be verified, and it must be named.
  if (headers.length === 0 && flags.provider === undefined) {
    throw badInput('A raw request needs its headers: --header "Stripe-Signature: t=...,v1=..." (repeatable), or --provider for a body-signed scheme');
  }
  const method = (flags.method ?? "POST").toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw badInput(`Invalid --method "${flags.method}": expected an HTTP method such as POST`);
  const body = flags.body !== undefined ? Buffer.from(flags.body, "utf8") : flags.bodyFile !== undefined ? readBodyFile(flags.bodyFile) : await readStdin();
  const url = flags.url ?? "/";
  return { request: { method, url, headers, body }, provider: undefined, at: Math.floor(Date.now() / 1000), url: flags.url };
}

/** A captured event is checked at the time it was received, against the URL it arrived on. */
function eventSubject(id: string, flags: GlobalFlags, hmac: ReturnType<typeof hmacSettingsFrom>): Subject {
  const event = withStore(flags, (store) => store.getEvent(id), { readonly: true });
  if (event.rejected !== null) throw badInput(`Event ${event.id} was rejected as too large; its body was not recorded, so it cannot be verified`);
  const provider = event.provider === null ? undefined : getProvider(event.provider, event.provider === "hmac" ? { hmac } : undefined);
  return {
    request: { method: event.method, url: event.url, headers: event.headers, body: event.body },
    provider,
    at: Math.floor(event.receivedAt / 1000),
    url: event.publicUrl ? joinPublicUrl(event.publicUrl, event.url) : localUrlOf(event.headers, event.url),
  };
}
