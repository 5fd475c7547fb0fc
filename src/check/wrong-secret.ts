import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import type { Provider } from "../providers/types.js";

/**
 * A secret of the same form as the real one but not it, so that the only thing wrong with the request is who signed
 * it: `whsec_` + base64 for Stripe/Standard Webhooks, hex for hex, the same user with another password for HTTP Basic
 * credentials, another key of the same kind and encoding for key pairs (Ed25519, ECDSA, RSA for JWTs and
 * certificates), keeping PayPal's `<webhook id>:` so that only the key is wrong.
 */
export function wrongSecretLike(secret: string, provider: Provider): string {
  if (provider.kind === "ed25519") return generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  if (provider.kind === "ecdsa") return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  // PayPal's secret is `<webhook id>:<key>`: the webhook id stays, the key changes.
  const colon = provider.kind === "certificate" && provider.id === "paypal" ? secret.indexOf(":") : -1;
  const keyText = colon > 0 ? secret.slice(colon + 1) : secret;
  const key = privateKeyOf(keyText);
  if (key !== null) return (colon > 0 ? secret.slice(0, colon + 1) : "") + anotherKeyLike(key, keyText);
  if (provider.kind === "certificate") {
    // A key in a form hooktape reads but node does not parse here (a raw P-256 scalar in hex): another P-256 key.
    const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    return (colon > 0 ? secret.slice(0, colon + 1) : "") + other;
  }
  if (provider.kind === "token" && provider.headers[0] === "authorization" && secret.includes(":")) {
    // HTTP Basic credentials: the configured user, a wrong password.
    const user = secret.slice(0, secret.indexOf(":"));
    return `${user}:${wrongText(secret.slice(user.length + 1))}`;
  }
  const prefix = /^[a-z]+_/i.exec(secret)?.[0] ?? "";
  const wrong = prefix + wrongText(secret.slice(prefix.length));
  return wrong === secret ? wrongSecretLike(secret + "x", provider) : wrong;
}

/** Text of the same alphabet and length: hex stays hex (in its case), base64 stays base64, anything else base64url. */
function wrongText(rest: string): string {
  if (/^[0-9a-f]+$/.test(rest)) return randomBytes(Math.ceil(rest.length / 2)).toString("hex").slice(0, rest.length);
  if (/^[0-9A-F]+$/.test(rest)) return randomBytes(Math.ceil(rest.length / 2)).toString("hex").slice(0, rest.length).toUpperCase();
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(rest) && rest.length % 4 === 0) return randomBytes(Math.max(1, Buffer.from(rest, "base64").length)).toString("base64");
  return randomBytes(Math.max(8, rest.length)).toString("base64url").slice(0, Math.max(8, rest.length));
}

/** The private key a secret holds, as a PEM or as base64 PKCS#8 DER; null when it is not one. */
function privateKeyOf(text: string): KeyObject | null {
  const trimmed = text.trim();
  try {
    if (trimmed.includes("-----BEGIN")) return createPrivateKey(trimmed);
    if (!/^MII[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return null;
    return createPrivateKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "pkcs8" });
  } catch {
    return null;
  }
}

/** A new key pair's private key, of the same type (RSA of the same size, the same curve), in the same encoding. */
function anotherKeyLike(key: KeyObject, text: string): string {
  const details = key.asymmetricKeyDetails;
  const other =
    key.asymmetricKeyType === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: details?.modulusLength ?? 2048 }).privateKey
      : key.asymmetricKeyType === "ed25519"
        ? generateKeyPairSync("ed25519").privateKey
        : generateKeyPairSync("ec", { namedCurve: details?.namedCurve ?? "P-256" }).privateKey;
  return text.includes("-----BEGIN") ? other.export({ format: "pem", type: "pkcs8" }).toString() : other.export({ format: "der", type: "pkcs8" }).toString("base64");
}
