import { COMPACT_JSON } from "./json-shape.js";
import { createStandardWebhooksProvider } from "./schemes/standard-webhooks.js";

// https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests — Resend delivers through Svix.
export const resend = createStandardWebhooksProvider({
  id: "resend",
  name: "Resend",
  docs: "https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests",
  headerPrefix: "svix",
  aliasOf: "svix",
  // Delivered through Svix, as Resend writes it: compact.
  jsonShape: COMPACT_JSON,
});
