// WebCrypto helpers of the relay's worker: tokens, digests and comparisons. No Node API.

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** `bytes` random bytes as lower-case base32 (RFC 4648 alphabet, no padding). */
export function randomBase32(bytes: number): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of random) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** 32 random bytes, base64url without padding: a bearer token. */
export function randomToken(prefix: string): string {
  const base64 = toBase64(crypto.getRandomValues(new Uint8Array(32)));
  return prefix + base64.slice(0, base64.indexOf("=") === -1 ? undefined : base64.indexOf("=")).replace(/\+/g, "-").replace(/\//g, "_");
}

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

export async function hmacSha256(secret: string, message: string | Uint8Array): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const data = typeof message === "string" ? new TextEncoder().encode(message) : message;
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}

/**
 * Whether a presented bearer token is the one whose SHA-256 is stored: the digests are compared, so the comparison
 * takes the same time whatever the token's length and wherever it differs.
 */
export async function tokenMatches(presented: string | null, storedSha256: string | null | undefined): Promise<boolean> {
  if (presented === null || presented === "" || !storedSha256) return false;
  return sameText(await sha256Hex(presented), storedSha256);
}

/** Constant-time equality of two strings of the same length (digests); false when the lengths differ. */
export function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerOf(request: Request): string | null {
  const value = request.headers.get("authorization");
  const match = value === null ? null : /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match?.[1] ?? null;
}

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
