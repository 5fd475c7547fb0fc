import { COMPACT_JSON } from "./json-shape.js";
import { createStandardWebhooksProvider, STANDARD_WEBHOOKS_DOCS } from "./schemes/standard-webhooks.js";
import { isoTime } from "./sample.js";

export const standardWebhooks = createStandardWebhooksProvider({
  id: "standard-webhooks",
  // https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#payload-structure
  sample: (ids, nowMs) => ({
    value: {
      type: "contact.created",
      timestamp: isoTime(nowMs),
      data: { id: `contact_${ids.token()}`, name: "Zoë Müller", profile_url: "https://example.com/contacts/1" },
    },
  }),
  // The spec recommends minimised JSON.
  jsonShape: COMPACT_JSON,
  name: "Standard Webhooks",
  docs: STANDARD_WEBHOOKS_DOCS,
  headerPrefix: "webhook",
});
