import { createStandardWebhooksProvider } from "./schemes/standard-webhooks.js";
import { eventTypeFrom, json } from "./event-type.js";
import { backoff } from "./retry.js";

// https://developer.bigcommerce.com/docs/integrations/webhooks — webhook-* headers, HMAC keyed with the app's client
// secret as UTF-8 (bigcommerce/docs `https-webhook-overview.mdx`).
export const bigcommerce = createStandardWebhooksProvider({
  id: "bigcommerce",
  name: "BigCommerce",
  docs: "https://developer.bigcommerce.com/docs/integrations/webhooks",
  headerPrefix: "webhook",
  // https://developer.bigcommerce.com/docs/integrations/webhooks/events — `scope` (`store/order/created`).
  eventType: eventTypeFrom(json("scope")),
  aliasOf: "standard-webhooks",
  key: "utf8",
  keyForm: "the app's client secret",
  retry: {
    // https://developer.bigcommerce.com/docs/integrations/webhooks#callback-retry-mechanism — retries at growing
    // intervals for up to 48 hours; the waits are ours.
    delaysSec: backoff(60, 2, 28_800, 11),
    docs: "https://developer.bigcommerce.com/docs/integrations/webhooks#callback-retry-mechanism",
  },
  // Not published as a figure; assumed 10 s.
  deadlineMs: 10_000,
});
