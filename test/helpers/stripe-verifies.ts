import Stripe from "stripe";

const stripe = new Stripe("sk_test_hooktape_helpers");

/** stripe-node's own check of a Stripe-Signature header (300 s tolerance by default); throws when it refuses. */
export function stripeVerifies(body: string | Buffer, header: string, secret: string, toleranceSec = 300): void {
  const signature = stripe.webhooks.signature;
  if (signature === null) throw new Error("this stripe-node has no webhooks.signature");
  signature.verifyHeader(body, header, secret, toleranceSec);
}
