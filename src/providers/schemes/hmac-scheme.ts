import { createHmac, type KeyObject } from "node:crypto";
import type { HeaderPairs } from "../../core/types.js";
import { assertSecrets, invalid, checkTimestamp, DIGITS_RE, mismatchHint, timestampHint } from "../checks.js";
import { safeEqual } from "../compare.js";
import { findHeader } from "../headers.js";
import { createKeyCache } from "../hmac-key.js";
import { deliveryKnowledgeOf, KeyFormatError } from "../types.js";
import type { DeliveryKnowledge, Provider, SignatureRotation, SignInput, SignOutput, VerifyOptions, VerifyRequest, VerifyResult } from "../types.js";

export type HmacAlgorithm = "sha1" | "sha256" | "sha512";
/** `base64url`: the URL-safe alphabet without padding (Sanity). */
export type SignatureEncoding = "hex" | "base64" | "base64url";
/**
 * How a scheme writes its timestamp: unix seconds, unix milliseconds, an ISO 8601 / RFC 3339 string, or an ISO
 * string written without a zone that means UTC (Orb's `2024-03-27T15:42:29.551`). Any ISO string without a zone
 * is read as UTC: `Date.parse` alone would read it in the machine's local time.
 */
export type TimestampUnit = "s" | "ms" | "iso" | "iso-utc";

/** What a scheme may sign, with the timestamp exactly as it appears on the wire. */
export interface SignedMessage {
  body: Buffer;
  timestamp: string;
  id: string;
  url: string;
  method: string;
}

/**
 * One piece of signed content: a part of the request, or literal text such as Slack's `v0:`. `form`: the fields of
 * a form-encoded body, decoded, sorted by name, each written as name then value (Mandrill, like Twilio).
 */
export type SignedPart = "body" | "timestamp" | "id" | "url" | "method" | "form" | { text: string };

/** The signature header, parsed: candidate signatures (several during a rotation) and a timestamp carried in it. */
export interface ParsedSignature {
  signatures: string[];
  timestamp?: string | undefined;
}

export type TimestampSource =
  | { in: "header"; header: string; unit: TimestampUnit }
  | { in: "signature"; unit: TimestampUnit }
  /** Inside the body (Linear's `webhookTimestamp`); a body without it is rejected, as the sender's SDK does. */
  | { in: "body"; read: (body: Buffer) => string | undefined; unit: TimestampUnit; missingHint: string };

/** One declarative HMAC scheme. Most providers are nothing more than one of these. */
export interface HmacSchemeSpec extends DeliveryKnowledge {
  id: string;
  name: string;
  docs: string;
  /** Lower-case header names that identify a delivery; the first is the signature header. */
  headers: readonly string[];
  /** The scheme this one shares unchanged (see Provider.aliasOf); an alias is never auto-detected. */
  aliasOf?: string;
  /** Default: the signature header is present (never, for an alias). */
  detect?: (headers: HeaderPairs) => boolean;
  /** The signature header as the provider spells it. */
  signatureHeader: string;
  algorithm: HmacAlgorithm;
  encoding: SignatureEncoding;
  /**
   * Further headers that may carry a signature of the same content (DocuSign's `X-DocuSign-Signature-2..N`, one
   * per active key): lower-case names matching this pattern. Sign writes only `signatureHeader`.
   */
  moreSignatureHeaders?: RegExp;
  /** Prefix of the signature value (`sha256=`), used by the default parse/format. */
  prefix?: string;
  /** Key bytes from the secret; default the literal string. Null: the secret is not a usable key. */
  key?: (secret: string) => Buffer | string | null;
  parse?: (value: string) => ParsedSignature | null;
  format?: (signature: string, timestamp: string) => string;
  timestamp?: TimestampSource;
  toleranceSec?: number | null;
  rejectsFuture?: boolean;
  /** How far in the future a timestamp may be when rejectsFuture; default the same as toleranceSec. */
  futureToleranceSec?: number;
  /** Header carrying a signed message id (Twitch-Eventsub-Message-Id). */
  idHeader?: string;
  /** True when the URL the sender called is signed; verify then needs options.url or an absolute request URL. */
  signsUrl?: boolean;
  /**
   * What is signed, in order: parts of the request and literal separators. Declarative rather than a
   * function per provider, so that the one verify loop stays monomorphic across ~30 schemes.
   */
  signs: readonly SignedPart[];
  /** How the URL is written into the signed content (HubSpot decodes some characters); default as given. */
  signedUrl?: (url: string) => string;
  /** The other headers a real delivery carries (event name, delivery id), kept from the input when present. */
  extraHeaders?: (input: SignInput) => HeaderPairs;
  /** The hint for a signature that matches no secret, when the provider knows a likelier cause than the default. */
  mismatchHint?: (secrets: readonly string[]) => string;
  /** How two signatures share the header during a secret rotation (see Provider.rotation). */
  rotation?: SignatureRotation;
}

/** Encodes unix seconds the way a scheme writes them. */
export function formatTimestamp(seconds: number, unit: TimestampUnit): string {
  if (unit === "s") return String(seconds);
  if (unit === "ms") return String(seconds * 1000);
  const iso = new Date(seconds * 1000).toISOString();
  return unit === "iso" ? iso : iso.slice(0, -1);
}

const ZONE_RE = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Unix seconds from a wire timestamp, or NaN when it is malformed. */
export function parseTimestamp(raw: string, unit: TimestampUnit): number {
  if (unit === "iso" || unit === "iso-utc") {
    // A date-time without a zone means UTC here (Orb's SDK appends `Z`); a bare date already parses as UTC.
    const zoned = raw.includes("T") && !ZONE_RE.test(raw) ? `${raw}Z` : raw;
    return Date.parse(zoned) / 1000;
  }
  if (!DIGITS_RE.test(raw)) return Number.NaN;
  return unit === "s" ? Number(raw) : Number(raw) / 1000;
}

/** The URL a URL-signing scheme checks: the one the caller names, else the request's own when absolute. */
export function signedUrlOf(request: VerifyRequest, options: VerifyOptions): string | undefined {
  if (options.url) return options.url;
  return /^https?:\/\//i.test(request.url) ? request.url : undefined;
}

/** What a spec works out to once, at definition: the pieces that sign and verify share. */
interface HmacScheme {
  spec: HmacSchemeSpec;
  /** The signature header, lower-case. */
  signatureName: string;
  parse: (value: string) => ParsedSignature | null;
  format: (signature: string, timestamp: string) => string;
  /** The key as a KeyObject, made once per secret (hmac-key.ts); null for a secret that is no usable key. */
  hmacKeyOf: (secret: string) => KeyObject | null;
  toleranceSec: number | null;
  rejectsFuture: boolean;
  /** False for a scheme that signs neither the body nor its form fields (Plivo V2: the URL and a nonce). */
  coversBody: boolean;
  digest: (key: KeyObject, message: SignedMessage) => string;
}

export function defineHmacScheme(spec: HmacSchemeSpec): Provider {
  const scheme = compileScheme(spec);
  const signatureName = scheme.signatureName;
  const provider: Provider = {
    id: spec.id,
    name: spec.name,
    kind: "hmac",
    ...(spec.aliasOf !== undefined ? { aliasOf: spec.aliasOf } : {}),
    ...(scheme.coversBody ? {} : { coversBody: false as const }),
    headers: spec.headers,
    toleranceSec: scheme.toleranceSec,
    rejectsFuture: scheme.rejectsFuture,
    ...deliveryKnowledgeOf(spec),
    ...(spec.rotation === undefined ? {} : { rotation: spec.rotation }),
    docs: spec.docs,
    detect: spec.aliasOf !== undefined ? () => false : (spec.detect ?? ((headers) => findHeader(headers, signatureName) !== undefined)),
    sign: (input) => signHmac(scheme, input),
    verify: (request, secrets, options) => verifyHmac(scheme, request, secrets, options),
  };
  const ts = spec.timestamp;
  if (ts !== undefined) {
    provider.timestampOf = (request: VerifyRequest): number | null => {
      const value = findHeader(request.headers, signatureName);
      const parsed = value === undefined ? null : scheme.parse(value.trim());
      const raw = rawTimestampOf(spec, request, parsed);
      if (raw === undefined) return null;
      const seconds = parseTimestamp(raw, ts.unit);
      return Number.isNaN(seconds) ? null : seconds;
    };
  }
  return provider;
}

function compileScheme(spec: HmacSchemeSpec): HmacScheme {
  const prefix = spec.prefix ?? "";
  const parts = spec.signs;
  return {
    spec,
    signatureName: spec.signatureHeader.toLowerCase(),
    parse:
      spec.parse ??
      ((value: string): ParsedSignature | null =>
        // Always the same shape as parsePairs' result, so that the shared verify below sees one object shape.
        value.startsWith(prefix) && value.length > prefix.length ? { signatures: [value.slice(prefix.length)], timestamp: undefined } : null),
    format: spec.format ?? ((signature: string) => prefix + signature),
    hmacKeyOf: createKeyCache(spec.key ?? ((secret: string) => secret)),
    toleranceSec: spec.toleranceSec ?? null,
    rejectsFuture: spec.rejectsFuture ?? false,
    coversBody: parts.includes("body") || parts.includes("form"),
    digest: signedContentDigest(spec),
  };
}

/** The HMAC of the signed parts, in the spec's order, as the spec encodes it. */
function signedContentDigest(spec: HmacSchemeSpec): (key: KeyObject, message: SignedMessage) => string {
  const parts = spec.signs;
  const urlOf = spec.signedUrl ?? ((url: string) => url);
  return (key, message) => {
    const mac = createHmac(spec.algorithm, key);
    // Text parts are joined and fed in one update before each body, which keeps native calls few.
    let text = "";
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as SignedPart;
      if (part === "body") {
        if (text !== "") mac.update(text);
        text = "";
        mac.update(message.body);
      } else if (part === "timestamp") text += message.timestamp;
      else if (part === "id") text += message.id;
      else if (part === "url") text += urlOf(message.url);
      else if (part === "method") text += message.method.toUpperCase();
      else if (part === "form") text += sortedFormFields(message.body);
      else text += part.text;
    }
    if (text !== "") mac.update(text);
    return mac.digest(spec.encoding);
  };
}

/** The timestamp as it stands on the wire: in its header, in the signature header, or in the body. */
function rawTimestampOf(spec: HmacSchemeSpec, request: VerifyRequest, parsed: ParsedSignature | null): string | undefined {
  const ts = spec.timestamp;
  if (ts === undefined) return undefined;
  if (ts.in === "header") return findHeader(request.headers, ts.header);
  if (ts.in === "signature") return parsed?.timestamp;
  return ts.read(request.body);
}

function signHmac(scheme: HmacScheme, input: SignInput): SignOutput {
  const { spec } = scheme;
  assertSecrets([input.secret]);
  const key = scheme.hmacKeyOf(input.secret);
  if (key === null) throw new KeyFormatError(`${spec.name}: the secret is not in the form this provider issues`);
  if (spec.signsUrl && !input.url) {
    throw new TypeError(`${spec.name} signs the URL the sender calls: pass the full URL (--url https://...)`);
  }
  const ts = spec.timestamp;
  const timestamp = ts ? formatTimestamp(input.timestamp, ts.unit) : "";
  const message: SignedMessage = { body: input.body, timestamp, id: input.id, url: input.url ?? "", method: input.method };
  const headers: HeaderPairs = [[spec.signatureHeader, scheme.format(scheme.digest(key, message), timestamp)]];
  if (ts?.in === "header") headers.push([ts.header, timestamp]);
  if (spec.idHeader) headers.push([spec.idHeader, input.id]);
  if (spec.extraHeaders) headers.push(...spec.extraHeaders(input));
  return { headers };
}

/**
 * Verify in steps: the signatures the headers carry, the other signed parts the request must have, a secret whose
 * HMAC matches one of the signatures, then the timestamp's age.
 */
function verifyHmac(scheme: HmacScheme, request: VerifyRequest, secrets: readonly string[], options: VerifyOptions): VerifyResult {
  const { spec } = scheme;
  assertSecrets(secrets);
  const parsed = signaturesOf(scheme, request);
  if (!("signatures" in parsed)) return parsed;
  const signed = signedPartsOf(scheme, request, parsed, options);
  if ("valid" in signed) return signed;
  if (secrets.length === 0) return invalid(spec.id, "no_secret");
  const mismatch = matchSignature(scheme, signed.message, parsed.signatures, secrets);
  if (mismatch !== null) return mismatch;
  const { signedAt } = signed;
  if (signedAt !== undefined) {
    const reason = checkTimestamp(signedAt, options.now, options.toleranceSec ?? scheme.toleranceSec, scheme.rejectsFuture, spec.futureToleranceSec);
    if (reason !== null) return invalid(spec.id, reason, timestampHint(reason, signedAt, options.now));
  }
  return { valid: true, provider: spec.id, signedAt };
}

/** The candidate signatures: the signature header's, and those of the further headers that may carry one. */
function signaturesOf(scheme: HmacScheme, request: VerifyRequest): ParsedSignature | VerifyResult {
  const { spec, signatureName } = scheme;
  const value = findHeader(request.headers, signatureName);
  if (value === undefined) return invalid(spec.id, "missing_header", `no ${spec.signatureHeader} header`);
  const parsed = scheme.parse(value.trim());
  const more = spec.moreSignatureHeaders;
  if (parsed !== null && more !== undefined) {
    for (const [name, other] of request.headers) {
      if (name.toLowerCase() === signatureName || !more.test(name.toLowerCase())) continue;
      const extra = scheme.parse(other.trim());
      if (extra !== null) parsed.signatures.push(...extra.signatures);
    }
  }
  if (parsed === null || parsed.signatures.length === 0) {
    return invalid(spec.id, "malformed_header", `${spec.signatureHeader} is not in the form ${scheme.format("<signature>", "<timestamp>")}`);
  }
  return parsed;
}

/** The signed message the request makes (timestamp, id and URL as the scheme signs them), and the time it claims. */
function signedPartsOf(
  scheme: HmacScheme,
  request: VerifyRequest,
  parsed: ParsedSignature,
  options: VerifyOptions,
): { message: SignedMessage; signedAt: number | undefined } | VerifyResult {
  const { spec } = scheme;
  const ts = spec.timestamp;
  let signedAt: number | undefined;
  let rawTimestamp = "";
  if (ts !== undefined) {
    const raw = rawTimestampOf(spec, request, parsed);
    if (raw === undefined) {
      if (ts.in === "header") return invalid(spec.id, "missing_header", `no ${ts.header} header`);
      return invalid(spec.id, "malformed_header", ts.in === "body" ? ts.missingHint : "the signed timestamp is missing");
    }
    signedAt = parseTimestamp(raw, ts.unit);
    if (Number.isNaN(signedAt)) return invalid(spec.id, "malformed_header", `the timestamp "${raw}" is not a valid timestamp`);
    rawTimestamp = raw;
  }
  let id = "";
  if (spec.idHeader !== undefined) {
    const found = findHeader(request.headers, spec.idHeader);
    if (found === undefined) return invalid(spec.id, "missing_header", `no ${spec.idHeader} header`);
    id = found;
  }
  let url = "";
  if (spec.signsUrl) {
    const found = signedUrlOf(request, options);
    if (found === undefined) return invalid(spec.id, "missing_url", `${spec.name} signs the full URL it called: pass it (--url)`);
    url = found;
  }
  return { message: { body: request.body, timestamp: rawTimestamp, id, url, method: request.method }, signedAt };
}

/** Null when a secret's HMAC matches one of the signatures; else why not. */
function matchSignature(scheme: HmacScheme, message: SignedMessage, signatures: readonly string[], secrets: readonly string[]): VerifyResult | null {
  const { spec } = scheme;
  let usableKeys = 0;
  let matched = false;
  for (const secret of secrets) {
    const key = scheme.hmacKeyOf(secret);
    if (key === null) continue;
    usableKeys++;
    const expected = scheme.digest(key, message);
    for (const candidate of signatures) {
      if (safeEqual(expected, candidate)) matched = true;
    }
    if (matched) break;
  }
  if (usableKeys === 0) return invalid(spec.id, "malformed_key", `the secret is not in the form ${spec.name} issues`);
  if (matched) return null;
  const hint =
    !scheme.coversBody && !secrets.some((s) => s.trim() !== s)
      ? `the signature does not match the URL and secret; ${spec.name} does not sign the body`
      : (spec.mismatchHint ?? mismatchHint)(secrets);
  return invalid(spec.id, "no_matching_signature", hint);
}

/**
 * The fields of a form-encoded body, decoded, sorted by name (then value), each written as name followed by value:
 * what Twilio and Mandrill append to the URL before signing (twilio-node `getExpectedTwilioSignature`, Mandrill's
 * "Authenticating webhook requests"). A repeated identical pair counts once, as twilio-node de-duplicates them.
 */
export function sortedFormFields(body: Buffer): string {
  const pairs = [...new URLSearchParams(body.toString("utf8"))];
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  let content = "";
  let previous: [string, string] | undefined;
  for (const pair of pairs) {
    if (previous !== undefined && previous[0] === pair[0] && previous[1] === pair[1]) continue;
    content += pair[0] + pair[1];
    previous = pair;
  }
  return content;
}

/**
 * Parses `t=<ts>,v1=<sig>,v1=<sig>` style headers (Stripe, Mux, Calendly, WorkOS, Paddle's `ts=..;h1=..`):
 * several signatures under the same key are a secret rotation in progress. Hand-rolled rather than
 * split/map, since it runs on every request and must cost little next to the HMAC (bench/verify.bench.mjs).
 */
export function parsePairs(options: { separator: string; timestampKey?: string; signatureKey: string }) {
  const { separator, timestampKey, signatureKey } = options;
  return (value: string): ParsedSignature | null => {
    const signatures: string[] = [];
    let timestamp: string | undefined;
    let pos = 0;
    while (pos < value.length) {
      let end = value.indexOf(separator, pos);
      if (end === -1) end = value.length;
      while (pos < end && value.charCodeAt(pos) === 0x20) pos++;
      const eq = value.indexOf("=", pos);
      if (eq !== -1 && eq < end) {
        const keyLength = eq - pos;
        if (keyLength === signatureKey.length && value.startsWith(signatureKey, pos)) {
          signatures.push(value.slice(eq + 1, end).trim());
        } else if (timestampKey !== undefined && keyLength === timestampKey.length && value.startsWith(timestampKey, pos)) {
          timestamp = value.slice(eq + 1, end).trim();
        }
      }
      pos = end + separator.length;
    }
    if (signatures.length === 0) return null;
    if (timestampKey !== undefined && timestamp === undefined) return null;
    return { signatures, timestamp };
  };
}

/**
 * A signature header of `key=value` pairs, read and written from one description, so that the two cannot disagree:
 * `t=<timestamp>,v1=<signature>` (Stripe, Mux, Calendly), `ts=<timestamp>;h1=<signature>` (Paddle), `v1=<signature>`
 * alone (CircleCI, PagerDuty). `joiner` is what the sender writes between the pairs when it is more than the
 * separator (WorkOS: `, `); `unit` is how the timestamp is written.
 */
export function pairedSignature(options: {
  separator: string;
  signatureKey: string;
  timestampKey?: string;
  unit?: TimestampUnit;
  joiner?: string;
}): Pick<HmacSchemeSpec, "parse" | "format" | "timestamp"> {
  const { signatureKey, timestampKey } = options;
  const parse = parsePairs(options);
  if (timestampKey === undefined) return { parse, format: (signature) => `${signatureKey}=${signature}` };
  const joiner = options.joiner ?? options.separator;
  return {
    parse,
    format: (signature, timestamp) => `${timestampKey}=${timestamp}${joiner}${signatureKey}=${signature}`,
    timestamp: { in: "signature", unit: options.unit ?? "s" },
  };
}

/**
 * Slack's version-0 signature, which Frame.io and Zoom use too: `v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">`,
 * the timestamp (unix seconds) in its own header.
 */
export function v0Signature(timestampHeader: string): Pick<HmacSchemeSpec, "prefix" | "timestamp" | "signs" | "encoding"> {
  return {
    encoding: "hex",
    prefix: "v0=",
    timestamp: { in: "header", header: timestampHeader, unit: "s" },
    signs: [{ text: "v0:" }, "timestamp", { text: ":" }, "body"],
  };
}
