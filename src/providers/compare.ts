import { timingSafeEqual } from "node:crypto";

/**
 * Constant-time equality of two encoded signatures (or tokens), after a length check (timingSafeEqual
 * throws on unequal lengths, and the length of a signature is no secret). Encoded strings are compared
 * rather than decoded bytes because Buffer.from(..., "base64") ignores trailing bits and invalid
 * characters, so two different header values could otherwise decode to the same bytes. UTF-8, not
 * latin1: latin1 would map U+0161 onto "a" and let a forged character pass.
 * Same approach as octokit/webhooks-methods `src/node/verify.ts`.
 */
export function safeEqual(expected: string, received: string): boolean {
  if (expected.length !== received.length) return false;
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(received, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
