import { sign as signBytes, verify as verifyBytes } from "node:crypto";
import { assertSecrets, checkTimestamp, DIGITS_RE, failureFor, timestampHint } from "../checks.js";
import { findHeader } from "../headers.js";
import { parsePrivateKey, parsePublicKey, type KeyAlgorithm } from "../keys.js";
import { deliveryKnowledgeOf, KeyFormatError } from "../types.js";
import type { DeliveryKnowledge, Provider, VerifyRequest, VerifyResult } from "../types.js";

/** A public-key scheme that signs `timestamp + separator + body` (Discord's Ed25519, SendGrid's ECDSA P-256, Telnyx's `ts|body`). */
export interface AsymmetricSchemeSpec extends DeliveryKnowledge {
  id: string;
  name: string;
  docs: string;
  algorithm: KeyAlgorithm;
  signatureHeader: string;
  timestampHeader: string;
  /** How the signature is written: Discord hex, SendGrid base64 of the DER-encoded (r, s). */
  encoding: "hex" | "base64";
  toleranceSec: number | null;
  /** Between the timestamp and the body in the signed bytes; default none (Telnyx: `|`). */
  separator?: string;
  /** True when timestamps too far in the future are refused too (Telnyx). */
  rejectsFuture?: boolean;
}

function canonical(value: string, encoding: "hex" | "base64"): Buffer | null {
  // Decoders are lenient (trailing bits, stray characters): accept only a value that re-encodes to itself,
  // so that no two different header values count as the same signature.
  const bytes = Buffer.from(value, encoding);
  if (bytes.length === 0) return null;
  const again = bytes.toString(encoding);
  // Strict, lower-case hex included: the senders write lower case, and no two header values may count as one.
  return again === value ? bytes : null;
}

export function defineAsymmetricScheme(spec: AsymmetricSchemeSpec): Provider {
  const sigName = spec.signatureHeader.toLowerCase();
  const tsName = spec.timestampHeader.toLowerCase();
  const digest = spec.algorithm === "ed25519" ? null : "sha256";
  const separator = spec.separator ?? "";
  const keyOptions = spec.algorithm === "p256" ? ({ dsaEncoding: "der" } as const) : {};
  const fail = failureFor(spec.id);

  return {
    id: spec.id,
    name: spec.name,
    kind: spec.algorithm === "ed25519" ? "ed25519" : "ecdsa",
    headers: [sigName, tsName],
    toleranceSec: spec.toleranceSec,
    rejectsFuture: spec.rejectsFuture ?? false,
    ...deliveryKnowledgeOf(spec),
    docs: spec.docs,
    detect: (headers) => findHeader(headers, sigName) !== undefined && findHeader(headers, tsName) !== undefined,

    sign(input) {
      assertSecrets([input.secret]);
      const key = parsePrivateKey(input.secret, spec.algorithm);
      const timestamp = String(input.timestamp);
      const signature = signBytes(digest, Buffer.concat([Buffer.from(timestamp + separator), input.body]), { key, ...keyOptions });
      return {
        headers: [
          [spec.signatureHeader, signature.toString(spec.encoding)],
          [spec.timestampHeader, timestamp],
        ],
      };
    },

    verify(request: VerifyRequest, secrets, options): VerifyResult {
      assertSecrets(secrets);
      const value = findHeader(request.headers, sigName);
      if (value === undefined) return fail("missing_header", `no ${spec.signatureHeader} header`);
      const timestamp = findHeader(request.headers, tsName);
      if (timestamp === undefined) return fail("missing_header", `no ${spec.timestampHeader} header`);
      const signature = canonical(value.trim(), spec.encoding);
      if (signature === null) return fail("malformed_header", `${spec.signatureHeader} is not ${spec.encoding}`);
      if (secrets.length === 0) return fail("no_secret");
      const message = Buffer.concat([Buffer.from(timestamp + separator), request.body]);
      let usable = 0;
      let matched = false;
      let keyError = "";
      for (const secret of secrets) {
        try {
          const key = parsePublicKey(secret, spec.algorithm);
          usable++;
          if (verifyBytes(digest, message, { key, ...keyOptions }, signature)) {
            matched = true;
            break;
          }
        } catch (error) {
          // A malformed DER signature makes ECDSA verification throw; that is a bad request, not a bad key.
          if (error instanceof KeyFormatError) keyError = error.message;
        }
      }
      if (usable === 0) return fail("malformed_key", keyError);
      if (!matched) return fail("no_matching_signature", "the body or timestamp differs from what was signed, or the public key is not this application's");
      if (DIGITS_RE.test(timestamp)) {
        const signedAt = Number(timestamp);
        const reason = checkTimestamp(signedAt, options.now, options.toleranceSec ?? spec.toleranceSec, spec.rejectsFuture ?? false);
        if (reason !== null) return fail(reason, timestampHint(reason, signedAt, options.now));
        return { valid: true, provider: spec.id, signedAt };
      }
      return { valid: true, provider: spec.id };
    },

    timestampOf(request) {
      const timestamp = findHeader(request.headers, tsName);
      return timestamp !== undefined && DIGITS_RE.test(timestamp) ? Number(timestamp) : null;
    },
  };
}
