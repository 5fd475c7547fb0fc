import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { Provider } from "../providers/types.js";

/**
 * A secret of the same shape as the real one but not it, so that the only thing wrong with the request is
 * who signed it: `whsec_` + base64 for Stripe/Standard Webhooks, hex for hex, another key pair for
 * Ed25519/ECDSA schemes.
 */
export function wrongSecretLike(secret: string, provider: Provider): string {
  if (provider.kind === "ed25519") return generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  if (provider.kind === "certificate") {
    // Another key of the same type, keeping PayPal's `<webhook id>:` so that only the key is wrong.
    const colon = provider.id === "paypal" ? secret.indexOf(":") : -1;
    const rsa = provider.id === "paypal" || provider.id === "sns";
    const other = (rsa ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" })).privateKey;
    return (colon > 0 ? secret.slice(0, colon + 1) : "") + other.export({ format: "pem", type: "pkcs8" }).toString();
  }
  if (provider.kind === "ecdsa") {
    return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  }
  const prefix = /^[a-z]+_/i.exec(secret)?.[0] ?? "";
  const rest = secret.slice(prefix.length);
  let candidate: string;
  if (/^[0-9a-f]+$/.test(rest)) candidate = randomBytes(Math.ceil(rest.length / 2)).toString("hex").slice(0, rest.length);
  else if (/^[0-9A-F]+$/.test(rest)) candidate = randomBytes(Math.ceil(rest.length / 2)).toString("hex").slice(0, rest.length).toUpperCase();
  else if (/^[A-Za-z0-9+/]+={0,2}$/.test(rest) && rest.length % 4 === 0) {
    candidate = randomBytes(Math.max(1, Buffer.from(rest, "base64").length)).toString("base64");
  } else candidate = randomBytes(Math.max(8, rest.length)).toString("base64url").slice(0, Math.max(8, rest.length));
  const wrong = prefix + candidate;
  return wrong === secret ? wrongSecretLike(secret + "x", provider) : wrong;
}
