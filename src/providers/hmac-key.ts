import { createSecretKey, type KeyObject } from "node:crypto";

/**
 * A cache of HMAC keys as KeyObjects, made once per secret instead of on every verification: createHmac with a
 * string or Buffer key converts and copies it each time, which costs about a tenth of an HMAC-SHA256 of a 2 KB body
 * (bench/verify.bench.mjs). `derive` turns a secret into the key bytes (the string itself, a base64- or hex-decoded
 * form), or null when the secret is not a usable key. Memory only and bounded: the secrets are the caller's, who
 * holds them anyway; nothing is written anywhere.
 */
export function createKeyCache(derive: (secret: string) => Buffer | string | null, capacity = 16): (secret: string) => KeyObject | null {
  const keys = new Map<string, KeyObject | null>();
  return (secret) => {
    let key = keys.get(secret);
    if (key === undefined) {
      const bytes = derive(secret);
      key = bytes === null ? null : createSecretKey(typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes);
      if (keys.size >= capacity) keys.clear();
      keys.set(secret, key);
    }
    return key;
  };
}

/** The same for secrets used as they are (their UTF-8 bytes are the key), which are always usable. */
export function createTextKeyCache(capacity = 16): (secret: string) => KeyObject {
  const cache = createKeyCache((secret) => secret, capacity);
  return (secret) => cache(secret) as KeyObject;
}
