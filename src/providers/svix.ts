import { COMPACT_JSON } from "./json-shape.js";
import { createStandardWebhooksProvider } from "./schemes/standard-webhooks.js";
import { isoTime } from "./sample.js";

// https://docs.svix.com/receiving/verifying-payloads/how-manual — the same scheme with `svix-*` headers.
export const svix = createStandardWebhooksProvider({
  id: "svix",
  // https://docs.svix.com/receiving/introduction — what a Svix customer sends: a `type` and its data.
  sample: (ids, nowMs) => ({
    value: { type: "invoice.paid", timestamp: isoTime(nowMs), data: { id: `inv_${ids.token()}`, customer: "Zoë Müller", url: "https://example.com/invoices/1" } },
  }),
  name: "Svix",
  docs: "https://docs.svix.com/receiving/verifying-payloads/how-manual",
  headerPrefix: "svix",
  // Svix signs and sends the bytes its customer gave: compact.
  jsonShape: COMPACT_JSON,
});
