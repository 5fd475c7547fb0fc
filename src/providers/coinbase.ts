import { COMPACT_JSON } from "./json-shape.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";
import { isoSeconds } from "./sample.js";

// https://docs.cdp.coinbase.com/commerce/docs/webhooks-security — Coinbase Commerce: `X-CC-Webhook-Signature`,
// hex HMAC-SHA256 of the body with the shared secret.
export const coinbase = defineHmacScheme({
  id: "coinbase",
  // https://docs.cdp.coinbase.com/commerce-onchain/docs/webhooks — charge:confirmed
  sample: (ids, nowMs) => ({
    value: {
      id: ids.number(6),
      scheduled_for: isoSeconds(nowMs),
      attempt_number: 1,
      event: {
        id: ids.uuid(),
        resource: "event",
        type: "charge:confirmed",
        api_version: "2018-03-22",
        created_at: isoSeconds(nowMs),
        data: {
          code: ids.token(4).toUpperCase(),
          name: "Café crème",
          description: "Zoë's order / #7",
          hosted_url: "https://commerce.coinbase.com/charges/HOOKTAPE",
          pricing: { local: { amount: "7.47", currency: "EUR" } },
        },
      },
    },
  }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "Coinbase Commerce",
  docs: "https://docs.cdp.coinbase.com/commerce/docs/webhooks-security",
  headers: ["x-cc-webhook-signature"],
  // https://docs.cdp.coinbase.com/commerce-onchain/docs/webhooks — `event.type` (`charge:confirmed`).
  eventType: eventTypeFrom(json("event.type")),
  signatureHeader: "X-CC-Webhook-Signature",
  algorithm: "sha256",
  encoding: "hex",
  signs: ["body"],
  retry: {
    // https://docs.cdp.coinbase.com/commerce/docs/webhooks — retried with exponential backoff for up to 3 days;
    // the waits are ours (doubling from 1 min, capped at 12 h).
    delaysSec: backoff(60, 2, 43_200, 15),
    docs: "https://docs.cdp.coinbase.com/commerce/docs/webhooks",
  },
  // event.id names the event (the top-level id is the delivery's). A retry repeats the first attempt's bytes: the
  // signature covers the body and no time.
  dedup: { keys: [{ json: "event.id", example: "24934862-d980-46cb-9402-43c81b0cdba6" }], attempts: "same-bytes" },
  // Not published (https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-overview gives no figure);
  // assumed 10 s: No read timeout published; 10 s is the common default for payment webhooks.
  deadlineMs: 10_000,
});
