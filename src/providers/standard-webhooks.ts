import { createStandardWebhooksProvider, STANDARD_WEBHOOKS_DOCS } from "./schemes/standard-webhooks.js";

export const standardWebhooks = createStandardWebhooksProvider({
  id: "standard-webhooks",
  name: "Standard Webhooks",
  docs: STANDARD_WEBHOOKS_DOCS,
  headerPrefix: "webhook",
});
