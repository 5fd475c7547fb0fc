import { createStandardWebhooksProvider } from "./schemes/standard-webhooks.js";
import { backoff } from "./retry.js";

// https://github.com/polarsource/polar-js/blob/main/src/webhooks.ts — `validateEvent` base64-encodes the secret's
// UTF-8 bytes and hands that to `standardwebhooks`: the HMAC key is the whole secret (`polar_whs_...`) as UTF-8.
export const polar = createStandardWebhooksProvider({
  id: "polar",
  name: "Polar",
  docs: "https://docs.polar.sh/integrate/webhooks/delivery",
  headerPrefix: "webhook",
  aliasOf: "standard-webhooks",
  key: "utf8",
  keyForm: "the webhook secret as shown (polar_whs_...)",
  retry: {
    // Same page: up to 10 retries with exponential backoff; the waits are ours.
    delaysSec: backoff(10, 2, 3600, 10),
    docs: "https://docs.polar.sh/integrate/webhooks/delivery",
  },
  // Not published as a figure here; assumed 10 s.
  deadlineMs: 10_000,
});
