import { createStandardWebhooksProvider } from "./schemes/standard-webhooks.js";
import { backoff } from "./retry.js";

// https://github.com/openai/openai-node/blob/master/src/resources/webhooks/webhooks.ts — base64 after `whsec_`,
// else the secret's UTF-8 bytes; ±300 s in both directions.
export const openai = createStandardWebhooksProvider({
  id: "openai",
  name: "OpenAI",
  docs: "https://platform.openai.com/docs/guides/webhooks",
  headerPrefix: "webhook",
  aliasOf: "standard-webhooks",
  key: "whsec-or-utf8",
  keyForm: "whsec_<base64> (or any text, used as UTF-8)",
  retry: {
    // Same page: failed deliveries are retried with exponential backoff for up to 72 hours; the waits are ours.
    delaysSec: backoff(30, 2, 21_600, 16),
    docs: "https://platform.openai.com/docs/guides/webhooks",
  },
  // Not published as a figure ("respond quickly"); assumed 10 s.
  deadlineMs: 10_000,
});
