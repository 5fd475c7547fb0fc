import { COMPACT_JSON } from "./json-shape.js";
import { createStandardWebhooksProvider } from "./schemes/standard-webhooks.js";

// https://clerk.com/docs/webhooks/sync-data — Clerk delivers through Svix.
export const clerk = createStandardWebhooksProvider({
  id: "clerk",
  name: "Clerk",
  docs: "https://clerk.com/docs/webhooks/sync-data",
  headerPrefix: "svix",
  aliasOf: "svix",
  // Delivered through Svix, as Clerk writes it: compact.
  jsonShape: COMPACT_JSON,
});
