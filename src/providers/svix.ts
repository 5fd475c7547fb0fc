import { COMPACT_JSON } from "./json-shape.js";
import { createStandardWebhooksProvider } from "./schemes/standard-webhooks.js";

// https://docs.svix.com/receiving/verifying-payloads/how-manual — the same scheme with `svix-*` headers.
export const svix = createStandardWebhooksProvider({
  id: "svix",
  name: "Svix",
  docs: "https://docs.svix.com/receiving/verifying-payloads/how-manual",
  headerPrefix: "svix",
  // Svix signs and sends the bytes its customer gave: compact.
  jsonShape: COMPACT_JSON,
});
