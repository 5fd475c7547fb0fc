import { createStandardWebhooksProvider } from "./schemes/standard-webhooks.js";

// https://clerk.com/docs/webhooks/sync-data — Clerk delivers through Svix.
export const clerk = createStandardWebhooksProvider({ id: "clerk", name: "Clerk", docs: "https://clerk.com/docs/webhooks/sync-data", headerPrefix: "svix", aliasOf: "svix" });
