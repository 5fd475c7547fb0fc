import { PRETTY_JSON } from "./json-shape.js";
import { mismatchHint } from "./checks.js";
import { keepOrDefault } from "./headers.js";
import { defineHmacScheme, pairedSignature } from "./schemes/hmac-scheme.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://docs.stripe.com/webhooks#verify-manually — `Stripe-Signature: t=<unix s>,v1=<hex HMAC-SHA256>`
// over `<t>.<raw body>`, keyed with the literal `whsec_...` string; several v1 during a secret roll.
// stripe-node `src/Webhooks.ts` rejects only old timestamps (default tolerance 300 s).
export const stripe = defineHmacScheme({
  id: "stripe",
  // https://docs.stripe.com/api/events/object
  sample: (ids, nowMs) => ({
    value: {
      id: `evt_${ids.token()}`,
      object: "event",
      api_version: "2024-06-20",
      created: Math.floor(nowMs / 1000),
      data: {
        object: {
          id: `pi_${ids.token()}`,
          object: "payment_intent",
          amount: 2000,
          currency: "eur",
          description: "Café crème × 2 — Zoë's order",
          metadata: {},
          receipt_url: "https://pay.stripe.com/receipts/acct_hooktape/ch_hooktape",
          status: "succeeded",
        },
      },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: "payment_intent.succeeded",
    },
  }),
  // stripe-cli's debug log and Stripe's own answers about signature failures: two-space pretty JSON, LF.
  jsonShape: PRETTY_JSON,
  name: "Stripe",
  docs: "https://docs.stripe.com/webhooks#verify-manually",
  headers: ["stripe-signature"],
  // https://docs.stripe.com/api/events/object — `type` (`invoice.paid`).
  eventType: eventTypeFrom(json("type")),
  signatureHeader: "Stripe-Signature",
  algorithm: "sha256",
  encoding: "hex",
  ...pairedSignature({ separator: ",", timestampKey: "t", signatureKey: "v1" }),
  toleranceSec: 300,
  signs: ["timestamp", { text: "." }, "body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")],
  // A secret that is not whsec_... is most often the API key pasted in its place.
  mismatchHint: (secrets) =>
    secrets.every((s) => s.startsWith("whsec_") || s.trim() !== s)
      ? mismatchHint(secrets)
      : "Stripe endpoint secrets start with whsec_ — is this the API key instead of the endpoint's signing secret?",
  retry: {
    // https://docs.stripe.com/webhooks#retries — "In live mode, Stripe attempts to deliver a given event
    // for up to three days with an exponential back off." The exact waits are not published: this is a
    // doubling schedule from 1 minute, capped at 12 h, that ends just under three days.
    delaysSec: [60, 300, 1800, 3600, 7200, 14_400, 28_800, 43_200, 43_200, 43_200, 43_200],
    docs: "https://docs.stripe.com/webhooks#retries",
  },
  // Stripe signs every attempt when it sends it (a new t=, so other signature bytes); the event id stays.
  dedup: {
    keys: [{ json: "id", example: "evt_1NG8Du2eZvKYlo2CUI79vXWy" }],
    attempts: "resigned",
    docs: "https://docs.stripe.com/webhooks#handle-duplicate-events",
  },
  // While an endpoint secret is rolled, Stripe signs with both: `t=<t>,v1=<old>,v1=<new>`.
  rotation: {
    combine: (previous, current) => previous + current.slice(current.indexOf(",")),
    docs: "https://docs.stripe.com/webhooks#roll-endpoint-secrets",
  },
  // Not published by Stripe (its docs only ask for a prompt 2xx); assumed 30 s, the forwarding timeout of
  // Stripe's own CLI (stripe-cli pkg/proxy/endpoint.go).
  deadlineMs: 30_000,
});
