import { COMPACT_JSON } from "./json-shape.js";
import { createStandardWebhooksProvider } from "./schemes/standard-webhooks.js";

// https://clerk.com/docs/webhooks/sync-data — Clerk delivers through Svix.
export const clerk = createStandardWebhooksProvider({
  id: "clerk",
  // https://clerk.com/docs/webhooks/sync-data — a Svix delivery of `user.created`.
  sample: (ids, nowMs) => ({
    value: {
      data: {
        id: `user_${ids.token(13)}`,
        object: "user",
        first_name: "Zoë",
        last_name: "Müller",
        email_addresses: [{ id: `idn_${ids.token(13)}`, email_address: "zoe@example.com", object: "email_address" }],
        image_url: "https://img.clerk.com/hooktape",
        created_at: nowMs,
        updated_at: nowMs,
      },
      event_attributes: { http_request: { client_ip: "192.0.2.1", user_agent: "Mozilla/5.0 (hooktape)" } },
      object: "event",
      timestamp: nowMs,
      type: "user.created",
    },
  }),
  name: "Clerk",
  docs: "https://clerk.com/docs/webhooks/sync-data",
  headerPrefix: "svix",
  aliasOf: "svix",
  // Delivered through Svix, as Clerk writes it: compact.
  jsonShape: COMPACT_JSON,
});
