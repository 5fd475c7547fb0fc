import { defineJwtScheme } from "./schemes/jwt.js";
import { backoff } from "./retry.js";

// https://dev.wix.com/docs/build-apps/develop-your-app/api-integrations/events-and-webhooks/handle-events-with-webhooks
// — the body IS a JWT, RS256, signed by Wix; verify it with the app's public key (from the app dashboard). The event
// is the token's `data` claim. Offline, `sign` takes an RSA private key of your own (PKCS#8 PEM or base64 DER) and
// `verify` its public key.
export const wix = defineJwtScheme({
  id: "wix",
  name: "Wix",
  docs: "https://dev.wix.com/docs/build-apps/develop-your-app/api-integrations/events-and-webhooks/handle-events-with-webhooks",
  algorithm: "RS256",
  carrier: { in: "body" },
  headers: [],
  toleranceSec: null,
  retry: {
    // Same page: a webhook that fails is retried with backoff; the waits are ours.
    delaysSec: backoff(60, 2, 14_400, 8),
    docs: "https://dev.wix.com/docs/build-apps/develop-your-app/api-integrations/events-and-webhooks/handle-events-with-webhooks",
  },
  // The event is the JSON in the token's data claim; each request is a new token.
  dedup: { keys: [{ json: "id", within: { jwtClaim: "data" }, example: "e4a3b8b2-6c1d-4f5e-8a9b-0c1d2e3f4a5b" }], attempts: "resigned" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
