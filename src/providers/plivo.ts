import { defineHmacScheme } from "./hmac-scheme.js";
import { backoff } from "./retry.js";

// https://www.plivo.com/docs/voice/concepts/signature-validation — V2: `X-Plivo-Signature-V2: <base64 HMAC-SHA256
// of the URL without its query, followed by X-Plivo-Signature-V2-Nonce>` keyed with the auth token (plivo-node
// `validateSignature`). V2 does not sign the body: a valid signature says who called, not what was posted. (Plivo
// also sends V3, which signs the POST parameters with rules of its own; hooktape checks V2.)
function withoutQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

export const plivo = defineHmacScheme({
  id: "plivo",
  name: "Plivo (signature V2)",
  docs: "https://www.plivo.com/docs/voice/concepts/signature-validation",
  headers: ["x-plivo-signature-v2", "x-plivo-signature-v2-nonce"],
  signatureHeader: "X-Plivo-Signature-V2",
  algorithm: "sha256",
  encoding: "base64",
  idHeader: "X-Plivo-Signature-V2-Nonce",
  signsUrl: true,
  signedUrl: withoutQuery,
  signs: ["url", "id"],
  retry: {
    // Not documented as a schedule for callbacks; the waits are ours.
    delaysSec: backoff(30, 2, 600, 3),
    docs: "https://www.plivo.com/docs/voice/concepts/signature-validation",
  },
  // Not published; assumed 5 s.
  deadlineMs: 5_000,
});
