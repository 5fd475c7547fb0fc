import { badInput } from "../../core/errors.js";
import { getProvider, providers, type Provider } from "../../providers/index.js";
import { generateCertificateKey, isCertificateScheme } from "../../providers/schemes/certificate.js";
import { generateKeyPair } from "../../providers/keys.js";
import { outputFor, type GlobalFlags } from "../context.js";

/**
 * A test key pair, since nobody holds Discord's or SendGrid's private key; for the
 * certificate schemes (PayPal, Amazon SNS, Circle, eBay) also the self-signed certificate and the key id `sign`
 * writes into deliveries.
 */
/** A provider that signs with a private key and is verified with a public one (a certificate scheme included). */
function hasKeyPair(provider: Provider): boolean {
  return provider.kind === "ed25519" || provider.kind === "ecdsa" || provider.kind === "certificate" || provider.secretForm === "rsa-key-pair";
}

export function runKeygen(flags: GlobalFlags & { provider: string }): void {
  const output = outputFor(flags);
  const asymmetric = providers.filter(hasKeyPair).map((p) => p.id);
  const provider = getProvider(flags.provider);
  if (!provider) throw badInput(`Unknown --provider "${flags.provider}"; keygen is for ${asymmetric.join(", ")}`);
  const c = output.color;
  if (isCertificateScheme(provider)) {
    const key = generateCertificateKey(provider);
    const webhookId = provider.id === "paypal" ? "<webhook id>:" : "";
    if (output.json) {
      output.document({ privateKey: key.privateKey, publicKey: key.publicKey, certificate: key.certificate, keyId: key.keyId });
      return;
    }
    output.line(c.bold("Private key") + c.dim(` (sign: hooktape sign --provider ${provider.id} --secret "${webhookId}$(cat private.pem)"; listen and verify accept it too)`));
    output.line(key.privateKey.trimEnd());
    output.line("");
    if (key.certificate !== null) {
      output.line(c.bold("Certificate") + c.dim(` (verify: --secret "${webhookId}$(cat cert.pem)"; what your handler fetches from the certificate URL)`));
      output.line(key.certificate.trimEnd());
    } else {
      output.line(c.bold("Public key") + c.dim(` (verify: --secret <this>, the base64 DER form ${provider.name}'s API returns)`));
      output.line(key.publicKey);
    }
    output.line("");
    output.line(c.bold("Key id") + c.dim(" (written into each delivery sign makes)"));
    output.line(key.keyId);
    output.info("A test key: for fixtures and local handlers only; the real sender's private key is never available.");
    return;
  }
  if (!hasKeyPair(provider)) {
    throw badInput(`${provider.id} signs with a shared secret (${provider.kind}), not a key pair; keygen is for ${asymmetric.join(", ")}`);
  }
  // The key forms follow the asymmetric senders: Ed25519 as Discord shows it (hex), P-256 as SendGrid does (base64
  // DER), RSA as Wix gives it to the app (base64 DER).
  const pair = generateKeyPair(provider.kind === "ed25519" ? "discord" : provider.kind === "ecdsa" ? "sendgrid" : "rsa");
  if (output.json) {
    output.document({ privateKey: pair.privateKey, publicKey: pair.publicKey });
    return;
  }
  output.line(c.bold(`Private key`) + c.dim(` (sign: hooktape sign --provider ${provider.id} --secret "$(cat private.pem)")`));
  output.line(pair.privateKey.trimEnd());
  output.line("");
  output.line(c.bold(`Public key`) + c.dim(` (verify: --secret <this>, the form the ${provider.name} dashboard shows)`));
  output.line(pair.publicKey);
  output.info("A test pair: for fixtures and local handlers only; the real sender's private key is never available.");
}
