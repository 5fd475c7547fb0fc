import { isCertificateScheme, secretsWithCertificate } from "../providers/schemes/certificate.js";
import type { Provider, VerifyOptions, VerifyRequest, VerifyResult } from "../providers/types.js";
import type { CertificateFetcher } from "./fetch-certificate.js";

/**
 * Verifies as `provider.verify` does, and with --fetch-certs, when the configured keys do not verify a certificate
 * scheme's delivery, once more with the certificate it names (fetched from the provider's own hosts only). A fetch
 * that fails or is refused is said in the verdict's hint; the request is never verified against anything else.
 */
export async function verifyFetchingCertificates(
  provider: Provider,
  request: VerifyRequest,
  secrets: readonly string[],
  options: VerifyOptions,
  fetcher: CertificateFetcher | null,
): Promise<VerifyResult> {
  const first = provider.verify(request, secrets, options);
  if (fetcher === null || first.valid || !isCertificateScheme(provider)) return first;
  // Only a key problem is worth a fetch; a malformed or refused delivery stays what it is.
  if (first.reason !== "no_secret" && first.reason !== "no_matching_signature" && first.reason !== "malformed_key") return first;
  const reference = provider.keyReferenceOf(request);
  if (reference === null) return first;
  const fetched = await fetcher.fetch(provider, reference);
  if (!fetched.ok) return { ...first, hint: first.hint === undefined ? fetched.reason : `${first.hint}; ${fetched.reason}` };
  const extra = secretsWithCertificate(provider, secrets, fetched.key);
  if (extra.length === 0) {
    return { valid: false, provider: provider.id, reason: "no_secret", hint: `fetched ${reference.value}, but ${provider.name} also signs your webhook id: give it with --secret <webhook id>` };
  }
  return provider.verify(request, [...secrets, ...extra], options);
}
