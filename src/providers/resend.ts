import { COMPACT_JSON } from "./json-shape.js";
import { createStandardWebhooksProvider } from "./schemes/standard-webhooks.js";
import { isoTime } from "./sample.js";

// https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests — Resend delivers through Svix.
export const resend = createStandardWebhooksProvider({
  id: "resend",
  // https://resend.com/docs/dashboard/webhooks/event-types#email-delivered
  sample: (ids, nowMs) => ({
    value: {
      type: "email.delivered",
      created_at: isoTime(nowMs),
      data: {
        email_id: ids.uuid(),
        from: "Zoë Müller <zoe@example.com>",
        to: ["delivered@resend.dev"],
        subject: "Café / order confirmation",
        created_at: isoTime(nowMs),
      },
    },
  }),
  name: "Resend",
  docs: "https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests",
  headerPrefix: "svix",
  aliasOf: "svix",
  // Delivered through Svix, as Resend writes it: compact.
  jsonShape: COMPACT_JSON,
});
