/**
 * hooktape's programmatic API, for test suites and CI: sign and verify webhook requests for every provider
 * hooktape knows, and load and re-sign fixture files.
 *
 * ```ts
 * import { loadFixture, signFixture, fixtureBody } from "hooktape";
 * const fixture = signFixture(await loadFixture("fixtures/stripe.json"), { secret: "whsec_test_..." });
 * await fetch(`http://127.0.0.1:${port}${fixture.request.url}`, {
 *   method: fixture.request.method, headers: fixture.request.headers, body: fixtureBody(fixture),
 * });
 * ```
 */
import { pairsFromRecord } from "./core/headers.js";
import type { HeaderPairs } from "./core/types.js";
import { signRequest } from "./fixture-files/sign-request.js";
import {
  detectProvider,
  getProvider,
  providers as registry,
  type HmacSettings,
  type Provider,
  type SchemeKind,
  type VerifyResult,
} from "./providers/index.js";

export type { HeaderPairs } from "./core/types.js";
export type { HmacSettings, SchemeKind, VerifyResult, VerifyReason } from "./providers/index.js";
export { HooktapeError } from "./core/errors.js";
export { KeyFormatError } from "./providers/types.js";
export {
  loadFixture,
  parseFixture,
  serializeFixture,
  signFixture,
  fixtureBody,
  type Fixture,
  type FixtureRequest,
  type FixtureMeta,
  type SignFixtureOptions,
} from "./fixture-files/index.js";
export { generateKeyPair } from "./providers/keys.js";
/** A test key for paypal, sns, circle or ebay: private key, certificate (PayPal, SNS) or public key, and key id. */
export { generateCertificateKey } from "./providers/schemes/certificate.js";

/** A provider as `hooktape providers --json` describes it. */
export interface ProviderInfo {
  id: string;
  name: string;
  /** Lower-case header names that identify a delivery; the first is the signature header. */
  headers: string[];
  kind: SchemeKind;
  /** How old a signed timestamp may be; null when the scheme signs none. */
  toleranceSec: number | null;
}

/** Every provider hooktape signs and verifies. */
export function providers(): ProviderInfo[] {
  return registry.map((p) => ({ id: p.id, name: p.name, headers: [...p.headers], kind: p.kind, toleranceSec: p.toleranceSec }));
}

/** Headers as pairs (duplicates kept) or as an object. */
export type HeadersInit = HeaderPairs | Record<string, string>;

export interface SignOptions {
  /** A provider id (`stripe`, `github`, `standard-webhooks`, ...). */
  provider: string;
  /** The signing secret; for Discord and SendGrid the private key (PKCS#8 PEM; see `generateKeyPair`). */
  secret: string;
  /** The exact bytes that will be sent; never rewritten. */
  body: string | Buffer;
  /** Unix seconds the signature claims; default now. */
  timestamp?: number;
  /** Message id for schemes that sign one; default a fresh `msg_...`. */
  id?: string;
  /** The full URL the request is sent to, for schemes that sign it (Twilio, Square). */
  url?: string;
  method?: string;
  /** The request's own headers (Content-Type, ...); the scheme's extra headers keep their values. */
  headers?: HeadersInit;
  /** Settings of the generic `hmac` provider. */
  hmac?: Partial<HmacSettings>;
}

export interface SignResult {
  provider: string;
  /** The headers a real delivery carries (signature and the others the sender's SDK requires), by name. */
  headers: Record<string, string>;
  /** The same, as ordered pairs. */
  headerPairs: HeaderPairs;
  /** Set when the scheme changed the URL (Twilio adds `bodySHA256=` for JSON bodies): send to this one. */
  url?: string;
  /** The body to send (the one given, except for schemes that sign inside the body, like Mailgun). */
  body: Buffer;
  timestamp: number;
}

/** Signs a request as the provider would. Throws for an unknown provider, an empty secret or an unusable key. */
export function sign(options: SignOptions): SignResult {
  const provider = lookup(options.provider, options.hmac);
  const signed = signRequest({
    provider,
    secret: options.secret,
    body: toBuffer(options.body),
    timestamp: options.timestamp,
    id: options.id,
    url: options.url,
    method: options.method,
    headers: toPairs(options.headers),
  });
  const result: SignResult = {
    provider: provider.id,
    headers: Object.fromEntries(signed.signatureHeaders),
    headerPairs: signed.signatureHeaders,
    body: signed.body,
    timestamp: signed.timestamp,
  };
  if (signed.url !== undefined) result.url = signed.url;
  return result;
}

export interface VerifyOptions {
  /** A provider id; default detected from the headers. */
  provider?: string;
  /** One secret, or several during a rotation (for Discord / SendGrid: the public key). */
  secret: string | readonly string[];
  headers: HeadersInit;
  body: string | Buffer;
  method?: string;
  /** The full URL the sender called, for schemes that sign it. */
  url?: string;
  /** Unix seconds to check the timestamp against; default now. */
  now?: number;
  /** Override the provider's tolerance, in seconds. */
  toleranceSec?: number;
  hmac?: Partial<HmacSettings>;
}

/** Verifies a request; returns a result with a reason (and often a hint) instead of throwing. */
export function verify(options: VerifyOptions): VerifyResult {
  const headers = toPairs(options.headers);
  const provider = options.provider !== undefined ? lookup(options.provider, options.hmac) : detectProvider(headers);
  if (!provider) return { valid: false, provider: "unknown", reason: "unknown_provider", hint: "pass { provider: \"<id>\" }" };
  const secrets = typeof options.secret === "string" ? [options.secret] : [...options.secret];
  return provider.verify(
    { method: options.method ?? "POST", url: options.url ?? "/", headers, body: toBuffer(options.body) },
    secrets,
    { now: options.now ?? Math.floor(Date.now() / 1000), toleranceSec: options.toleranceSec, url: options.url },
  );
}

function lookup(id: string, hmac: Partial<HmacSettings> | undefined): Provider {
  const provider = getProvider(id, id === "hmac" ? { hmac: hmac ?? {} } : undefined);
  if (!provider) throw new TypeError(`hooktape: unknown provider "${id}"; see providers()`);
  return provider;
}

function toBuffer(body: string | Buffer): Buffer {
  return typeof body === "string" ? Buffer.from(body, "utf8") : body;
}

/** Header pairs from what a caller may pass: pairs, a record, or a fetch `Headers` (which Object.entries reads as empty). */
function toPairs(headers: HeadersInit | undefined): HeaderPairs {
  if (headers === undefined) return [];
  if (Array.isArray(headers)) return headers.map(([name, value]) => [String(name), String(value)]);
  if (headers instanceof Headers) return [...headers];
  return pairsFromRecord(headers as Record<string, string>);
}
