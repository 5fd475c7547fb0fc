import { COMPACT_JSON } from "./json-shape.js";
import { createStandardWebhooksProvider, STANDARD_WEBHOOKS_DOCS } from "./schemes/standard-webhooks.js";

export const standardWebhooks = createStandardWebhooksProvider({
  id: "standard-webhooks",
  // The spec recommends minimised JSON.
  jsonShape: COMPACT_JSON,
  name: "Standard Webhooks",
  docs: STANDARD_WEBHOOKS_DOCS,
  headerPrefix: "webhook",
});
