import type { Provider } from "./types.js";

/** What a secret looks like for this provider, for the messages that ask for one (`--secret whsec_...`). */
export function secretExample(provider: Pick<Provider, "id" | "kind" | "name" | "secretForm">, purpose: "sign" | "verify"): string {
  if (provider.secretForm === "basic") return "user:password";
  if (provider.kind === "ed25519" || provider.kind === "ecdsa" || provider.secretForm === "rsa-key-pair") {
    return purpose === "sign"
      ? `<private key PEM> (a test pair: hooktape keygen --provider ${provider.id})`
      : `<public key as the ${provider.name} dashboard shows it>`;
  }
  if (provider.kind === "certificate") {
    const webhookId = provider.id === "paypal" ? "<webhook id>:" : "";
    return purpose === "sign"
      ? `"${webhookId}$(cat private.pem)" (a test key and certificate: hooktape keygen --provider ${provider.id})`
      : `"${webhookId}<the ${provider.name} certificate or public key, PEM or base64 DER>" (or add --fetch-certs)`;
  }
  if (["stripe", "standard-webhooks", "svix", "clerk", "resend"].includes(provider.id)) return "whsec_...";
  if (provider.kind === "token") return "<token>";
  return "<secret>";
}

/** What `--secret` takes for a provider: the form, in words for signing and for verifying, and an example value. */
export interface SecretForm {
  form: "shared-secret" | "token" | "basic-credentials" | "ed25519-key-pair" | "ecdsa-key-pair" | "rsa-key-pair" | "certificate";
  sign: string;
  verify: string;
  example: string;
}

const WHSEC_PROVIDERS = new Set(["stripe", "standard-webhooks", "svix", "clerk", "resend"]);

/** The secret form of every provider, from its kind and, where the kind does not say it, its `secretForm`. */
export function secretFormOf(provider: Pick<Provider, "id" | "kind" | "name" | "secretForm">): SecretForm {
  const keygen = `a test pair: hooktape keygen --provider ${provider.id}`;
  if (provider.kind === "ed25519") {
    return {
      form: "ed25519-key-pair",
      sign: `the Ed25519 private key, PKCS#8 PEM (${keygen})`,
      verify: `the public key as the ${provider.name} dashboard shows it (64 hex characters), or a PEM`,
      example: "e5b9a4c1f0d2e3b4a5968778695a4b3c2d1e0f1a2b3c4d5e6f708192a3b4c5d6",
    };
  }
  if (provider.kind === "ecdsa") {
    return {
      form: "ecdsa-key-pair",
      sign: `the P-256 private key, PKCS#8 PEM (${keygen})`,
      verify: `the public key as the ${provider.name} dashboard shows it (base64 DER, MFkw...), or a PEM`,
      example: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE...",
    };
  }
  if (provider.secretForm === "rsa-key-pair") {
    return {
      form: "rsa-key-pair",
      sign: `an RSA private key, PKCS#8 PEM or base64 DER (${keygen})`,
      verify: `the RSA public key ${provider.name} gives the app (base64 DER, MIIBIjAN..., or a PEM)`,
      example: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...",
    };
  }
  if (provider.kind === "certificate") {
    const webhookId = provider.id === "paypal" ? "<webhook id>:" : "";
    return {
      form: "certificate",
      sign: `${webhookId}the private key, PKCS#8 PEM (a test key and certificate: hooktape keygen --provider ${provider.id})`,
      verify: `${webhookId}the ${provider.name} signing certificate or public key, PEM or base64 DER (or listen --fetch-certs)`,
      example: `${webhookId}-----BEGIN CERTIFICATE-----...`,
    };
  }
  if (provider.secretForm === "basic") {
    return { form: "basic-credentials", sign: "user:password, as configured on the webhook", verify: "the same user:password", example: "hooktape:s3cret-password" };
  }
  if (provider.kind === "token") {
    return { form: "token", sign: "the token the sender is configured with", verify: "the same token", example: "a-long-random-token" };
  }
  const example = WHSEC_PROVIDERS.has(provider.id) ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : "a-long-random-secret";
  return { form: "shared-secret", sign: `the signing secret ${provider.name} shows for the endpoint`, verify: "the same secret", example };
}
