import { isKnownProviderId } from "./provider-modules.js";
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

/** `HOOKTAPE_SECRET_<ID>`: the id upper-cased, `-` as `_` (SPEC "Global behaviour"). */
export function secretEnvName(providerId: string): string {
  return `HOOKTAPE_SECRET_${providerId.toUpperCase().replace(/-/g, "_")}`;
}

/**
 * The secrets to VERIFY a request of `providerId` with, in order: every `--secret` value meant for it, else the env
 * var. A value applies to another provider only when the text before its FIRST `=` is a known provider id
 * (`--secret github=abc`); anything else is an unnamed secret, because real secrets contain `=` (base64 padding,
 * `whsec_...=`) and must never be split. An unnamed secret is tried on whatever provider a request's headers name:
 * `listen --secret whsec_...` verifies without `--provider`. Verifying only yields a verdict for the user, never
 * anything keyed with the secret; what signs or answers uses `resolveSigningSecrets`.
 */
export function resolveSecrets(providerId: string, flagValues: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const secrets = secretFlagsFor(providerId, flagValues).map(({ value }) => value);
  return secrets.length > 0 ? secrets : secretFromEnv(providerId, env);
}

export interface SigningSecretOptions {
  /** `--provider`: the provider an unnamed `--secret` belongs to. */
  namedProvider?: string | undefined;
  /**
   * When re-signing something that already carries a signature (a captured event, a fixture): whether a secret
   * verifies that signature. An unnamed secret that does is the secret of whoever signed it.
   */
  signedWith?: ((secret: string) => boolean) | undefined;
}

/**
 * The secrets to SIGN or ANSWER for `providerId` with (re-sign a replay, a send or a preview, answer a handshake,
 * register a hook): those given for that provider by name — `--secret <id>=…`, an `<id>=` line of a `--secret-file`,
 * `HOOKTAPE_SECRET_<ID>` — and an unnamed one only when `--provider` names this provider, or when it verifies the
 * signature the event or fixture being re-signed already carries.
 *
 * A request's provider is whatever its headers claim, and anyone can send any headers: an unnamed secret handed to
 * the provider a stranger picked would sign a message of their choosing in that provider's format (X's CRC answer is
 * an HMAC of a token, which is a valid Mailgun signature of `timestamp+token`), or, for a token scheme (GitLab's
 * X-Gitlab-Token), be sent as it is. A secret that verifies a delivery's own signature is that sender's already.
 */
export function resolveSigningSecrets(
  providerId: string,
  flagValues: readonly string[],
  env: NodeJS.ProcessEnv,
  options: SigningSecretOptions = {},
): string[] {
  const unnamedServes = namesProvider(options.namedProvider, providerId) ? () => true : (options.signedWith ?? (() => false));
  const secrets = secretFlagsFor(providerId, flagValues)
    .filter(({ named, value }) => named || unnamedServes(value))
    .map(({ value }) => value);
  return secrets.length > 0 ? secrets : secretFromEnv(providerId, env);
}

function namesProvider(namedProvider: string | undefined, providerId: string): boolean {
  return namedProvider?.trim().toLowerCase() === providerId;
}

/**
 * How to give `provider` a secret to sign with, for the message when there is none: `--secret <secret>` when
 * `--provider` names it, else the named form, which an unnamed `--secret` must take.
 */
export function signingSecretFlag(provider: Pick<Provider, "id" | "kind" | "name">, namedProvider: string | undefined): string {
  const example = secretExample(provider, "sign");
  return namesProvider(namedProvider, provider.id) ? `--secret ${example}` : `--secret ${provider.id}=${example}`;
}

/** The `--secret` values that may be `providerId`'s, in the order given (rotation), each marked named or not. */
function secretFlagsFor(providerId: string, flagValues: readonly string[]): Array<{ value: string; named: boolean }> {
  const found: Array<{ value: string; named: boolean }> = [];
  for (const value of flagValues) {
    const eq = value.indexOf("=");
    const prefix = eq > 0 ? value.slice(0, eq) : "";
    if (prefix !== "" && isKnownProviderId(prefix)) {
      if (prefix === providerId && eq + 1 < value.length) found.push({ value: value.slice(eq + 1), named: true });
    } else if (value.length > 0) {
      found.push({ value, named: false });
    }
  }
  return found;
}

function secretFromEnv(providerId: string, env: NodeJS.ProcessEnv): string[] {
  const fromEnv = env[secretEnvName(providerId)];
  return fromEnv !== undefined && fromEnv.length > 0 ? [fromEnv] : [];
}

/**
 * The values of a `--secret-file`: one per line, read exactly as `--secret` values (so `provider=` prefixes work);
 * surrounding whitespace and a CR are dropped (editors add them, secrets never end in them), and blank lines and
 * `#` comments are skipped.
 */
export function parseSecretLines(text: string): string[] {
  const values: string[] = [];
  for (const line of text.split("\n")) {
    const value = line.trim();
    if (value === "" || value.startsWith("#")) continue;
    values.push(value);
  }
  return values;
}
