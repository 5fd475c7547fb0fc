import { timingSafeEqual } from "node:crypto";

/**
 * Constant-time equality of two encoded signatures, after a length check (timingSafeEqual throws on
 * unequal lengths, and the length of a signature is no secret). Encoded strings are compared rather
 * than decoded bytes because Buffer.from(..., "base64") ignores trailing bits and invalid characters,
 * so two different header values could otherwise decode to the same bytes.
 * Same approach as octokit/webhooks-methods `src/node/verify.ts`.
 */
export function safeEqual(expected: string, received: string): boolean {
  if (expected.length !== received.length) return false;
  const a = Buffer.from(expected, "latin1");
  const b = Buffer.from(received, "latin1");
  // latin1 maps every UTF-16 unit to one byte; a non-latin1 character then differs from any hex/base64 digit.
  return a.length === b.length && timingSafeEqual(a, b);
}
