import { timingSafeEqual } from "node:crypto";

// Two scratch buffers per signature length, reused: verification runs per request, and allocating two
// Buffers per comparison cost more than the rest of a scheme's logic (bench/verify.bench.mjs).
const scratch = new Map<number, [Buffer, Buffer]>();

function scratchFor(bytes: number): [Buffer, Buffer] {
  let pair = scratch.get(bytes);
  if (pair === undefined) {
    pair = [Buffer.allocUnsafeSlow(bytes), Buffer.allocUnsafeSlow(bytes)];
    if (bytes <= 4096) scratch.set(bytes, pair);
  }
  return pair;
}

/**
 * Constant-time equality of two encoded signatures (or tokens), after a length check (timingSafeEqual
 * needs equal lengths, and the length of a signature is no secret). Encoded strings are compared rather
 * than decoded bytes because Buffer.from(..., "base64") ignores trailing bits and invalid characters,
 * so two different header values could otherwise decode to the same bytes. The strings are written as
 * UTF-16 code units, two bytes each, so the comparison is exact for any character.
 * Same approach as octokit/webhooks-methods `src/node/verify.ts`.
 */
export function safeEqual(expected: string, received: string): boolean {
  if (expected.length !== received.length) return false;
  const bytes = expected.length * 2;
  const [a, b] = scratchFor(bytes);
  a.write(expected, 0, bytes, "utf16le");
  b.write(received, 0, bytes, "utf16le");
  return bytes === a.length ? timingSafeEqual(a, b) : timingSafeEqual(a.subarray(0, bytes), b.subarray(0, bytes));
}
