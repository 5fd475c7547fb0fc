import { keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";
import { eventTypeFrom, header } from "./event-type.js";

// https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks — `X-WC-Webhook-Signature: <base64 HMAC-SHA256
// of the body>` keyed with the webhook's secret (`WC_Webhook::generate_signature`), with the topic, resource, event,
// webhook id, delivery id and source site in X-WC-Webhook-* headers.
export const woocommerce = defineHmacScheme({
  id: "woocommerce",
  name: "WooCommerce",
  docs: "https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks",
  headers: ["x-wc-webhook-signature", "x-wc-webhook-topic", "x-wc-webhook-source"],
  // https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks — X-WC-Webhook-Topic (`order.created`).
  eventType: eventTypeFrom(header("x-wc-webhook-topic")),
  signatureHeader: "X-WC-Webhook-Signature",
  algorithm: "sha256",
  encoding: "base64",
  signs: ["body"],
  extraHeaders: (input) => [
    keepOrDefault(input.headers, "X-WC-Webhook-Topic", "order.created"),
    keepOrDefault(input.headers, "X-WC-Webhook-Resource", "order"),
    keepOrDefault(input.headers, "X-WC-Webhook-Event", "created"),
    keepOrDefault(input.headers, "X-WC-Webhook-ID", "1"),
    keepOrDefault(input.headers, "X-WC-Webhook-Delivery-ID", input.id),
    keepOrDefault(input.headers, "X-WC-Webhook-Source", "https://shop.example.com/"),
  ],
  // Same page: a delivery is not retried; after 5 consecutive failures the webhook is disabled.
  retry: noRetries("https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks"),
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ header: "X-WC-Webhook-Delivery-ID", example: "3f1e7a6b9c2d4e8f0a1b2c3d4e5f6a7b" }], attempts: "same-bytes" },
  // Not published in the docs; assumed 60 s (the timeout WC_Webhook::deliver passes to wp_safe_remote_request).
  deadlineMs: 60_000,
});
