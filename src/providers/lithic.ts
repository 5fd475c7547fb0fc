import { createStandardWebhooksProvider } from "./schemes/standard-webhooks.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://github.com/lithic-com/lithic-node/blob/main/src/resources/webhooks.ts — lithic-node's verifySignature hands
// the three webhook-* headers to the `standardwebhooks` library with the whsec_ secret. Lithic delivers through Svix
// (its docs' "webhook-*" headers and retry schedule are Svix's).
export const lithic = createStandardWebhooksProvider({
  id: "lithic",
  name: "Lithic",
  docs: "https://docs.lithic.com/docs/events-api#verifying-webhooks",
  headerPrefix: "webhook",
  // https://docs.lithic.com/docs/events-api — `event_type` (`card.created`, `dispute.updated`).
  eventType: eventTypeFrom(json("event_type")),
  aliasOf: "standard-webhooks",
});
