import { findHeader, keepOrDefault } from "./headers.js";
import { defineHmacScheme, type HmacSchemeSpec } from "./schemes/hmac-scheme.js";
import type { Provider } from "./types.js";
import { eventTypeFrom, header } from "./event-type.js";

// https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook —
// `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body, keyed with the app's client secret.
// @shopify/shopify-api `webhooks.validate` also requires the topic, API version, shop domain and webhook id.
// Events deliveries (https://shopify.dev/docs/apps/build/events) carry the same HMAC in `shopify-hmac-sha256`,
// the same headers without the `X-` prefix.
const webhooks: HmacSchemeSpec = {
  id: "shopify",
  // https://shopify.dev/docs/api/webhooks?reference=toml#list-orders/create
  sample: (ids) => ({
    value: {
      id: ids.number(13),
      email: "zoë@example.com",
      order_status_url: "https://example.myshopify.com/orders/hooktape/authenticate",
      total_price: "20.00",
      currency: "EUR",
      customer: { first_name: "Zoë", last_name: "Müller" },
    },
    headers: [["X-Shopify-Topic", "orders/create"]],
  }),
  // A captured orders payload (shopify-api-js#320): compact, `\/`, HTML characters as \u003c, non-ASCII raw.
  jsonShape: { indent: 0, escapeSlash: true, escapeHtml: true },
  name: "Shopify",
  docs: "https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook",
  headers: ["x-shopify-hmac-sha256", "x-shopify-topic", "x-shopify-shop-domain"],
  // https://shopify.dev/docs/api/webhooks — X-Shopify-Topic (`orders/create`); Events deliveries: shopify-topic.
  eventType: eventTypeFrom(header("x-shopify-topic"), header("shopify-topic")),
  signatureHeader: "X-Shopify-Hmac-Sha256",
  algorithm: "sha256",
  encoding: "base64",
  signs: ["body"],
  extraHeaders: (input) => [
    keepOrDefault(input.headers, "X-Shopify-Topic", "orders/create"),
    keepOrDefault(input.headers, "X-Shopify-Shop-Domain", "hooktape-test.myshopify.com"),
    keepOrDefault(input.headers, "X-Shopify-API-Version", "2025-10"),
    keepOrDefault(input.headers, "X-Shopify-Webhook-Id", input.id),
    keepOrDefault(input.headers, "X-Shopify-Event-Id", input.id),
    keepOrDefault(input.headers, "X-Shopify-Triggered-At", new Date(input.timestamp * 1000).toISOString()),
  ],
  retry: {
    // https://shopify.dev/changelog/updates-to-webhook-retry-mechanism — "retried a total of 8 times over
    // 4 hours using an exponential backoff schedule"; the waits are ours (doubling from 1 min, 4 h in all).
    delaysSec: [60, 120, 240, 480, 960, 1920, 3840, 6780],
    docs: "https://shopify.dev/changelog/updates-to-webhook-retry-mechanism",
  },
  // X-Shopify-Event-Id names the event (one event can reach several subscriptions, each with its own
  // X-Shopify-Webhook-Id);
  // a retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: {
    keys: [
      { header: "X-Shopify-Event-Id", example: "98880550-7158-44d4-b7cd-2c97c8a091b5" },
      { header: "X-Shopify-Webhook-Id", example: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043" },
    ],
    attempts: "same-bytes",
    docs: "https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates",
  },
  // https://shopify.dev/docs/apps/build/webhooks/subscribe/https — the provider waits 5 s for the answer, then
  // counts the attempt as failed.
  deadlineMs: 5_000,
  deadlinePublished: true,
};

const classic = defineHmacScheme(webhooks);
const events = defineHmacScheme({ ...webhooks, signatureHeader: "shopify-hmac-sha256" });

export const shopify: Provider = {
  ...classic,
  headers: ["x-shopify-hmac-sha256", "shopify-hmac-sha256", "x-shopify-topic", "shopify-topic"],
  detect: (headers) => classic.detect(headers) || events.detect(headers),
  verify(request, secrets, options) {
    const isEvents = findHeader(request.headers, "x-shopify-hmac-sha256") === undefined && findHeader(request.headers, "shopify-hmac-sha256") !== undefined;
    return (isEvents ? events : classic).verify(request, secrets, options);
  },
};
