import { createHash, createHmac, createPrivateKey, createPublicKey, sign as signBytes, verify as verifyBytes, type KeyObject } from "node:crypto";
// The two decoders alone (jose/jwt/decode, jose/decode/protected_header): jose's index loads 46 modules (its JWE, JWKS,
// WebCrypto key import...), ~45 ms that every command loading the catalogue paid for two functions.
import type { JWTPayload } from "jose";
import { decodeProtectedHeader } from "jose/decode/protected_header";
import { decodeJwt } from "jose/jwt/decode";
import { assertSecrets, checkTimestamp, failureFor, mismatchHint, timestampHint } from "../checks.js";
import { safeEqual } from "../compare.js";
import type { HeaderPairs } from "../../core/types.js";
import { findHeader } from "../headers.js";
import { deliveryKnowledgeOf, KeyFormatError } from "../types.js";
import type { BodySignatureForgeries, DeliveryKnowledge, Provider, SignInput, SignOutput, VerifyOptions, VerifyRequest, VerifyResult } from "../types.js";

// One verifier for the senders that sign with a JSON Web Token. jose parses the compact serialisation (segments,
// base64url, JSON, the protected header) so that none of that is hand-written here; the signature itself is checked
// with node:crypto, because Provider.verify is synchronous and jose's jwtVerify is not (test/sdk/jwt.sdk.test.ts
// checks ours against jose's jwtVerify and SignJWT in both directions).

export type JwtAlgorithm = "HS256" | "RS256";

/** Where the token travels: a header (optionally after `Bearer `), or the whole body (Wix). */
export type JwtCarrier = { in: "header"; header: string; bearer: boolean } | { in: "body" };

export interface JwtSchemeSpec extends DeliveryKnowledge {
  id: string;
  name: string;
  docs: string;
  algorithm: JwtAlgorithm;
  carrier: JwtCarrier;
  headers: readonly string[];
  /** Default: never (a bearer JWT in Authorization looks the same from every sender). */
  detect?: (headers: HeaderPairs) => boolean;
  /**
   * The claim holding the SHA-256 of the body and how it is written (Vonage `payload_hash` hex, FusionAuth
   * `request_body_sha256` base64). Absent with a header carrier: the body is not covered (monday.com).
   */
  bodyHash?: { claim: string; encoding: "hex" | "base64" };
  /** Claims a real delivery carries besides iat, jti and the body hash. */
  claims?: (input: SignInput) => Record<string, unknown>;
  /** How long the token lives when signed here (`exp` = iat + this); absent: no exp. */
  lifetimeSec?: number;
  /** Maximum age of `iat`, in the past only; null: only `exp` is checked. */
  toleranceSec: number | null;
}

const BEARER_RE = /^bearer\s+/i;
const NO_BODY = "this token proves who sent the request, not what it contains: the body is not covered";
const RSA_FORMS =
  "an RSA public key (PEM, or base64 DER SPKI: MIIBIj...) to verify, or the RSA private key (PKCS#8 PEM, or base64 DER: MIIE...) that signs";
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

/** A PEM, or the base64 DER of a PKCS#8 private key or an SPKI public key (one line, for tables and env vars). */
function parseRsa(text: string): { key: KeyObject; isPrivate: boolean } {
  const trimmed = text.trim();
  if (trimmed.includes("-----BEGIN")) {
    return trimmed.includes("PRIVATE KEY") ? { key: createPrivateKey(trimmed), isPrivate: true } : { key: createPublicKey(trimmed), isPrivate: false };
  }
  const bare = trimmed.replace(/\s+/g, "");
  if (!BASE64_RE.test(bare)) throw new KeyFormatError(`Unusable RSA key: expected ${RSA_FORMS}`);
  const der = Buffer.from(bare, "base64");
  try {
    return { key: createPrivateKey({ key: der, format: "der", type: "pkcs8" }), isPrivate: true };
  } catch {
    return { key: createPublicKey({ key: der, format: "der", type: "spki" }), isPrivate: false };
  }
}

const keyCache = new Map<string, KeyObject>();

/** An RSA key: a private PEM (signing, and verifying through its public half) or a public PEM; throws KeyFormatError. */
function rsaKey(text: string, use: "sign" | "verify"): KeyObject {
  const cacheKey = `${use}:${text}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  let key: KeyObject;
  try {
    const parsed = parseRsa(text);
    if (use === "sign" && !parsed.isPrivate) throw new KeyFormatError("Signing needs the RSA private key (PKCS#8 PEM or base64 DER), not the public key");
    key = parsed.isPrivate && use === "verify" ? createPublicKey(parsed.key) : parsed.key;
  } catch (error) {
    if (error instanceof KeyFormatError) throw error;
    throw new KeyFormatError(`Unusable RSA key: expected ${RSA_FORMS}`);
  }
  if (key.asymmetricKeyType !== "rsa") throw new KeyFormatError(`Unusable RSA key: expected ${RSA_FORMS} (got a ${key.asymmetricKeyType ?? "different"} key)`);
  if (keyCache.size >= 64) keyCache.clear();
  keyCache.set(cacheKey, key);
  return key;
}

function bodyDigest(body: Buffer, encoding: "hex" | "base64"): string {
  return createHash("sha256").update(body).digest(encoding);
}

function base64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

/** The three segments of a compact token that is the whole body; null when the body is not one. */
function tokenSegments(body: Buffer): [string, string, string] | null {
  const parts = body.toString("utf8").trim().split(".");
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part)) || parts[0] === "" || parts[1] === "") return null;
  return parts as [string, string, string];
}

/** The `data` claim of a token that is the whole body, when it is text; null otherwise. */
function dataClaimOf(body: Buffer): string | null {
  const parts = tokenSegments(body);
  if (parts === null) return null;
  try {
    const data = (JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as { data?: unknown }).data;
    return typeof data === "string" ? data : null;
  } catch {
    return null;
  }
}

const BODY_TOKEN_FORGERIES: BodySignatureForgeries = {
  // One character of the signature changed, in the middle (the last may carry only padding bits).
  tamper(body) {
    const parts = tokenSegments(body);
    if (parts === null || parts[2] === "") return null;
    const signature = parts[2];
    const at = Math.floor(signature.length / 2);
    return Buffer.from(`${parts[0]}.${parts[1]}.${signature.slice(0, at)}${signature[at] === "A" ? "B" : "A"}${signature.slice(at + 1)}`);
  },
  // The token without its signature: `header.payload.`.
  drop(body) {
    const parts = tokenSegments(body);
    return parts === null ? null : Buffer.from(`${parts[0]}.${parts[1]}.`);
  },
  // A claim changed after signing: the event in `data` gains a space, the signature is kept.
  tamperSigned(body) {
    const parts = tokenSegments(body);
    if (parts === null) return null;
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
    } catch {
      return null;
    }
    claims.data = `${typeof claims.data === "string" ? claims.data : JSON.stringify(claims.data ?? null)} `;
    return Buffer.from(`${parts[0]}.${base64url(JSON.stringify(claims))}.${parts[2]}`);
  },
};

export function defineJwtScheme(spec: JwtSchemeSpec): Provider {
  const coversBody = spec.carrier.in === "body" || spec.bodyHash !== undefined;
  return {
    id: spec.id,
    name: spec.name,
    kind: "jwt",
    ...(spec.algorithm === "RS256" ? { secretForm: "rsa-key-pair" as const } : {}),
    ...(coversBody ? {} : { coversBody: false as const }),
    headers: spec.headers,
    toleranceSec: spec.toleranceSec,
    rejectsFuture: false,
    ...deliveryKnowledgeOf(spec),
    docs: spec.docs,
    detect: spec.detect ?? (() => false),
    sign: (input) => signJwt(spec, input),
    verify: (request, secrets, options) => verifyJwt(spec, coversBody, request, secrets, options),
    // A token that is the whole body (Wix) has no header to break or drop: `check` and `replay --tamper` forge the
    // token.
    ...(spec.carrier.in === "body" ? { bodySignature: BODY_TOKEN_FORGERIES } : {}),
    timestampOf(request) {
      const token = tokenOf(spec.carrier, request);
      if (!token) return null;
      try {
        const iat = decodeJwt(token).iat;
        return typeof iat === "number" ? iat : null;
      } catch {
        return null;
      }
    },
  };
}

/** The token where the carrier puts it (after `Bearer ` when it has one); undefined when its header is absent. */
function tokenOf(carrier: JwtCarrier, request: VerifyRequest): string | undefined {
  if (carrier.in === "body") return request.body.toString("utf8").trim();
  const value = findHeader(request.headers, carrier.header)?.trim();
  if (value === undefined) return undefined;
  return carrier.bearer ? value.replace(BEARER_RE, "") : value;
}

function signJwt(spec: JwtSchemeSpec, input: SignInput): SignOutput {
  const carrier = spec.carrier;
  assertSecrets([input.secret]);
  const payload: Record<string, unknown> = { iat: input.timestamp, jti: input.id, ...(spec.claims?.(input) ?? {}) };
  if (spec.lifetimeSec !== undefined) payload.exp = input.timestamp + spec.lifetimeSec;
  if (spec.bodyHash) payload[spec.bodyHash.claim] = bodyDigest(input.body, spec.bodyHash.encoding);
  // The body as the token's `data` claim when the token is the body (Wix). A body that is already such a token (a
  // captured delivery signed again, a fixture) carries the event in its own data claim: that event is signed.
  if (carrier.in === "body") payload.data = dataClaimOf(input.body) ?? input.body.toString("utf8");
  const signingInput = `${base64url(JSON.stringify({ alg: spec.algorithm, typ: "JWT" }))}.${base64url(JSON.stringify(payload))}`;
  const signature =
    spec.algorithm === "HS256"
      ? createHmac("sha256", input.secret).update(signingInput).digest("base64url")
      : signBytes("sha256", Buffer.from(signingInput), rsaKey(input.secret, "sign")).toString("base64url");
  const token = `${signingInput}.${signature}`;
  if (carrier.in === "body") return { headers: [["Content-Type", "text/plain"]], body: Buffer.from(token) };
  return { headers: [[carrier.header, carrier.bearer ? `Bearer ${token}` : token]] };
}

/** Verify in steps: the token decoded with the scheme's algorithm, a secret that signed it, then its claims. */
function verifyJwt(spec: JwtSchemeSpec, coversBody: boolean, request: VerifyRequest, secrets: readonly string[], options: VerifyOptions): VerifyResult {
  const fail = failureFor(spec.id);
  assertSecrets(secrets);
  const token = tokenOf(spec.carrier, request);
  if (token === undefined || token === "") {
    return fail("missing_header", spec.carrier.in === "header" ? `no ${spec.carrier.header} header` : "the body is empty: it should be the JWT");
  }
  const payload = decodedPayload(spec, token);
  if (!("payload" in payload)) return payload;
  if (secrets.length === 0) return fail("no_secret");
  const mismatch = matchSecret(spec, coversBody, token, secrets);
  if (mismatch !== null) return mismatch;
  return checkClaims(spec, payload.payload, request, options);
}

/** The token's claims, when its protected header names the scheme's algorithm. */
function decodedPayload(spec: JwtSchemeSpec, token: string): { payload: JWTPayload } | VerifyResult {
  const fail = failureFor(spec.id);
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== spec.algorithm) return fail("malformed_header", `the token is signed with ${String(header.alg)}; ${spec.name} signs with ${spec.algorithm}`);
    return { payload: decodeJwt(token) };
  } catch {
    return fail("malformed_header", `${spec.carrier.in === "header" ? spec.carrier.header : "the body"} is not a JSON Web Token (header.payload.signature)`);
  }
}

/** Null when one of the secrets signed the token; else why none did. */
function matchSecret(spec: JwtSchemeSpec, coversBody: boolean, token: string, secrets: readonly string[]): VerifyResult | null {
  const fail = failureFor(spec.id);
  const dot = token.lastIndexOf(".");
  const signingInput = token.slice(0, dot);
  const signature = token.slice(dot + 1);
  let keyError: string | undefined;
  for (const secret of secrets) {
    try {
      if (signatureMatches(spec.algorithm, signingInput, signature, secret)) return null;
    } catch (error) {
      if (!(error instanceof KeyFormatError)) throw error;
      keyError = error.message;
    }
  }
  if (keyError !== undefined && secrets.length === 1) return fail("malformed_key", keyError);
  if (secrets.some((s) => s.trim() !== s)) return fail("no_matching_signature", mismatchHint(secrets));
  const signer = spec.algorithm === "HS256" ? "the configured secret" : "the key given (pass the sender's public key)";
  return fail("no_matching_signature", `the token was not signed with ${signer}${coversBody ? "" : `; ${NO_BODY}`}`);
}

function signatureMatches(algorithm: JwtAlgorithm, signingInput: string, signature: string, secret: string): boolean {
  if (algorithm === "HS256") return safeEqual(createHmac("sha256", secret).update(signingInput).digest("base64url"), signature);
  const bytes = Buffer.from(signature, "base64url");
  // Lenient base64url decoding ignores trailing bits: only the canonical spelling of the signature counts.
  if (bytes.toString("base64url") !== signature) return false;
  return verifyBytes("sha256", Buffer.from(signingInput), rsaKey(secret, "verify"), bytes);
}

/** The claims of a token a secret signed: the body's hash where the scheme has one, then `exp` and `iat`. */
function checkClaims(spec: JwtSchemeSpec, payload: JWTPayload, request: VerifyRequest, options: VerifyOptions): VerifyResult {
  const fail = failureFor(spec.id);
  if (spec.bodyHash) {
    const claimed = payload[spec.bodyHash.claim];
    if (typeof claimed !== "string") return fail("malformed_header", `the token has no ${spec.bodyHash.claim} claim (the SHA-256 of the body)`);
    if (!safeEqual(bodyDigest(request.body, spec.bodyHash.encoding), claimed)) {
      return fail("no_matching_signature", `the body's SHA-256 differs from the token's ${spec.bodyHash.claim} — the body changed (was it re-serialised? verify the raw bytes)`);
    }
  }
  const issuedAt = typeof payload.iat === "number" ? payload.iat : undefined;
  if (typeof payload.exp === "number" && options.now > payload.exp + (options.toleranceSec ?? 0)) {
    return fail("timestamp_too_old", `the token expired ${options.now - payload.exp}s before now — a replay, or check the clock (or pass --now / --tolerance)`);
  }
  if (issuedAt !== undefined) {
    const reason = checkTimestamp(issuedAt, options.now, options.toleranceSec ?? spec.toleranceSec, false);
    if (reason !== null) return fail(reason, timestampHint(reason, issuedAt, options.now));
  }
  return { valid: true, provider: spec.id, signedAt: issuedAt };
}
