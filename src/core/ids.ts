import { randomFillSync } from "node:crypto";

// Crockford base32, as ULID uses: ids sort by creation time as plain strings.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// One getrandom call per 4 KiB of ids instead of one per id: ids are made on the capture hot path.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomSlice(length: number): Buffer {
  if (poolOffset + length > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const slice = pool.subarray(poolOffset, poolOffset + length);
  poolOffset += length;
  return slice;
}

let lastTime = -1;
let lastRandom: number[] = [];

/**
 * A ULID (https://github.com/ulid/spec): 48 bits of milliseconds then 80 random bits, monotonic within one
 * millisecond so that events captured in the same millisecond keep their arrival order. The time part is always
 * `now`'s, also when `now` is older than the last id's.
 */
export function newEventId(now: number = Date.now()): string {
  if (now === lastTime) {
    incrementRandom(lastRandom);
  } else {
    // An older time (a fixture imported after a newer one) keeps its own time: the id says when it happened.
    lastTime = now;
    lastRandom = Array.from(randomSlice(16), (byte) => byte & 31);
  }
  let time = "";
  let rest = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  return time + lastRandom.map((digit) => ALPHABET[digit]).join("");
}

/**
 * An event id made from a digest instead of random bits: the same input always gives the same id, so that recording
 * the same event twice (a relay's re-delivery after a crash) is recognised. The time part is `at`'s, as in any id,
 * and the other 80 bits are the digest's first 10 bytes.
 */
export function derivedEventId(at: number, digest: Uint8Array): string {
  if (digest.length < 10) throw new TypeError("derivedEventId needs at least 10 bytes of digest");
  let time = "";
  let rest = at;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  let tail = "";
  for (let bit = 0; bit < 80; bit += 5) {
    const byte = bit >> 3;
    const word = ((digest[byte] ?? 0) << 8) | (digest[byte + 1] ?? 0);
    tail += ALPHABET[(word >> (11 - (bit & 7))) & 31];
  }
  return time + tail;
}

function incrementRandom(digits: number[]): void {
  for (let i = digits.length - 1; i >= 0; i--) {
    const digit = digits[i] ?? 0;
    if (digit < 31) {
      digits[i] = digit + 1;
      return;
    }
    digits[i] = 0;
  }
}

/** A short random id for one delivery (a group of retry attempts). */
export function newDeliveryId(): string {
  return "dlv_" + randomSlice(8).toString("hex");
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * A message id for schemes that sign one: `msg_` and 27 base62 characters, the shape of Svix / Standard Webhooks
 * ids. (A byte modulo 62 favours the first eight characters slightly; an id needs to be unique, not uniform.)
 */
export function newMessageId(): string {
  let id = "msg_";
  for (const byte of randomSlice(27)) id += BASE62[byte % 62];
  return id;
}
