import { createPrivateKey, createPublicKey, generateKeyPair, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";

// RSA key pairs for tests, made once for the whole run: a 2048-bit RSA key takes 0.1–0.5 s of CPU to make, and the
// suite's files asked for some thirty, each worker making its own. The run's global setup makes the pool
// (makeRsaTestKeys) and names its file in HOOKTAPE_TEST_RSA_KEYS; every worker reads it. Tests that need two different
// keys (one to sign, a stranger's to fail with) take two indexes; files may share a key, as nothing they check depends
// on a key being theirs alone.

/** How many different RSA key pairs the pool holds. */
export const RSA_TEST_KEYS = 6;

/** The environment variable naming the file with the run's pool (a JSON array of PKCS#8 PEMs). */
export const RSA_TEST_KEYS_ENV = "HOOKTAPE_TEST_RSA_KEYS";

const pkcs8 = (privateKey: KeyObject): string => privateKey.export({ format: "pem", type: "pkcs8" }).toString();

/** The pool's private keys as PKCS#8 PEMs, made side by side on the thread pool. */
export async function makeRsaTestKeys(): Promise<string[]> {
  const one = () =>
    new Promise<string>((resolve, reject) =>
      generateKeyPair("rsa", { modulusLength: 2048 }, (error, _publicKey, privateKey) => (error ? reject(error) : resolve(pkcs8(privateKey)))),
    );
  return Promise.all(Array.from({ length: RSA_TEST_KEYS }, one));
}

let pool: KeyObject[] | null = null;

function poolKeys(): KeyObject[] {
  if (pool !== null) return pool;
  const file = process.env[RSA_TEST_KEYS_ENV];
  // Without the global setup (a script importing a test helper) the pool is made here, once per process.
  const pems: string[] = file
    ? (JSON.parse(readFileSync(file, "utf8")) as string[])
    : Array.from({ length: RSA_TEST_KEYS }, () => pkcs8(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey));
  pool = pems.map((pem) => createPrivateKey(pem));
  return pool;
}

/** The pool's index-th 2048-bit RSA key pair: the same pair for the same index, a different one for another. */
export function rsaTestKeyPair(index: number): { privateKey: KeyObject; publicKey: KeyObject } {
  const privateKey = poolKeys()[index];
  if (privateKey === undefined) throw new Error(`the RSA test key pool holds ${RSA_TEST_KEYS} keys; there is no key ${index}`);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
