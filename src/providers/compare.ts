/**
 * Constant-time equality of two encoded signatures (or tokens), after a length check (the length of a
 * signature is no secret). Every UTF-16 unit is XOR-accumulated with no early exit, so the time depends
 * only on the length — the same technique as the Standard Webhooks JavaScript library's
 * `timing_safe_equal.ts`. A JS loop rather than crypto.timingSafeEqual because the latter needs both sides
 * as Buffers: three native calls and two encodings per check cost more than the rest of a scheme's logic
 * (bench/verify.bench.mjs), while this loop is ~64 iterations.
 * Encoded strings are compared rather than decoded bytes because Buffer.from(..., "base64") ignores
 * trailing bits and invalid characters, so two different header values could otherwise decode to the same
 * bytes.
 */
export function safeEqual(expected: string, received: string): boolean {
  if (expected.length !== received.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ received.charCodeAt(i);
  return difference === 0;
}
