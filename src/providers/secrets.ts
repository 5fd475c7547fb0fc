import { isKnownProviderId } from "./provider-modules.js";
import type { Provider } from "./types.js";

/** What a secret looks like for this provider, for the messages that ask for one (`--secret whsec_...`). */
export function secretExample(provider: Pick<Provider, "id" | "kind" | "name">, purpose: "sign" | "verify"): string {
  if (provider.kind === "ed25519" || provider.kind === "ecdsa") {
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

/** `HOOKTAPE_SECRET_<ID>`: the id upper-cased, `-` as `_` (SPEC "Global behaviour"). */
export function secretEnvName(providerId: string): string {
  return `HOOKTAPE_SECRET_${providerId.toUpperCase().replace(/-/g, "_")}`;
}

/**
 * The secrets for `providerId`, in order: every `--secret` value meant for it, else the env var.
 * A value applies to another provider only when the text before its FIRST `=` is a known provider id
 * (`--secret github=abc`); anything else is a raw secret of the provider in use, because real secrets
 * contain `=` (base64 padding, `whsec_...=`) and must never be split.
 */
export function resolveSecrets(providerId: string, flagValues: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const secrets: string[] = [];
  for (const value of flagValues) {
    const eq = value.indexOf("=");
    const prefix = eq > 0 ? value.slice(0, eq) : "";
    if (prefix !== "" && isKnownProviderId(prefix)) {
      if (prefix === providerId && eq + 1 < value.length) secrets.push(value.slice(eq + 1));
    } else if (value.length > 0) {
      secrets.push(value);
    }
  }
  if (secrets.length > 0) return secrets;
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
