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
import { assertSecrets, failureFor } from "../checks.js";
import type { EventTypeRule } from "../event-type.js";
import { findHeader } from "../headers.js";
import { parsePrivateKey } from "../keys.js";
import { deliveryKnowledgeOf, KeyFormatError } from "../types.js";
import type { BodySignatureForgeries, DeliveryKnowledge, Provider, SignInput, SignOutput, VerifyRequest, VerifyResult } from "../types.js";
import { selfSignedCertificate } from "../x509.js";

// One verifier for the senders that sign with a key pair of their own and name the key in the request: by the URL of
// its certificate (PayPal, Amazon SNS) or by a key id (Circle, eBay). Offline by default: the secret is the
// certificate or public key (`hooktape keygen --provider <id>` makes a test pair and certificate; the private key
// verifies too, through its public half, so one secret serves `listen` and `replay --resign`). `--fetch-certs`
// fetches the real certificate, from the provider's own hosts only (each sender's `refuseKeyUrl`, and
// src/certs/fetch-certificate.ts). Node's crypto does the work: X509Certificate, sign/verify, zlib's crc32.

export type CertificateKeyType = "rsa" | "p256";
export type Digest = "sha1" | "sha256";

/** Which key a delivery says signed it: a certificate URL, or a key id. */
export interface KeyReference {
  kind: "certificate" | "key id";
  value: string;
  /** The URL hooktape may fetch it from with --fetch-certs (after the host check), or null. */
  fetchUrl: string | null;
}

/** What a request says about its signature, read without any key. */
export interface SignedParts {
  signature: Buffer;
  digest: Digest;
  /** The bytes that were signed; PayPal's include the webhook id the secret carries. */
  message(webhookId: string): Buffer;
  reference: KeyReference;
  signedAt?: number;
}

export type Failure = { reason: "missing_header" | "malformed_header"; hint: string };

export interface CertificateSchemeSpec extends DeliveryKnowledge {
  id: string;
  name: string;
  docs: string;
  keyType: CertificateKeyType;
  /** True when the secret is `<webhook id>:<key>` (PayPal signs the receiver's webhook id). */
  webhookId?: true;
  headers: readonly string[];
  detect(headers: VerifyRequest["headers"]): boolean;
  read(request: VerifyRequest): SignedParts | Failure;
  /** Writes a signature made with `signWith` into a delivery. */
  write(input: SignInput, signWith: (message: Buffer, digest: Digest) => Buffer, names: KeyNames): SignOutput;
  /** What the failure hint suggests when the key is not at hand. */
  missingKeyAdvice: string;
  /**
   * Null when this sender's certificates or keys may be fetched from `url` (already https, without credentials or a
   * port); else why not, in words.
   */
  refuseKeyUrl(url: URL): string | null;
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
export function strictBase64(value: string): Buffer | null {
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
function splitSecret(secret: string, signsWebhookId: boolean): { webhookId: string; key: string } | null {
  if (!signsWebhookId) return { webhookId: "", key: secret };
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

/** How to give a sender's secret that signs the receiver's webhook id (PayPal), with an example. */
function webhookIdForm(spec: CertificateSchemeSpec): string {
  return `${spec.name} signs your webhook id: give --secret as "<webhook id>:<certificate>", e.g. --secret "WH-1AB23456CD789012E:$(cat paypal-cert.pem)"`;
}

export function defineCertificateScheme(spec: CertificateSchemeSpec): Provider & CertificateScheme {
  return {
    id: spec.id,
    name: spec.name,
    kind: "certificate",
    headers: spec.headers,
    // None of the four SDKs checks the age of a delivery (PayPal's and SNS's signed times are informational).
    toleranceSec: null,
    rejectsFuture: false,
    ...deliveryKnowledgeOf(spec),
    docs: spec.docs,
    detect: spec.detect,
    certificateKeyType: spec.keyType,
    signsWebhookId: spec.webhookId === true,
    refuseKeyUrl: (url) => keyUrlRefusal(url, spec.refuseKeyUrl),
    ...(spec.bodySignature === undefined ? {} : { bodySignature: spec.bodySignature }),

    keyReferenceOf(request) {
      const parts = spec.read(request);
      return "reason" in parts ? null : parts.reference;
    },

    sign: (input) => signWithCertificateKey(spec, input),
    verify: (request, secrets) => verifyCertificateSignature(spec, request, secrets),

    timestampOf(request) {
      const parts = spec.read(request);
      return "reason" in parts || parts.signedAt === undefined ? null : parts.signedAt;
    },
  };
}

function signWithCertificateKey(spec: CertificateSchemeSpec, input: SignInput): SignOutput {
  assertSecrets([input.secret]);
  const parts = splitSecret(input.secret, spec.webhookId === true);
  if (parts === null) throw new KeyFormatError(webhookIdForm(spec));
  const key = signingKey(parts.key, spec.keyType);
  const names = keyNamesOf(createPublicKey(key));
  const signWith = (message: Buffer, digest: Digest) => signBytes(digest, message, spec.keyType === "p256" ? { key, dsaEncoding: "der" } : key);
  return spec.write({ ...input, secret: parts.webhookId }, signWith, names);
}

/** Verify in steps: what the request says was signed and by which key, then each secret's key against it. */
function verifyCertificateSignature(spec: CertificateSchemeSpec, request: VerifyRequest, secrets: readonly string[]): VerifyResult {
  const fail = failureFor(spec.id);
  assertSecrets(secrets);
  const parts = spec.read(request);
  if ("reason" in parts) return fail(parts.reason, parts.hint);
  if (secrets.length === 0) return fail("no_secret", `this delivery was signed with ${describe(parts.reference)}; ${spec.missingKeyAdvice}`);
  let usable = 0;
  let keyError = "";
  for (const secret of secrets) {
    const found = secretKeyOf(spec, secret);
    if ("problem" in found) {
      keyError = found.problem;
      continue;
    }
    usable++;
    if (signedBy(spec.keyType, found.key, parts, found.webhookId)) {
      return parts.signedAt === undefined ? { valid: true, provider: spec.id } : { valid: true, provider: spec.id, signedAt: parts.signedAt };
    }
  }
  if (usable === 0) return fail("malformed_key", keyError);
  const webhook = spec.webhookId === true ? ", the webhook id is not this endpoint's," : "";
  return fail(
    "no_matching_signature",
    `signed with ${describe(parts.reference)}: the body differs from what was signed${webhook} or the key given is not that one — ${spec.missingKeyAdvice}`,
  );
}

/** The verification key a secret holds, and the webhook id it carries; or why it holds none. */
function secretKeyOf(spec: CertificateSchemeSpec, secret: string): { key: KeyObject; webhookId: string } | { problem: string } {
  const split = splitSecret(secret, spec.webhookId === true);
  if (split === null) return { problem: webhookIdForm(spec) };
  if (split.key === "") return { problem: `the secret holds only the webhook id: add --fetch-certs, or give "<webhook id>:<certificate>"` };
  try {
    return { key: verificationKey(split.key, spec.keyType), webhookId: split.webhookId };
  } catch (error) {
    if (!(error instanceof KeyFormatError)) throw error;
    return { problem: error.message };
  }
}

function signedBy(keyType: CertificateKeyType, key: KeyObject, parts: SignedParts, webhookId: string): boolean {
  try {
    const options = keyType === "p256" ? { key, dsaEncoding: "der" as const } : key;
    return verifyBytes(parts.digest, parts.message(webhookId), options, parts.signature);
  } catch {
    // A signature that is not DER makes ECDSA verification throw: a bad request, not a bad key.
    return false;
  }
}

/** What the certificate family adds to a Provider: which key signed a request, for hints and --fetch-certs. */
export interface CertificateScheme {
  readonly certificateKeyType: CertificateKeyType;
  /** True when the secret is `<webhook id>:<key>`: the sender signs the receiver's webhook id (PayPal). */
  readonly signsWebhookId: boolean;
  keyReferenceOf(request: VerifyRequest): KeyReference | null;
  /** Null when this sender's certificate or key may be fetched from `url`; else why not, in words. */
  refuseKeyUrl(url: string): string | null;
}

export function isCertificateScheme(provider: Provider): provider is Provider & CertificateScheme {
  return typeof (provider as Partial<CertificateScheme>).keyReferenceOf === "function";
}

/**
 * The secrets to try with a certificate fetched by --fetch-certs: the certificate itself, or, for a sender that signs
 * the receiver's webhook id (PayPal), which no certificate carries, the certificate under each webhook id the
 * configured secrets name. Empty when there is no webhook id to go with it.
 */
export function secretsWithCertificate(provider: CertificateScheme, configured: readonly string[], certificate: string): string[] {
  if (!provider.signsWebhookId) return [certificate];
  const ids = new Set<string>();
  for (const secret of configured) {
    const split = splitSecret(secret, true);
    if (split !== null && split.webhookId !== "") ids.add(split.webhookId);
  }
  return [...ids].map((id) => `${id}:${certificate}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Where a certificate may come from. Enforced on every verification of a delivery that names a certificate URL,
// offline too (a forged message can name any URL, and AWS tells receivers to check it), and by the fetcher for every
// provider before any connection.

/** Null when `url` is a place a sender's key may be fetched from: https, no credentials or port, and the sender's own `rule`. */
export function keyUrlRefusal(url: string, rule: (url: URL) => string | null): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url} is not a URL`;
  }
  if (parsed.protocol !== "https:") return `${url} is not https`;
  if (parsed.username !== "" || parsed.password !== "" || parsed.port !== "") return `${url} carries credentials or a port`;
  return rule(parsed);
}

/** A key id that may become a URL path segment: a UUID's characters only (a forged id cannot walk the path). */
const KEY_ID_RE = /^[A-Za-z0-9-]{1,64}$/;

// ---------------------------------------------------------------------------------------------------------------
// What the senders share.

export const SIGNATURE_ADVICE = "pass its certificate with --secret, or add --fetch-certs";

export function headerRequired(request: VerifyRequest, name: string): string | Failure {
  const value = findHeader(request.headers, name.toLowerCase());
  return value === undefined ? { reason: "missing_header", hint: `no ${name} header` } : value.trim();
}

/**
 * A sender that names its key by an id (Circle, eBay) and hands the public key out at `keyApi.path<key id>` on its own
 * hosts: ECDSA P-256 over what `signedBytes` makes of the body.
 */
export function defineKeyIdScheme(options: DeliveryKnowledge & {
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
  extraHeaders: readonly string[];
  /** Where the sender's API returns a public key by its id: the hosts (production first) and the path before the id. */
  keyApi: { hosts: readonly string[]; path: string };
}): Provider & CertificateScheme {
  const { hosts, path } = options.keyApi;
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
          fetchUrl: KEY_ID_RE.test(found.keyId) ? `https://${hosts[0] ?? ""}${path}${found.keyId}` : null,
        },
      };
    },
    write(input, signWith, names) {
      const signed = options.signedBytes(input.body);
      if (signed === null) throw new TypeError(`${options.name} signs the JSON body, and this body is not valid JSON`);
      return { headers: options.writeSignature(signWith(signed, options.digest), names.keyId) };
    },
    missingKeyAdvice: options.missingKeyAdvice,
    // The key-by-id API: its own hosts and path only.
    refuseKeyUrl(url) {
      if (!hosts.includes(url.hostname.toLowerCase())) return `${url.href} is not on ${hosts.join(" or ")}`;
      return url.pathname.startsWith(path) && url.search === "" ? null : `${url.href} is not ${path}<key id>`;
    },
    ...deliveryKnowledgeOf(options),
  });
}

/**
 * A test key for a certificate scheme: the private key (PKCS#8 PEM), the public key or certificate a verifier is
 * given, and the names `sign` writes into deliveries (key id, certificate URL). `keyPair` is the key to use, of the
 * scheme's type (default: a new one).
 */
export function generateCertificateKey(
  provider: Provider & CertificateScheme,
  now: Date = new Date(),
  keyPair: { privateKey: KeyObject; publicKey: KeyObject } = newCertificateKeyPair(provider),
): {
  privateKey: string;
  publicKey: string;
  certificate: string | null;
  keyId: string;
} {
  const { privateKey, publicKey } = keyPair;
  const names = keyNamesOf(publicKey);
  const certificate = provider.certificateKeyType === "rsa" ? selfSignedCertificate(privateKey, publicKey, `hooktape test key for ${provider.name} ${names.keyId}`, now) : null;
  return {
    privateKey: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicKey: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
    certificate,
    keyId: names.keyId,
  };
}

function newCertificateKeyPair(provider: Provider & CertificateScheme): { privateKey: KeyObject; publicKey: KeyObject } {
  return provider.certificateKeyType === "rsa" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "prime256v1" });
}
