import type { JsonShape } from "../json-shape.js";
import type { SampleEvent } from "../sample.js";
import { createHmac, type KeyObject } from "node:crypto";
import { assertSecrets, checkTimestamp, DIGITS_RE, failureFor, mismatchHint, timestampHint } from "../checks.js";
import { safeEqual } from "../compare.js";
import { eventTypeFrom, json, type EventTypeRule } from "../event-type.js";
import { findHeader } from "../headers.js";
import { createKeyCache } from "../hmac-key.js";
import { KeyFormatError } from "../types.js";
import type { Provider, RetryPolicy, SignInput, SignOutput, VerifyOptions, VerifyRequest, VerifyResult } from "../types.js";

// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
// HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the base64 bytes after `whsec_`;
// `webhook-signature` is a space-separated list of `v1,<base64>` (several during a key rotation).
// Timestamps more than 300 s away in either direction are rejected (the reference libraries' tolerance).
export const STANDARD_WEBHOOKS_DOCS = "https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md";
const TOLERANCE_SEC = 300;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

// Decoded keys, so that verifying many deliveries does not base64-decode the same secret each time.
const keyCache = new Map<string, Buffer | null>();

/**
 * How a sender turns its secret into the HMAC key: the standard's `whsec_<base64>` (prefix optional, as in the
 * reference libraries); the secret's UTF-8 bytes as they are (Polar, BigCommerce); or, as openai-node does, base64
 * after `whsec_` and UTF-8 otherwise.
 */
export type StandardWebhooksKey = "base64" | "utf8" | "whsec-or-utf8";

/** The HMAC key of a secret, or null when it is not in the form the sender issues. */
export function keyOfSecret(secret: string, form: StandardWebhooksKey): Buffer | null {
  if (form === "utf8") return Buffer.from(secret, "utf8");
  if (form === "whsec-or-utf8" && !secret.startsWith("whsec_")) return Buffer.from(secret, "utf8");
  return standardWebhooksKey(secret);
}

/** The HMAC key of a `whsec_<base64>` secret (the prefix is optional, as in the reference libraries). */
export function standardWebhooksKey(secret: string): Buffer | null {
  const hit = keyCache.get(secret);
  if (hit !== undefined) return hit;
  const encoded = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  const decoded = BASE64_RE.test(encoded) ? Buffer.from(encoded, "base64") : null;
  const key = decoded !== null && decoded.length > 0 ? decoded : null;
  if (keyCache.size >= 64) keyCache.clear();
  keyCache.set(secret, key);
  return key;
}

function sign(key: KeyObject, id: string, timestamp: string, body: Buffer): string {
  return createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest("base64");
}

export interface StandardWebhooksVariant {
  id: string;
  name: string;
  docs: string;
  /** `webhook` (the standard) or `svix` (Svix's and its customers' header names). */
  headerPrefix: "webhook" | "svix";
  /** Where the sender names the kind of each event; default the standard's `type` member; null: it names none. */
  eventType?: EventTypeRule | null;
  /**
   * The scheme an alias shares headers with: never auto-detected over it (Clerk, Resend: `svix`; the senders that use
   * the standard's own `webhook-*` headers: `standard-webhooks`). `--provider` names an alias, for its key form and
   * its schedule.
   */
  aliasOf?: string;
  /** How the secret becomes the key; default the standard's `whsec_<base64>`. */
  key?: StandardWebhooksKey;
  /** The secret's form, for error messages; default `whsec_<base64>`. */
  keyForm?: string;
  /** The sender's own retry schedule and deadline, where it is not Svix's. */
  retry?: RetryPolicy;
  deadlineMs?: number;
  deadlinePublished?: boolean;
  /** How the sender writes its JSON bodies, where known (see Provider.jsonShape). */
  jsonShape?: JsonShape;
  /** The sender's most common event (see Provider.sample). */
  sample?: SampleEvent;
}

// https://docs.svix.com/retries — after the immediate attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
const SVIX_RETRY: RetryPolicy = { delaysSec: [5, 300, 1800, 7200, 18_000, 36_000, 36_000], docs: "https://docs.svix.com/retries" };

// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#payload-structure —
// "type: a full-stop delimited type associated with the event"; Svix's customers (Clerk, Resend) send the same.
const STANDARD_TYPE = eventTypeFrom(json("type"));

/** What a variant works out to once: its three header names and its key cache. */
interface StandardWebhooksScheme {
  variant: StandardWebhooksVariant;
  idName: string;
  tsName: string;
  sigName: string;
  /** The HMAC key as a KeyObject, made once per secret (hmac-key.ts); null for a secret not in the sender's form. */
  keyFor: (secret: string) => KeyObject | null;
  /** The secret's form, for error messages. */
  formText: string;
}

export function createStandardWebhooksProvider(variant: StandardWebhooksVariant): Provider {
  const keyForm = variant.key ?? "base64";
  const scheme: StandardWebhooksScheme = {
    variant,
    idName: `${variant.headerPrefix}-id`,
    tsName: `${variant.headerPrefix}-timestamp`,
    sigName: `${variant.headerPrefix}-signature`,
    keyFor: createKeyCache((secret) => keyOfSecret(secret, keyForm)),
    formText: variant.keyForm ?? "whsec_<base64>",
  };
  const { idName, tsName, sigName } = scheme;
  return {
    id: variant.id,
    name: variant.name,
    kind: "hmac",
    ...(variant.aliasOf !== undefined ? { aliasOf: variant.aliasOf } : {}),
    headers: [sigName, idName, tsName],
    ...(variant.eventType === null ? {} : { eventType: variant.eventType ?? STANDARD_TYPE }),
    toleranceSec: TOLERANCE_SEC,
    rejectsFuture: true,
    // https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#request-timeouts —
    // the provider waits 15 s for the answer, then counts the attempt as failed (unless the variant says otherwise).
    deadlineMs: variant.deadlineMs ?? 15_000,
    ...((variant.deadlineMs === undefined ? true : variant.deadlinePublished === true) ? { deadlinePublished: true } : {}),
    retry: variant.retry ?? SVIX_RETRY,
    ...(variant.jsonShape === undefined ? {} : { jsonShape: variant.jsonShape }),
    ...(variant.sample === undefined ? {} : { sample: variant.sample }),
    // The spec: webhook-id "will be the same when the same webhook is being resent", and webhook-timestamp is the time
    // of the attempt, so every attempt is signed when it is sent (other signature bytes, the same id).
    dedup: {
      keys: [{ header: idName, example: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W" }],
      attempts: "resigned",
      docs: `${STANDARD_WEBHOOKS_DOCS}#webhook-metadata`,
    },
    // During a key rotation the sender signs with each key: `v1,<old> v1,<new>`, space-separated.
    rotation: { combine: (previous, current) => `${previous} ${current}`, docs: `${STANDARD_WEBHOOKS_DOCS}#signature-scheme` },
    docs: variant.docs,
    detect: (headers) =>
      variant.aliasOf === undefined && findHeader(headers, sigName) !== undefined && findHeader(headers, idName) !== undefined,
    sign: (input) => signStandard(scheme, input),
    verify: (request, secrets, options) => verifyStandard(scheme, request, secrets, options),
    timestampOf(request) {
      const timestamp = findHeader(request.headers, tsName);
      return timestamp !== undefined && DIGITS_RE.test(timestamp) ? Number(timestamp) : null;
    },
  };
}

function signStandard(scheme: StandardWebhooksScheme, input: SignInput): SignOutput {
  assertSecrets([input.secret]);
  const key = scheme.keyFor(input.secret);
  if (key === null) throw new KeyFormatError(`${scheme.variant.name}: expected a secret of the form ${scheme.formText}`);
  const timestamp = String(input.timestamp);
  return {
    headers: [
      [scheme.idName, input.id],
      [scheme.tsName, timestamp],
      [scheme.sigName, `v1,${sign(key, input.id, timestamp, input.body)}`],
    ],
  };
}

/** Verify in steps: the three headers, a usable secret whose signature is among the `v1` ones, then the timestamp. */
function verifyStandard(scheme: StandardWebhooksScheme, request: VerifyRequest, secrets: readonly string[], options: VerifyOptions): VerifyResult {
  const { idName, tsName, sigName } = scheme;
  const fail = failureFor(scheme.variant.id);
  assertSecrets(secrets);
  const value = findHeader(request.headers, sigName);
  if (value === undefined) return fail("missing_header", `no ${sigName} header`);
  const id = findHeader(request.headers, idName);
  const timestamp = findHeader(request.headers, tsName);
  if (id === undefined || timestamp === undefined) return fail("missing_header", `${idName} and ${tsName} are both required`);
  if (!DIGITS_RE.test(timestamp)) return fail("malformed_header", `${tsName} must be unix seconds`);
  const candidates = v1Signatures(value);
  if (candidates.length === 0) return fail("malformed_header", `${sigName} must hold "v1,<base64 signature>" entries`);
  if (secrets.length === 0) return fail("no_secret");
  const mismatch = matchSecret(scheme, { id, timestamp, body: request.body }, candidates, secrets);
  if (mismatch !== null) return mismatch;
  const signedAt = Number(timestamp);
  const reason = checkTimestamp(signedAt, options.now, options.toleranceSec ?? TOLERANCE_SEC, true);
  if (reason !== null) return fail(reason, timestampHint(reason, signedAt, options.now));
  return { valid: true, provider: scheme.variant.id, signedAt };
}

/** The signatures of a `v1,<base64> v1,<base64>` header; entries of other versions are skipped. */
function v1Signatures(value: string): string[] {
  const candidates: string[] = [];
  for (const item of value.split(" ")) {
    const comma = item.indexOf(",");
    if (comma > 0 && item.slice(0, comma) === "v1") candidates.push(item.slice(comma + 1));
  }
  return candidates;
}

/** Null when a secret's signature of the message is among the candidates; else why none is. */
function matchSecret(
  scheme: StandardWebhooksScheme,
  message: { id: string; timestamp: string; body: Buffer },
  candidates: readonly string[],
  secrets: readonly string[],
): VerifyResult | null {
  const fail = failureFor(scheme.variant.id);
  let usable = 0;
  for (const secret of secrets) {
    const key = scheme.keyFor(secret);
    if (key === null) continue;
    usable++;
    const expected = sign(key, message.id, message.timestamp, message.body);
    if (candidates.some((c) => safeEqual(expected, c))) return null;
  }
  if (usable === 0) return fail("malformed_key", `expected a secret of the form ${scheme.formText}`);
  return fail("no_matching_signature", mismatchHint(secrets));
}
