// The request every load generator sends: a 2 KB JSON webhook body and a real signature over it, so that
// hooktape's verification runs the full HMAC path (and finds it valid) on every request.
import { createHmac } from "node:crypto";

export const BODY_BYTES = 2048;

/**
 * A Stripe-like event padded to exactly `size` bytes. The content does not matter to the proxies; the size does.
 */
export function makeBody(size = BODY_BYTES) {
  const event = {
    id: "evt_1BenchmarkHooktape000001",
    object: "event",
    api_version: "2024-06-20",
    created: 1_767_225_600,
    type: "payment_intent.succeeded",
    livemode: false,
    pending_webhooks: 1,
    request: { id: "req_bench000001", idempotency_key: "bench-0001" },
    data: {
      object: {
        id: "pi_3BenchmarkHooktape0001",
        object: "payment_intent",
        amount: 2000,
        currency: "eur",
        customer: "cus_Bench0001",
        status: "succeeded",
        metadata: { order_id: "ord_0001", note: "" },
      },
    },
  };
  const empty = Buffer.byteLength(JSON.stringify(event));
  if (empty > size) throw new Error(`a body of ${size} bytes is too small for the sample event (${empty})`);
  event.data.object.metadata.note = "x".repeat(size - empty);
  const body = JSON.stringify(event);
  if (Buffer.byteLength(body) !== size) throw new Error("body size mismatch");
  return body;
}

/**
 * The signature header for `body`:
 * - `hmac`: hooktape's generic default, `X-Signature: sha256=<hex HMAC-SHA256 of the body>`;
 * - `stripe`: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`
 *   (https://docs.stripe.com/webhooks#verify-manually), valid for Stripe's 300 s tolerance from `nowSec`.
 * Returns the header and the `listen` flags that make hooktape verify it.
 */
export function signBody(body, scheme, nowSec = Math.floor(Date.now() / 1000)) {
  if (scheme === "hmac") {
    const secret = "bench-hmac-secret";
    const signature = createHmac("sha256", secret).update(body).digest("hex");
    return { name: "X-Signature", value: `sha256=${signature}`, listenFlags: ["--provider", "hmac", "--secret", secret] };
  }
  if (scheme === "stripe") {
    const secret = "whsec_benchStripeSecret0000000000";
    const signature = createHmac("sha256", secret).update(`${nowSec}.${body}`).digest("hex");
    return {
      name: "Stripe-Signature",
      value: `t=${nowSec},v1=${signature}`,
      listenFlags: ["--provider", "stripe", "--secret", secret],
    };
  }
  throw new Error(`unknown signature scheme "${scheme}" (hmac or stripe)`);
}
