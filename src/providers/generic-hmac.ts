import { defineHmacScheme, type HmacAlgorithm, type SignatureEncoding } from "./schemes/hmac-scheme.js";
import type { Provider } from "./types.js";

/** The settings of the generic scheme (`--hmac-header`, `--hmac-algorithm`, `--hmac-encoding`, `--hmac-prefix`). */
export interface HmacSettings {
  header: string;
  algorithm: HmacAlgorithm;
  encoding: SignatureEncoding;
  prefix: string;
}

/** The common `X-Signature: sha256=<hex HMAC-SHA256 of the body>`. */
export const DEFAULT_HMAC_SETTINGS: HmacSettings = {
  header: "X-Signature",
  algorithm: "sha256",
  encoding: "hex",
  prefix: "sha256=",
};

/**
 * The generic scheme for senders hooktape does not list: an HMAC of the raw body under a configurable
 * header. When only the algorithm is changed, the prefix follows it (`sha1=`), since that is the
 * convention of every sender that uses one.
 */
export function createGenericHmacProvider(settings: Partial<HmacSettings> = {}): Provider {
  const algorithm = settings.algorithm ?? DEFAULT_HMAC_SETTINGS.algorithm;
  const header = settings.header ?? DEFAULT_HMAC_SETTINGS.header;
  const prefix = settings.prefix ?? (settings.algorithm === undefined ? DEFAULT_HMAC_SETTINGS.prefix : `${algorithm}=`);
  return defineHmacScheme({
    id: "hmac",
    name: "Generic HMAC",
    docs: "https://github.com/hooktape/hooktape#generic-hmac",
    headers: [header.toLowerCase()],
    signatureHeader: header,
    algorithm,
    encoding: settings.encoding ?? DEFAULT_HMAC_SETTINGS.encoding,
    prefix,
    signs: ["body"],
    // Unknown sender: no published schedule, so none is assumed (a replay with --retry exp:... can model one).
    retry: { delaysSec: [], docs: "https://github.com/hooktape/hooktape#generic-hmac" },
    // Unknown sender: the common `id` member of the body.
    dedup: { keys: [{ json: "id", example: "evt_1" }], attempts: "same-bytes" },
    // Unknown sender: 10 s is the most common webhook timeout (GitHub, GitLab, Bitbucket).
    deadlineMs: 10_000,
  });
}
