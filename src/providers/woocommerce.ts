import { keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";
import { eventTypeFrom, header } from "./event-type.js";
import { isoSeconds } from "./sample.js";

// https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks — `X-WC-Webhook-Signature: <base64 HMAC-SHA256
// of the body>` keyed with the webhook's secret (`WC_Webhook::generate_signature`), with the topic, resource, event,
// webhook id, delivery id and source site in X-WC-Webhook-* headers.
export const woocommerce = defineHmacScheme({
  id: "woocommerce",
  // https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties — order.created
  sample: (ids, nowMs) => ({
    value: {
      id: ids.number(4),
      status: "processing",
      currency: "EUR",
      date_created: isoSeconds(nowMs).slice(0, -1),
      total: "29.35",
      billing: { first_name: "Zoë", last_name: "Müller", email: "zoe@example.com" },
      line_items: [{ id: ids.number(3), name: "Café crème — 250 g", quantity: 2, total: "19.90" }],
      payment_url: "https://example.com/checkout/order-pay/727/",
    },
    headers: [["X-WC-Webhook-Topic", "order.created"], ["X-WC-Webhook-Resource", "order"], ["X-WC-Webhook-Event", "created"], ["X-WC-Webhook-Source", "https://example.com/"]],
  }),
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
