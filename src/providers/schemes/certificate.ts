import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as signBytes,
  verify as verifyBytes,
  X509Certificate,
  type KeyObject,
} from "node:crypto";
import { crc32 } from "node:zlib";
import { setJsonPath, tamperSignatureValue, unsetJsonPath } from "../../core/mutate.js";
import { assertSecrets, invalid } from "../checks.js";
import { eventTypeFrom, header, json, type EventTypeRule } from "../event-type.js";
import { findHeader } from "../headers.js";
import { parsePrivateKey } from "../keys.js";
import { type BodySignatureForgeries, type Deduplication, KeyFormatError, type Provider, type RetryPolicy, type SignInput, type SignOutput, type VerifyRequest, type VerifyReason, type VerifyResult } from "../types.js";
import { selfSignedCertificate } from "../x509.js";

// One verifier for the senders that sign with a key pair of their own and name the key in the request: by the URL of
// its certificate (PayPal, Amazon SNS) or by a key id (Circle, eBay). Offline by default: the secret is the
// certificate or public key (`hooktape keygen --provider <id>` makes a test pair and certificate; the private key
// verifies too, through its public half, so one secret serves `listen` and `replay --resign`). `--fetch-certs`
// fetches the real certificate, from the provider's own hosts only (see `certificateUrlAllowed` and
// src/certs/fetch-certificate.ts). Node's crypto does the work: X509Certificate, sign/verify, zlib's crc32.

export type CertificateKeyType = "rsa" | "p256";
type Digest = "sha1" | "sha256";

/** Which key a delivery says signed it: a certificate URL, or a key id. */
export interface KeyReference {
  kind: "certificate" | "key id";
  value: string;
  /** The URL hooktape may fetch it from with --fetch-certs (after the host check), or null. */
  fetchUrl: string | null;
}

/** What a request says about its signature, read without any key. */
interface SignedParts {
  signature: Buffer;
  digest: Digest;
  /** The bytes that were signed; PayPal's include the webhook id the secret carries. */
  message(webhookId: string): Buffer;
  reference: KeyReference;
  signedAt?: number;
}

type Failure = { reason: "missing_header" | "malformed_header"; hint: string };

export interface CertificateSchemeSpec {
  id: string;
  name: string;
  docs: string;
  keyType: CertificateKeyType;
  /** True when the secret is `<webhook id>:<key>` (PayPal signs the receiver's webhook id). */
  webhookId?: true;
  headers: readonly string[];
  /** Where the provider names the kind of each event (see Provider.eventType). */
  eventType?: EventTypeRule;
  detect(headers: VerifyRequest["headers"]): boolean;
  read(request: VerifyRequest): SignedParts | Failure;
  /** Writes a signature made with `signWith` into a delivery. */
  write(input: SignInput, signWith: (message: Buffer, digest: Digest) => Buffer, names: KeyNames): SignOutput;
  /** What the failure hint suggests when the key is not at hand. */
  missingKeyAdvice: string;
  retry: RetryPolicy;
  /** What a handler deduplicates on, and what retries look like (see Provider.dedup). */
  dedup: Deduplication;
  deadlineMs: number;
  deadlinePublished?: boolean;
  /** For a scheme that signs inside the body (SNS): how `check` and `replay --tamper` forge it. */
  bodySignature?: BodySignatureForgeries;
}

/** The names a hooktape test key signs under: a key id and a certificate file name, both from its public key. */
export interface KeyNames {
  keyId: string;
  fingerprint: string;
}

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

/** Base64 as the senders write it: only a value that re-encodes to itself (no two header values are one signature). */
function strictBase64(value: string): Buffer | null {
  if (!BASE64_RE.test(value)) return null;
  const bytes = Buffer.from(value, "base64");
  return bytes.length > 0 && bytes.toString("base64") === value ? bytes : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Keys: certificates, public keys and private keys in the forms the providers hand them out.

// One map per use and key type, keyed by the secret's text itself: the same string on every call, whose hash V8
// keeps (a `${use}:${text}` key would be a new 1-2 KB string to hash on every verification).
const keyCaches = new Map<string, Map<string, KeyObject>>();

function cachedKey(use: string, text: string, parse: () => KeyObject): KeyObject {
  let cache = keyCaches.get(use);
  if (cache === undefined) {
    cache = new Map();
    keyCaches.set(use, cache);
  }
  const hit = cache.get(text);
  if (hit) return hit;
  const key = parse();
  if (cache.size >= 64) cache.clear();
  cache.set(text, key);
  return key;
}

function keyForms(type: CertificateKeyType): string {
  return type === "rsa"
    ? "the sender's X.509 certificate (PEM, or base64 DER: MII...) or RSA public key (PEM, or base64 DER SPKI), or the test private key `hooktape keygen` printed"
    : "the sender's ECDSA P-256 public key (base64 DER: MFkw..., or a PEM, also eBay's one-line PEM) or certificate, or the test private key `hooktape keygen` printed";
}

/** A PEM from a one-line form (eBay's API returns `-----BEGIN PUBLIC KEY-----MFkw...-----END PUBLIC KEY-----`). */
function normalisePem(text: string): string {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!match) return text;
  const body = (match[2] ?? "").replace(/\s+/g, "");
  return `-----BEGIN ${match[1]}-----\n${body.replace(/.{64}/g, "$&\n").replace(/\n?$/, "\n")}-----END ${match[1]}-----\n`;
}

function checkKeyType(key: KeyObject, type: CertificateKeyType, forms: string): KeyObject {
  const ok = type === "rsa" ? key.asymmetricKeyType === "rsa" : key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1";
  if (!ok) throw new KeyFormatError(`Unusable key: expected ${forms} (got a ${key.asymmetricKeyType ?? "different"} key)`);
  return key;
}

/** The public key that verifies: from a certificate, a public key, or a private key's public half. */
export function verificationKey(text: string, type: CertificateKeyType): KeyObject {
  return cachedKey(`verify:${type}`, text, () => {
    const forms = keyForms(type);
    const trimmed = text.trim();
    try {
      if (trimmed.includes("-----BEGIN")) {
        const pem = normalisePem(trimmed);
        if (pem.includes("CERTIFICATE")) return checkKeyType(new X509Certificate(pem).publicKey, type, forms);
        return checkKeyType(createPublicKey(pem), type, forms);
      }
      const der = strictBase64(trimmed.replace(/\s+/g, ""));
      if (der !== null) {
        for (const parse of [
          () => new X509Certificate(der).publicKey,
          () => createPublicKey({ key: der, format: "der", type: "spki" }),
          () => createPublicKey(createPrivateKey({ key: der, format: "der", type: "pkcs8" })),
        ]) {
          let key: KeyObject;
          try {
            key = parse();
          } catch {
            continue;
          }
          return checkKeyType(key, type, forms);
        }
      }
    } catch (error) {
      if (error instanceof KeyFormatError) throw error;
    }
    throw new KeyFormatError(`Unusable key: expected ${forms}`);
  });
}

/** The private key that signs: PKCS#8 PEM or base64 DER (and, for P-256, the 64-hex scalar keys.ts reads). */
export function signingKey(text: string, type: CertificateKeyType): KeyObject {
  if (type === "p256") return parsePrivateKey(text, "p256");
  return cachedKey("sign:rsa", text, () => {
    const forms = "the RSA private key as PKCS#8 PEM (-----BEGIN PRIVATE KEY-----) or base64 DER (MIIE...); `hooktape keygen --provider <id>` prints a test one";
    const trimmed = text.trim();
    if (trimmed.includes("-----BEGIN") && !trimmed.includes("PRIVATE KEY")) {
      throw new KeyFormatError(`Signing needs the private key, not a certificate or public key: expected ${forms}`);
    }
    try {
      const key = trimmed.includes("-----BEGIN")
        ? createPrivateKey(normalisePem(trimmed))
        : createPrivateKey({ key: Buffer.from(trimmed.replace(/\s+/g, ""), "base64"), format: "der", type: "pkcs8" });
      return checkKeyType(key, "rsa", forms);
    } catch (error) {
      if (error instanceof KeyFormatError) throw error;
      throw new KeyFormatError(`Unusable RSA private key: expected ${forms}`);
    }
  });
}

/** A hooktape test key's names, derived from its public key so that `sign` and `keygen` agree without state. */
export function keyNamesOf(publicKey: KeyObject): KeyNames {
  const hash = createHash("sha256").update(publicKey.export({ format: "der", type: "spki" })).digest("hex");
  // A UUID's shape (Circle's and eBay's key ids are UUIDs), version nibble 4 and variant 8.
  const keyId = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-8${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
  return { keyId, fingerprint: hash.slice(0, 32) };
}

const WEBHOOK_ID_RE = /^[A-Za-z0-9-]+$/;

/** PayPal's secret: `<webhook id>:<certificate or key>` (or the webhook id alone, with --fetch-certs); the others: the key alone. */
function splitSecret(secret: string, spec: CertificateSchemeSpec): { webhookId: string; key: string } | null {
  if (spec.webhookId !== true) return { webhookId: "", key: secret };
  // The webhook id alone: the certificate comes from --fetch-certs.
  if (WEBHOOK_ID_RE.test(secret.trim())) return { webhookId: secret.trim(), key: "" };
  const colon = secret.indexOf(":");
  const begin = secret.indexOf("-----BEGIN");
  if (colon <= 0 || (begin >= 0 && begin < colon)) return null;
  return { webhookId: secret.slice(0, colon).trim(), key: secret.slice(colon + 1) };
}

function describe(reference: KeyReference): string {
  return reference.kind === "certificate" ? `the certificate at ${reference.value}` : `key id ${reference.value}`;
}

export function defineCertificateScheme(spec: CertificateSchemeSpec): Provider & CertificateScheme {
  const fail = (reason: VerifyReason, hint?: string): VerifyResult => invalid(spec.id, reason, hint);
  const webhookIdForm = `${spec.name} signs your webhook id: give --secret as "<webhook id>:<certificate>", e.g. --secret "WH-1AB23456CD789012E:$(cat paypal-cert.pem)"`;

  return {
    id: spec.id,
    name: spec.name,
    kind: "certificate",
    headers: spec.headers,
    ...(spec.eventType !== undefined ? { eventType: spec.eventType } : {}),
    // None of the four SDKs checks the age of a delivery (PayPal's and SNS's signed times are informational).
    toleranceSec: null,
    rejectsFuture: false,
    deadlineMs: spec.deadlineMs,
    ...(spec.deadlinePublished === true ? { deadlinePublished: true } : {}),
    retry: spec.retry,
    dedup: spec.dedup,
    docs: spec.docs,
    detect: spec.detect,
    certificateKeyType: spec.keyType,
    ...(spec.bodySignature === undefined ? {} : { bodySignature: spec.bodySignature }),

    keyReferenceOf(request) {
      const parts = spec.read(request);
      return "reason" in parts ? null : parts.reference;
    },

    sign(input) {
      assertSecrets([input.secret]);
      const parts = splitSecret(input.secret, spec);
      if (parts === null) throw new KeyFormatError(webhookIdForm);
      const key = signingKey(parts.key, spec.keyType);
      const names = keyNamesOf(createPublicKey(key));
      const signWith = (message: Buffer, digest: Digest) =>
        signBytes(digest, message, spec.keyType === "p256" ? { key, dsaEncoding: "der" } : key);
      return spec.write({ ...input, secret: parts.webhookId }, signWith, names);
    },

    verify(request, secrets) {
      assertSecrets(secrets);
      const parts = spec.read(request);
      if ("reason" in parts) return fail(parts.reason, parts.hint);
      if (secrets.length === 0) return fail("no_secret", `this delivery was signed with ${describe(parts.reference)}; ${spec.missingKeyAdvice}`);
      let usable = 0;
      let keyError = "";
      for (const secret of secrets) {
        const split = splitSecret(secret, spec);
        if (split === null) {
          keyError = webhookIdForm;
          continue;
        }
        if (split.key === "") {
          keyError = `the secret holds only the webhook id: add --fetch-certs, or give "<webhook id>:<certificate>"`;
          continue;
        }
        let key: KeyObject;
        try {
          key = verificationKey(split.key, spec.keyType);
        } catch (error) {
          if (!(error instanceof KeyFormatError)) throw error;
          keyError = error.message;
          continue;
        }
        usable++;
        try {
          const options = spec.keyType === "p256" ? { key, dsaEncoding: "der" as const } : key;
          if (verifyBytes(parts.digest, parts.message(split.webhookId), options, parts.signature)) {
            return parts.signedAt === undefined ? { valid: true, provider: spec.id } : { valid: true, provider: spec.id, signedAt: parts.signedAt };
          }
        } catch {
          // A signature that is not DER makes ECDSA verification throw: a bad request, not a bad key.
        }
      }
      if (usable === 0) return fail("malformed_key", keyError);
      const webhook = spec.webhookId === true ? ", the webhook id is not this endpoint's," : "";
      return fail(
        "no_matching_signature",
        `signed with ${describe(parts.reference)}: the body differs from what was signed${webhook} or the key given is not that one — ${spec.missingKeyAdvice}`,
      );
    },

    timestampOf(request) {
      const parts = spec.read(request);
      return "reason" in parts || parts.signedAt === undefined ? null : parts.signedAt;
    },
  };
}

/** What the certificate family adds to a Provider: which key signed a request, for hints and --fetch-certs. */
export interface CertificateScheme {
  readonly certificateKeyType: CertificateKeyType;
  keyReferenceOf(request: VerifyRequest): KeyReference | null;
}

export function isCertificateScheme(provider: Provider): provider is Provider & CertificateScheme {
  return typeof (provider as Partial<CertificateScheme>).keyReferenceOf === "function";
}

/**
 * The secrets to try with a certificate fetched by --fetch-certs: the certificate itself, or for PayPal the
 * certificate under each webhook id the configured secrets name (PayPal signs the receiver's webhook id, which no
 * certificate carries). Empty when PayPal has no webhook id to go with it.
 */
export function secretsWithCertificate(provider: Provider, configured: readonly string[], certificate: string): string[] {
  if (provider.id !== "paypal") return [certificate];
  const ids = new Set<string>();
  for (const secret of configured) {
    const split = splitSecret(secret, paypalSpec);
    if (split !== null && split.webhookId !== "") ids.add(split.webhookId);
  }
  return [...ids].map((id) => `${id}:${certificate}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Where a certificate may come from. Enforced for SNS on every verification, offline too (a forged message can name
// any URL, and AWS tells receivers to check it), and by the fetcher for every provider before any connection.

/**
 * Where Circle and eBay hand out a public key by its id (production hosts; sandbox hosts too, for keys fetched by
 * URL). Circle: GET https://api.circle.com/v2/notifications/publicKey/{id} → {"data":{"publicKey": base64 DER}}
 * (https://developers.circle.com/api-reference/w3s/common/get-notification-signature); eBay: GET
 * https://api.ebay.com/commerce/notification/v1/public_key/{id} → {"key": one-line PEM}, with an application token
 * (https://developer.ebay.com/api-docs/commerce/notification/resources/public_key/methods/getPublicKey).
 */
export const KEY_APIS: Readonly<Record<string, { hosts: readonly string[]; path: string }>> = {
  circle: { hosts: ["api.circle.com", "api-sandbox.circle.com"], path: "/v2/notifications/publicKey/" },
  ebay: { hosts: ["api.ebay.com", "api.sandbox.ebay.com"], path: "/commerce/notification/v1/public_key/" },
};

/** A key id that may become a URL path segment: a UUID's characters only (a forged id cannot walk the path). */
const KEY_ID_RE = /^[A-Za-z0-9-]{1,64}$/;

/** AWS's own pattern (aws-js-sns-message-validator index.js; docs "Verifying the signatures of Amazon SNS messages"). */
const SNS_HOST_RE = /^sns\.[a-zA-Z0-9-]{3,}\.amazonaws\.com(\.cn)?$/;
const PAYPAL_HOST_RE = /^(?:[a-z0-9-]+\.)*paypal\.com$/;

/** Null when `url` is a place this provider's certificate may be fetched from; else why not, in words. */
export function certificateUrlRefusal(providerId: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url} is not a URL`;
  }
  if (parsed.protocol !== "https:") return `${url} is not https`;
  if (parsed.username !== "" || parsed.password !== "" || parsed.port !== "") return `${url} carries credentials or a port`;
  const host = parsed.hostname.toLowerCase();
  if (providerId === "sns") {
    if (!SNS_HOST_RE.test(host)) return `${url} is not on sns.<region>.amazonaws.com`;
    if (!parsed.pathname.endsWith(".pem")) return `${url} does not name a .pem file`;
    return null;
  }
  if (providerId === "paypal") return PAYPAL_HOST_RE.test(host) ? null : `${url} is not on paypal.com`;
  // The key-by-id APIs (below): their own hosts and paths only.
  const api = KEY_APIS[providerId];
  if (api !== undefined) {
    if (!api.hosts.includes(host)) return `${url} is not on ${api.hosts.join(" or ")}`;
    return parsed.pathname.startsWith(api.path) && parsed.search === "" ? null : `${url} is not ${api.path}<key id>`;
  }
  return `${providerId} hands out no certificate URL`;
}

// ---------------------------------------------------------------------------------------------------------------
// The four senders.

const SIGNATURE_ADVICE = "pass its certificate with --secret, or add --fetch-certs";

function headerRequired(request: VerifyRequest, name: string): string | Failure {
  const value = findHeader(request.headers, name.toLowerCase());
  return value === undefined ? { reason: "missing_header", hint: `no ${name} header` } : value.trim();
}

// PayPal: https://developer.paypal.com/api/rest/webhooks/rest/#link-selfverificationmethod — the signed string is
// `transmissionId|transmissionTime|webhookId|crc32(body)` (CRC-32 as an unsigned decimal), RSA PKCS#1 v1.5 with
// SHA-256 (PAYPAL-AUTH-ALGO SHA256withRSA), the key from the certificate at PAYPAL-CERT-URL. paypal-rest-sdk
// (Notification.js) and the Java SDK (Event.validateReceivedEvent) do the same and check no age.
const paypalSpec: CertificateSchemeSpec = {
  id: "paypal",
  name: "PayPal",
  docs: "https://developer.paypal.com/api/rest/webhooks/rest/",
  keyType: "rsa",
  webhookId: true,
  headers: ["paypal-transmission-sig", "paypal-transmission-id", "paypal-transmission-time", "paypal-cert-url", "paypal-auth-algo"],
  // https://developer.paypal.com/api/rest/webhooks/event-names/ — `event_type` (`PAYMENT.CAPTURE.COMPLETED`).
  eventType: eventTypeFrom(json("event_type")),
  detect: (headers) => findHeader(headers, "paypal-transmission-sig") !== undefined && findHeader(headers, "paypal-transmission-id") !== undefined,
  read(request) {
    const values: string[] = [];
    for (const name of ["PAYPAL-TRANSMISSION-SIG", "PAYPAL-TRANSMISSION-ID", "PAYPAL-TRANSMISSION-TIME", "PAYPAL-CERT-URL", "PAYPAL-AUTH-ALGO"]) {
      const value = headerRequired(request, name);
      if (typeof value !== "string") return value;
      values.push(value);
    }
    const [sig = "", id = "", time = "", certUrl = "", algo = ""] = values;
    if (algo !== "SHA256withRSA") return { reason: "malformed_header", hint: `PAYPAL-AUTH-ALGO is ${algo}; PayPal signs with SHA256withRSA` };
    const signature = strictBase64(sig);
    if (signature === null) return { reason: "malformed_header", hint: "PAYPAL-TRANSMISSION-SIG is not base64" };
    // Enforced whatever key is given, as for SNS: a delivery that names a certificate elsewhere is not PayPal's.
    const refusal = certificateUrlRefusal("paypal", certUrl);
    if (refusal !== null) return { reason: "malformed_header", hint: `PAYPAL-CERT-URL refused: ${refusal} (a forged delivery can name any certificate)` };
    const crc = String(crc32(request.body) >>> 0);
    const signedAt = Date.parse(time);
    return {
      signature,
      digest: "sha256",
      message: (webhookId) => Buffer.from(`${id}|${time}|${webhookId}|${crc}`),
      reference: { kind: "certificate", value: certUrl, fetchUrl: certUrl },
      ...(Number.isNaN(signedAt) ? {} : { signedAt: Math.floor(signedAt / 1000) }),
    };
  },
  write(input, signWith, names) {
    const id = input.id;
    const time = new Date(input.timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const crc = String(crc32(input.body) >>> 0);
    const signature = signWith(Buffer.from(`${id}|${time}|${input.secret}|${crc}`), "sha256");
    return {
      headers: [
        ["PAYPAL-TRANSMISSION-ID", id],
        ["PAYPAL-TRANSMISSION-TIME", time],
        ["PAYPAL-TRANSMISSION-SIG", signature.toString("base64")],
        ["PAYPAL-CERT-URL", `https://api.sandbox.paypal.com/v1/notifications/certs/CERT-hooktape-${names.fingerprint}`],
        ["PAYPAL-AUTH-ALGO", "SHA256withRSA"],
      ],
    };
  },
  missingKeyAdvice: `${SIGNATURE_ADVICE} (as "<webhook id>:<certificate>")`,
  retry: {
    // https://developer.paypal.com/api/rest/webhooks/ — "PayPal retries ... up to 25 times over the course of 3 days".
    // The intervals are not published; 25 attempts spread exponentially over ~3 days is assumed.
    delaysSec: [60, 120, 240, 480, 960, 1920, 3600, 3600, 7200, 7200, 10_800, 10_800, 10_800, 14_400, 14_400, 14_400, 14_400, 14_400, 14_400, 14_400, 14_400, 14_400, 14_400, 14_400],
    docs: "https://developer.paypal.com/api/rest/webhooks/",
  },
  // The event id stays; each attempt is a new transmission (its own PAYPAL-TRANSMISSION-TIME, so other signature
  // bytes).
  dedup: { keys: [{ json: "id", example: "WH-2WR32451HC0233532-67976317FL4543714" }], attempts: "resigned" },
  // Not published; PayPal counts a non-2xx or no answer as a failure. hooktape assumes 30 s.
  deadlineMs: 30_000,
};
export const paypal = defineCertificateScheme(paypalSpec);

// Amazon SNS: https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html — the signature is in the
// JSON body: `key\nvalue\n` for a fixed list of keys per Type, in that order, present ones only; SignatureVersion 1 is
// SHA1withRSA, 2 SHA256withRSA; the certificate at SigningCertURL, whose host must be sns.<region>.amazonaws.com.
const SNS_KEYS: Readonly<Record<string, readonly string[]>> = {
  Notification: ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
  SubscriptionConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
  UnsubscribeConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
};

type SnsMessage = Record<string, unknown>;

function parseSns(body: Buffer): SnsMessage | null {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as SnsMessage) : null;
  } catch {
    return null;
  }
}

function snsCanonical(message: SnsMessage, type: string): Buffer | string {
  let text = "";
  for (const key of SNS_KEYS[type] ?? []) {
    const value = message[key];
    if (value === undefined || (key === "Subject" && value === null)) continue;
    if (typeof value !== "string") return `${key} is not a string`;
    text += `${key}\n${value}\n`;
  }
  return Buffer.from(text, "utf8");
}

/** SNS writes its JSON two-space indented with `" : "` between key and value (the docs' examples, real deliveries). */
export function snsJson(message: SnsMessage): string {
  return JSON.stringify(message, null, 2).replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, "$1 : ");
}

export const sns = defineCertificateScheme({
  id: "sns",
  name: "Amazon SNS",
  docs: "https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html",
  keyType: "rsa",
  // The signature lives in the body; these headers name a delivery.
  headers: ["x-amz-sns-message-type", "x-amz-sns-message-id", "x-amz-sns-topic-arn"],
  // https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html — `Type` (`Notification`, `SubscriptionConfirmation`).
  eventType: eventTypeFrom(json("Type"), header("x-amz-sns-message-type")),
  detect: (headers) => findHeader(headers, "x-amz-sns-message-type") !== undefined,
  read(request) {
    const message = parseSns(request.body);
    if (message === null) return { reason: "missing_header", hint: "the body is not an SNS message (JSON with Type, Signature, SigningCertURL)" };
    const { Type: type, Signature: sig, SigningCertURL: certUrl, SignatureVersion: version } = message;
    if (typeof sig !== "string" || typeof certUrl !== "string") return { reason: "missing_header", hint: "no Signature or SigningCertURL in the body" };
    if (typeof type !== "string" || SNS_KEYS[type] === undefined) return { reason: "malformed_header", hint: `Type ${String(type)} is none of ${Object.keys(SNS_KEYS).join(", ")}` };
    if (version !== "1" && version !== "2") return { reason: "malformed_header", hint: `SignatureVersion ${String(version)} is not 1 (SHA1withRSA) or 2 (SHA256withRSA)` };
    // Enforced whatever key is given: AWS's validators refuse a certificate from anywhere else before fetching it.
    const refusal = certificateUrlRefusal("sns", certUrl);
    if (refusal !== null) return { reason: "malformed_header", hint: `SigningCertURL refused: ${refusal} (a forged message can name any certificate)` };
    const signature = strictBase64(sig);
    if (signature === null) return { reason: "malformed_header", hint: "Signature is not base64" };
    const canonical = snsCanonical(message, type);
    if (typeof canonical === "string") return { reason: "malformed_header", hint: canonical };
    const signedAt = typeof message.Timestamp === "string" ? Date.parse(message.Timestamp) : Number.NaN;
    return {
      signature,
      digest: version === "1" ? "sha1" : "sha256",
      message: () => canonical,
      reference: { kind: "certificate", value: certUrl, fetchUrl: certUrl },
      ...(Number.isNaN(signedAt) ? {} : { signedAt: Math.floor(signedAt / 1000) }),
    };
  },
  write(input, signWith, names) {
    const message = parseSns(input.body);
    if (message === null || typeof message.Type !== "string" || SNS_KEYS[message.Type] === undefined) {
      throw new TypeError(`Amazon SNS signs inside its JSON message: the body needs a Type (${Object.keys(SNS_KEYS).join(", ")}), MessageId, Message, Timestamp and TopicArn`);
    }
    // Version 2 (SHA256withRSA) unless the message asks for 1; the region from the topic's ARN.
    const version = message.SignatureVersion === "1" ? "1" : "2";
    const region = /^arn:aws(?:-[a-z]+)*:sns:([a-z0-9-]+):/.exec(String(message.TopicArn ?? ""))?.[1] ?? "us-east-1";
    const canonical = snsCanonical(message, message.Type);
    if (typeof canonical === "string") throw new TypeError(`Amazon SNS: ${canonical}`);
    const signed: SnsMessage = {};
    for (const [key, value] of Object.entries(message)) if (!["SignatureVersion", "Signature", "SigningCertURL"].includes(key)) signed[key] = value;
    const out: SnsMessage = {};
    // In SNS's own order: the signature fields after Timestamp, the rest as given.
    for (const [key, value] of Object.entries(signed)) {
      out[key] = value;
      if (key === "Timestamp") {
        out.SignatureVersion = version;
        out.Signature = signWith(canonical, version === "1" ? "sha1" : "sha256").toString("base64");
        out.SigningCertURL = `https://sns.${region}.amazonaws.com/SimpleNotificationService-${names.fingerprint}.pem`;
      }
    }
    if (out.Signature === undefined) {
      out.SignatureVersion = version;
      out.Signature = signWith(canonical, version === "1" ? "sha1" : "sha256").toString("base64");
      out.SigningCertURL = `https://sns.${region}.amazonaws.com/SimpleNotificationService-${names.fingerprint}.pem`;
    }
    const headers: SignOutput["headers"] = [
      ["x-amz-sns-message-type", message.Type],
      ["x-amz-sns-message-id", String(message.MessageId ?? input.id)],
      ["x-amz-sns-topic-arn", String(message.TopicArn ?? "")],
      ["Content-Type", "text/plain; charset=UTF-8"],
      ["User-Agent", "Amazon Simple Notification Service Agent"],
    ];
    return { headers, body: Buffer.from(snsJson(out), "utf8") };
  },
  missingKeyAdvice: SIGNATURE_ADVICE,
  // The signature and what it covers are fields of the JSON message; a change to the last string of the body (the
  // generic forgery) would change UnsubscribeURL, which SNS does not sign. Each edit keeps every other byte.
  bodySignature: {
    tamper: (body) => {
      const signature = parseSns(body)?.Signature;
      return typeof signature === "string" ? setJsonPath(body, "Signature", JSON.stringify(tamperSignatureValue(signature))) : null;
    },
    drop: (body) => (typeof parseSns(body)?.Signature === "string" ? unsetJsonPath(body, "Signature") : null),
    tamperSigned: (body) => {
      const message = parseSns(body)?.Message;
      return typeof message === "string" ? setJsonPath(body, "Message", JSON.stringify(`${message} `)) : null;
    },
  },
  retry: {
    // https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.retry.html — "by default, if the initial delivery
    // of the message fails, Amazon SNS attempts up to three retries with a delay between failed attempts set at 20
    // seconds" (a topic's delivery policy can change it).
    delaysSec: [20, 20, 20],
    docs: "https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.retry.html",
  },
  // MessageId names the message, in the body (inside the signed string) and in x-amz-sns-message-id; SNS signs a
  // message once, so a retry repeats its bytes, Timestamp and Signature included.
  dedup: {
    keys: [
      { json: "MessageId", example: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324" },
      { header: "x-amz-sns-message-id", example: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324" },
    ],
    attempts: "same-bytes",
    docs: "https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html",
  },
  // Not published (the delivery-retries pages give no HTTP timeout); hooktape assumes 15 s.
  deadlineMs: 15_000,
});

function keyIdScheme(options: {
  id: string;
  name: string;
  docs: string;
  digest: Digest;
  signatureHeader: string;
  eventType: EventTypeRule;
  /** Reads the signature and key id from the request; writes them. */
  readSignature(request: VerifyRequest): { signature: Buffer; keyId: string } | Failure;
  writeSignature(signature: Buffer, keyId: string): SignOutput["headers"];
  /** What is signed: the body (Circle), or JSON.stringify of the parsed body (eBay's SDK). */
  signedBytes(body: Buffer): Buffer | null;
  missingKeyAdvice: string;
  retry: RetryPolicy;
  dedup: Deduplication;
  deadlineMs: number;
  deadlinePublished?: boolean;
  extraHeaders: readonly string[];
}): Provider & CertificateScheme {
  return defineCertificateScheme({
    id: options.id,
    name: options.name,
    docs: options.docs,
    keyType: "p256",
    headers: [options.signatureHeader, ...options.extraHeaders],
    eventType: options.eventType,
    detect: (headers) => findHeader(headers, options.signatureHeader) !== undefined && options.extraHeaders.every((h) => findHeader(headers, h) !== undefined),
    read(request) {
      const found = options.readSignature(request);
      if ("reason" in found) return found;
      const signed = options.signedBytes(request.body);
      if (signed === null) return { reason: "malformed_header", hint: `${options.name} signs the JSON body, and this body is not JSON` };
      return {
        signature: found.signature,
        digest: options.digest,
        message: () => signed,
        reference: {
          kind: "key id",
          value: found.keyId,
          fetchUrl: KEY_ID_RE.test(found.keyId) ? `https://${KEY_APIS[options.id]?.hosts[0] ?? ""}${KEY_APIS[options.id]?.path ?? ""}${found.keyId}` : null,
        },
      };
    },
    write(input, signWith, names) {
      const signed = options.signedBytes(input.body);
      if (signed === null) throw new TypeError(`${options.name} signs the JSON body, and this body is not valid JSON`);
      return { headers: options.writeSignature(signWith(signed, options.digest), names.keyId) };
    },
    missingKeyAdvice: options.missingKeyAdvice,
    retry: options.retry,
    dedup: options.dedup,
    deadlineMs: options.deadlineMs,
    ...(options.deadlinePublished === true ? { deadlinePublished: true as const } : {}),
  });
}

// Circle: https://developers.circle.com/w3s/verify-webhook-signatures — X-Circle-Signature is the base64 DER ECDSA
// (P-256, SHA-256) signature of the raw body; X-Circle-Key-Id names the key, whose base64 DER public key Circle's
// API returns (GET /v2/notifications/publicKey/{id}, with your API key).
export const circle = keyIdScheme({
  id: "circle",
  name: "Circle",
  docs: "https://developers.circle.com/w3s/verify-webhook-signatures",
  digest: "sha256",
  signatureHeader: "x-circle-signature",
  // https://developers.circle.com/w3s/web3-services-notifications-quickstart — `notificationType` (`transactions.inbound`).
  eventType: eventTypeFrom(json("notificationType")),
  extraHeaders: ["x-circle-key-id"],
  readSignature(request) {
    const sig = headerRequired(request, "X-Circle-Signature");
    if (typeof sig !== "string") return sig;
    const keyId = headerRequired(request, "X-Circle-Key-Id");
    if (typeof keyId !== "string") return keyId;
    const signature = strictBase64(sig);
    return signature === null ? { reason: "malformed_header", hint: "X-Circle-Signature is not base64" } : { signature, keyId };
  },
  writeSignature: (signature, keyId) => [
    ["X-Circle-Signature", signature.toString("base64")],
    ["X-Circle-Key-Id", keyId],
  ],
  signedBytes: (body) => body,
  missingKeyAdvice:
    "pass its public key with --secret (Circle's API returns it: GET https://api.circle.com/v2/notifications/publicKey/<key id>), or add --fetch-certs",
  retry: {
    // Not published as a schedule: Circle retries failed notifications with backoff. Assumed exponential, 5 tries.
    delaysSec: [60, 300, 1800, 7200, 21_600],
    docs: "https://developers.circle.com/w3s/web3-services-notifications-quickstart",
  },
  // notificationId names the notification; the signature covers the body and no time.
  dedup: { keys: [{ json: "notificationId", example: "7a1f53b2-0000-4000-8000-0b2a6c8f1e47" }], attempts: "same-bytes" },
  // Not published; hooktape assumes 10 s.
  deadlineMs: 10_000,
});

// eBay: eBay/event-notification-nodejs-sdk lib/validator.js — x-ebay-signature is base64 of
// `{"alg":"ecdsa","kid":...,"signature":<base64 DER>,"digest":"SHA1"}`; the SDK verifies (ssl3-sha1, i.e. SHA-1 with
// the ECDSA key) over JSON.stringify(req.body) after express.json(), i.e. the body re-serialised compactly, not the
// raw bytes: whitespace changes still verify, as they do for eBay's own SDK. The key by kid comes from
// GET https://api.ebay.com/commerce/notification/v1/public_key/{kid} (with an application OAuth token).
export const ebay = keyIdScheme({
  id: "ebay",
  name: "eBay",
  docs: "https://developer.ebay.com/api-docs/commerce/notification/overview.html",
  digest: "sha1",
  signatureHeader: "x-ebay-signature",
  // https://developer.ebay.com/api-docs/commerce/notification/overview.html — `metadata.topic` (`MARKETPLACE_ACCOUNT_DELETION`).
  eventType: eventTypeFrom(json("metadata.topic")),
  extraHeaders: [],
  readSignature(request) {
    const value = headerRequired(request, "X-EBAY-SIGNATURE");
    if (typeof value !== "string") return value;
    const decoded = strictBase64(value);
    let header: unknown;
    try {
      header = decoded === null ? null : JSON.parse(decoded.toString("utf8"));
    } catch {
      header = null;
    }
    const { kid, signature: sig, alg } = (header ?? {}) as Record<string, unknown>;
    if (typeof kid !== "string" || typeof sig !== "string") {
      return { reason: "malformed_header", hint: "x-ebay-signature is not base64 of {alg, kid, signature, digest}" };
    }
    if (typeof alg === "string" && alg.toLowerCase() !== "ecdsa") return { reason: "malformed_header", hint: `x-ebay-signature's alg is ${alg}; eBay signs with ecdsa` };
    const signature = strictBase64(sig);
    return signature === null ? { reason: "malformed_header", hint: "the signature in x-ebay-signature is not base64" } : { signature, keyId: kid };
  },
  writeSignature: (signature, keyId) => [
    ["X-EBAY-SIGNATURE", Buffer.from(JSON.stringify({ alg: "ecdsa", kid: keyId, signature: signature.toString("base64"), digest: "SHA1" })).toString("base64")],
  ],
  signedBytes(body) {
    try {
      return Buffer.from(JSON.stringify(JSON.parse(body.toString("utf8"))), "utf8");
    } catch {
      return null;
    }
  },
  missingKeyAdvice:
    "pass its public key with --secret (eBay's Notification API returns it: GET https://api.ebay.com/commerce/notification/v1/public_key/<key id>), or add --fetch-certs with HOOKTAPE_EBAY_TOKEN set",
  retry: {
    // https://developer.ebay.com/api-docs/commerce/notification/overview.html — unacknowledged notifications are
    // retried; the schedule is not published. Assumed: hourly for a day.
    delaysSec: Array.from({ length: 24 }, () => 3600),
    docs: "https://developer.ebay.com/api-docs/commerce/notification/overview.html",
  },
  // notification.notificationId names the notification; the signature covers the body and no time.
  dedup: { keys: [{ json: "notification.notificationId", example: "49f5d8b7c3a2e1f0_a1b2c3d4e5f60718" }], attempts: "same-bytes" },
  // Not published; hooktape assumes 10 s.
  deadlineMs: 10_000,
});

/**
 * A test key for a certificate scheme: the private key (PKCS#8 PEM), the public key or certificate a verifier is
 * given, and the names `sign` writes into deliveries (key id, certificate URL).
 */
export function generateCertificateKey(provider: Provider & CertificateScheme, now: Date = new Date()): {
  privateKey: string;
  publicKey: string;
  certificate: string | null;
  keyId: string;
} {
  const { privateKey, publicKey } =
    provider.certificateKeyType === "rsa" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const names = keyNamesOf(publicKey);
  const certificate = provider.certificateKeyType === "rsa" ? selfSignedCertificate(privateKey, publicKey, `hooktape test key for ${provider.name} ${names.keyId}`, now) : null;
  return {
    privateKey: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicKey: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
    certificate,
    keyId: names.keyId,
  };
}
