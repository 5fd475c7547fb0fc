import { createStandardWebhooksProvider } from "./schemes/standard-webhooks.js";
import { backoff } from "./retry.js";

// https://github.com/replicate/replicate-javascript/blob/main/lib/util.js — `validateWebhook` decodes the base64
// after the last `_` of the secret and checks no timestamp age; we keep the standard's ±300 s (pass --tolerance to
// widen it when checking old captures).
export const replicate = createStandardWebhooksProvider({
  id: "replicate",
  name: "Replicate",
  docs: "https://replicate.com/docs/topics/webhooks/verify-webhook",
  headerPrefix: "webhook",
  // A delivery is the prediction itself, in whatever state it reached: it names no event.
  eventType: null,
  aliasOf: "standard-webhooks",
  retry: {
    // https://replicate.com/docs/topics/webhooks/receive-webhook — terminal events are retried with backoff for a
    // while; neither the count nor the waits are published, so these are ours.
    delaysSec: backoff(5, 2, 600, 6),
    docs: "https://replicate.com/docs/topics/webhooks/receive-webhook",
  },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
