import { HEX_RE } from "./checks.js";
import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import { KeyFormatError } from "./types.js";

// Public keys are given as the sender's dashboard shows them (Discord: 64 hex characters,
// https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers;
// SendGrid: the base64 DER "Verification Key" `MFkw...`,
// https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features),
// or a PEM. Private keys (only for signing test deliveries) as PKCS#8 PEM, base64 DER or raw hex.

export type KeyAlgorithm = "ed25519" | "p256";

const ED25519_PUBLIC_FORMS =
  "a 64-hex-character Ed25519 public key (as Discord shows it), the base64 of its 32 bytes (as Telnyx shows it), a base64 DER SPKI key (MCow...) or a PEM";
const ED25519_PRIVATE_FORMS =
  "an Ed25519 private key as PKCS#8 PEM (-----BEGIN PRIVATE KEY-----), base64 DER (MC4C...) or hex (64-character seed, or 128-character seed+public key)";
const P256_PUBLIC_FORMS = "an ECDSA P-256 public key as base64 DER (MFkw..., SendGrid's Verification Key) or a PEM";
const P256_PRIVATE_FORMS =
  "an ECDSA P-256 private key as PKCS#8 PEM (-----BEGIN PRIVATE KEY-----), base64 DER (MIGHAgEA...) or a 64-character hex scalar";

// DER prefixes that turn raw Ed25519 bytes into SPKI / PKCS#8 structures (RFC 8410).
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

// Verifying thousands of captured events with the same key should parse it once.
const cache = new Map<string, KeyObject>();

function cached(cacheKey: string, parse: () => KeyObject): KeyObject {
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const key = parse();
  if (cache.size > 64) cache.clear();
  cache.set(cacheKey, key);
  return key;
}

function compact(text: string): string {
  return text.replace(/\s+/g, "");
}

function fail(kind: string, expected: string): never {
  throw new KeyFormatError(`Unusable ${kind}: expected ${expected}`);
}

function checkType(key: KeyObject, algorithm: KeyAlgorithm, kind: string, expected: string): KeyObject {
  const ok =
    algorithm === "ed25519"
      ? key.asymmetricKeyType === "ed25519"
      : key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1";
  if (!ok) fail(kind, `${expected} (got a ${key.asymmetricKeyType ?? "different"} key)`);
  return key;
}

/** A public key for verification, in any of the forms listed above for its algorithm (hex, base64, base64 DER, PEM); throws KeyFormatError otherwise. */
export function parsePublicKey(text: string, algorithm: KeyAlgorithm): KeyObject {
  return cached(`pub:${algorithm}:${text}`, () => {
    const expected = algorithm === "ed25519" ? ED25519_PUBLIC_FORMS : P256_PUBLIC_FORMS;
    const kind = algorithm === "ed25519" ? "Ed25519 public key" : "ECDSA P-256 public key";
    const trimmed = text.trim();
    try {
      if (trimmed.includes("-----BEGIN")) {
        if (trimmed.includes("PRIVATE KEY")) fail(kind, `${expected} — this is a private key; verification needs the public one`);
        return checkType(createPublicKey(trimmed), algorithm, kind, expected);
      }
      const bare = compact(trimmed);
      if (algorithm === "ed25519" && bare.length === 64 && HEX_RE.test(bare)) {
        const der = Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(bare, "hex")]);
        return createPublicKey({ key: der, format: "der", type: "spki" });
      }
      if (BASE64_RE.test(bare)) {
        const der = Buffer.from(bare, "base64");
        if (algorithm === "ed25519" && der.length === 32 && der.toString("base64") === bare) {
          // The raw 32-byte key in base64, as Telnyx's portal shows it.
          return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, der]), format: "der", type: "spki" });
        }
        return checkType(createPublicKey({ key: der, format: "der", type: "spki" }), algorithm, kind, expected);
      }
    } catch (error) {
      if (error instanceof KeyFormatError) throw error;
    }
    return fail(kind, expected);
  });
}

/** A private key for signing test deliveries; throws KeyFormatError naming the accepted forms. */
export function parsePrivateKey(text: string, algorithm: KeyAlgorithm): KeyObject {
  return cached(`priv:${algorithm}:${text}`, () => {
    const expected = algorithm === "ed25519" ? ED25519_PRIVATE_FORMS : P256_PRIVATE_FORMS;
    const kind = algorithm === "ed25519" ? "Ed25519 private key" : "ECDSA P-256 private key";
    const trimmed = text.trim();
    try {
      if (trimmed.includes("-----BEGIN")) {
        if (!trimmed.includes("PRIVATE KEY")) fail(kind, `${expected} — this is a public key; signing needs the private one (hooktape keygen prints a test pair)`);
        return checkType(createPrivateKey(trimmed), algorithm, kind, expected);
      }
      const bare = compact(trimmed);
      if (HEX_RE.test(bare) && (bare.length === 64 || (algorithm === "ed25519" && bare.length === 128))) {
        const raw = Buffer.from(bare.slice(0, 64), "hex");
        if (algorithm === "ed25519") {
          return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, raw]), format: "der", type: "pkcs8" });
        }
        const ecdh = createECDH("prime256v1");
        ecdh.setPrivateKey(raw);
        const point = ecdh.getPublicKey();
        return createPrivateKey({
          key: {
            kty: "EC",
            crv: "P-256",
            d: raw.toString("base64url"),
            x: point.subarray(1, 33).toString("base64url"),
            y: point.subarray(33, 65).toString("base64url"),
          },
          format: "jwk",
        });
      }
      if (BASE64_RE.test(bare)) {
        const der = Buffer.from(bare, "base64");
        return checkType(createPrivateKey({ key: der, format: "der", type: "pkcs8" }), algorithm, kind, expected);
      }
    } catch (error) {
      if (error instanceof KeyFormatError) throw error;
    }
    return fail(kind, expected);
  });
}

/**
 * A fresh test key pair, since nobody holds Discord's or SendGrid's private key: the private key as
 * PKCS#8 PEM, the public key in the form the provider's dashboard shows.
 */
export function generateKeyPair(providerId: "discord" | "sendgrid" | "rsa"): { privateKey: string; publicKey: string } {
  if (providerId === "rsa") {
    // RS256 senders (Wix) hand the app its public key as base64 DER (SPKI); 2048 bits, as they use.
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    return { privateKey: privateKey.export({ format: "pem", type: "pkcs8" }).toString(), publicKey: publicKey.export({ format: "der", type: "spki" }).toString("base64") };
  }
  if (providerId === "discord") {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const raw = publicKey.export({ format: "der", type: "spki" }).subarray(ED25519_SPKI_PREFIX.length);
    return { privateKey: privateKey.export({ format: "pem", type: "pkcs8" }).toString(), publicKey: raw.toString("hex") };
  }
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return {
    privateKey: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicKey: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
  };
}
