/**
 * Stripe event types hooktape can trigger: each names the resource of Stripe's OpenAPI fixtures
 * (stripe/openapi `openapi/fixtures3.json`, one example object per resource) that becomes `data.object`, the
 * fields that make that example the state the event reports (a `payment_intent.succeeded` carries a succeeded
 * intent), and, for `*.updated` events, the `data.previous_attributes` Stripe adds.
 * Types and states follow https://docs.stripe.com/api/events/types.
 */
export interface StripeEventRecipe {
  resource: string;
  /** Top-level fields of the object set for this event (null clears one). */
  set?: Readonly<Record<string, unknown>>;
  /** `data.previous_attributes`: the fields an update changed, as they were. */
  previous?: Readonly<Record<string, unknown>>;
}

const declined = {
  code: "card_declined",
  decline_code: "insufficient_funds",
  doc_url: "https://docs.stripe.com/error-codes/card-declined",
  message: "Your card has insufficient funds.",
  type: "card_error",
};

export const STRIPE_EVENTS: Readonly<Record<string, StripeEventRecipe>> = {
  "payment_intent.created": { resource: "payment_intent", set: { status: "requires_payment_method", last_payment_error: null, canceled_at: null, next_action: null } },
  "payment_intent.succeeded": {
    resource: "payment_intent",
    set: { status: "succeeded", amount_received: 1099, last_payment_error: null, canceled_at: null, next_action: null, latest_charge: "ch_3PgafyB7WZ01zgkW0AZNFh4Q" },
  },
  "payment_intent.payment_failed": { resource: "payment_intent", set: { status: "requires_payment_method", last_payment_error: declined, canceled_at: null, next_action: null } },
  "payment_intent.canceled": { resource: "payment_intent", set: { status: "canceled", cancellation_reason: "requested_by_customer", last_payment_error: null, next_action: null } },
  "payment_intent.processing": { resource: "payment_intent", set: { status: "processing", last_payment_error: null, canceled_at: null, next_action: null } },
  "payment_intent.requires_action": {
    resource: "payment_intent",
    set: { status: "requires_action", last_payment_error: null, canceled_at: null, next_action: { type: "use_stripe_sdk", use_stripe_sdk: {} } },
  },
  "payment_intent.amount_capturable_updated": {
    resource: "payment_intent",
    set: { status: "requires_capture", capture_method: "manual", amount_capturable: 1099, last_payment_error: null, canceled_at: null, next_action: null },
  },
  "charge.succeeded": { resource: "charge", set: { status: "succeeded", paid: true, captured: true } },
  "charge.failed": { resource: "charge", set: { status: "failed", paid: false, captured: false, failure_code: "card_declined", failure_message: "Your card was declined." } },
  "charge.captured": { resource: "charge", set: { status: "succeeded", paid: true, captured: true } },
  "charge.refunded": { resource: "charge", set: { status: "succeeded", paid: true, captured: true, refunded: true, amount_refunded: 1099 } },
  "charge.pending": { resource: "charge", set: { status: "pending", paid: false } },
  "charge.updated": { resource: "charge", set: { description: "Café crème × 2 — Zoë's order" }, previous: { description: null } },
  "charge.dispute.created": { resource: "dispute", set: { status: "needs_response" } },
  "charge.dispute.updated": { resource: "dispute", set: { status: "under_review" }, previous: { status: "needs_response" } },
  "charge.dispute.closed": { resource: "dispute", set: { status: "won" } },
  "charge.dispute.funds_withdrawn": { resource: "dispute", set: { status: "needs_response" } },
  "checkout.session.completed": { resource: "checkout.session", set: { status: "complete", payment_status: "paid" } },
  "checkout.session.expired": { resource: "checkout.session", set: { status: "expired", payment_status: "unpaid" } },
  "checkout.session.async_payment_succeeded": { resource: "checkout.session", set: { status: "complete", payment_status: "paid" } },
  "checkout.session.async_payment_failed": { resource: "checkout.session", set: { status: "complete", payment_status: "unpaid" } },
  "customer.created": { resource: "customer", set: { name: "Zoë Müller", email: "zoe@example.com" } },
  "customer.updated": { resource: "customer", set: { name: "Zoë Müller", email: "zoe.muller@example.com" }, previous: { email: "zoe@example.com" } },
  "customer.deleted": { resource: "customer", set: { name: "Zoë Müller", email: "zoe@example.com" } },
  "customer.subscription.created": { resource: "subscription", set: { status: "incomplete", canceled_at: null, cancel_at: null, ended_at: null } },
  "customer.subscription.updated": {
    resource: "subscription",
    set: { status: "active", canceled_at: null, cancel_at: null, ended_at: null },
    previous: { status: "incomplete" },
  },
  "customer.subscription.deleted": { resource: "subscription", set: { status: "canceled" } },
  "customer.subscription.trial_will_end": { resource: "subscription", set: { status: "trialing", canceled_at: null, cancel_at: null, ended_at: null } },
  "customer.subscription.paused": { resource: "subscription", set: { status: "paused", canceled_at: null, cancel_at: null, ended_at: null } },
  "customer.subscription.resumed": { resource: "subscription", set: { status: "active", canceled_at: null, cancel_at: null, ended_at: null } },
  "customer.discount.created": { resource: "discount" },
  "customer.discount.deleted": { resource: "discount" },
  "customer.tax_id.created": { resource: "tax_id" },
  "invoice.created": { resource: "invoice", set: { status: "draft", paid: false } },
  "invoice.finalized": { resource: "invoice", set: { status: "open", paid: false } },
  "invoice.finalization_failed": { resource: "invoice", set: { status: "draft", paid: false } },
  "invoice.paid": { resource: "invoice", set: { status: "paid", paid: true, attempted: true } },
  "invoice.payment_succeeded": { resource: "invoice", set: { status: "paid", paid: true, attempted: true } },
  "invoice.payment_failed": { resource: "invoice", set: { status: "open", paid: false, attempted: true, attempt_count: 1 } },
  "invoice.payment_action_required": { resource: "invoice", set: { status: "open", paid: false, attempted: true } },
  "invoice.upcoming": { resource: "invoice", set: { status: "draft", paid: false, id: null } },
  "invoice.updated": { resource: "invoice", set: { status: "open", description: "Abonnement — März" }, previous: { description: null } },
  "invoice.voided": { resource: "invoice", set: { status: "void", paid: false } },
  "invoice.marked_uncollectible": { resource: "invoice", set: { status: "uncollectible", paid: false } },
  "invoice.sent": { resource: "invoice", set: { status: "open", paid: false } },
  "invoice.overdue": { resource: "invoice", set: { status: "open", paid: false } },
  "invoice.deleted": { resource: "invoice", set: { status: "draft", paid: false } },
  "invoiceitem.created": { resource: "invoiceitem" },
  "payment_method.attached": { resource: "payment_method" },
  "payment_method.detached": { resource: "payment_method", set: { customer: null } },
  "payment_method.updated": { resource: "payment_method", previous: { billing_details: { name: null } } },
  "setup_intent.created": { resource: "setup_intent", set: { status: "requires_payment_method" } },
  "setup_intent.succeeded": { resource: "setup_intent", set: { status: "succeeded", last_setup_error: null } },
  "setup_intent.setup_failed": { resource: "setup_intent", set: { status: "requires_payment_method", last_setup_error: declined } },
  "setup_intent.canceled": { resource: "setup_intent", set: { status: "canceled", cancellation_reason: "requested_by_customer" } },
  "setup_intent.requires_action": { resource: "setup_intent", set: { status: "requires_action" } },
  "product.created": { resource: "product" },
  "product.updated": { resource: "product", set: { name: "Café crème" }, previous: { name: "Coffee" } },
  "product.deleted": { resource: "product", set: { active: false } },
  "price.created": { resource: "price" },
  "price.updated": { resource: "price", set: { nickname: "Mensuel" }, previous: { nickname: null } },
  "price.deleted": { resource: "price", set: { active: false } },
  "plan.created": { resource: "plan" },
  "coupon.created": { resource: "coupon" },
  "coupon.deleted": { resource: "coupon" },
  "promotion_code.created": { resource: "promotion_code" },
  "refund.created": { resource: "refund", set: { status: "pending" } },
  "refund.updated": { resource: "refund", set: { status: "succeeded" }, previous: { status: "pending" } },
  "refund.failed": { resource: "refund", set: { status: "failed", failure_reason: "expired_or_canceled_card" } },
  "payout.created": { resource: "payout", set: { status: "pending" } },
  "payout.paid": { resource: "payout", set: { status: "paid" } },
  "payout.failed": { resource: "payout", set: { status: "failed", failure_code: "account_closed", failure_message: "The bank account has been closed." } },
  "payout.canceled": { resource: "payout", set: { status: "canceled" } },
  "subscription_schedule.created": { resource: "subscription_schedule", set: { status: "not_started" } },
  "subscription_schedule.canceled": { resource: "subscription_schedule", set: { status: "canceled" } },
  "subscription_schedule.completed": { resource: "subscription_schedule", set: { status: "completed" } },
  "account.updated": { resource: "account", previous: { charges_enabled: false } },
  "balance.available": { resource: "balance" },
  "mandate.updated": { resource: "mandate", set: { status: "active" }, previous: { status: "pending" } },
  "payment_link.created": { resource: "payment_link" },
  "quote.finalized": { resource: "quote", set: { status: "open" } },
  "quote.accepted": { resource: "quote", set: { status: "accepted" } },
  "credit_note.created": { resource: "credit_note" },
  "review.opened": { resource: "review", set: { open: true } },
  "radar.early_fraud_warning.created": { resource: "radar.early_fraud_warning" },
  "transfer.created": { resource: "transfer" },
  "topup.succeeded": { resource: "topup", set: { status: "succeeded" } },
  "file.created": { resource: "file" },
  "billing_portal.session.created": { resource: "billing_portal.session" },
  "identity.verification_session.verified": { resource: "identity.verification_session", set: { status: "verified" } },
  "tax_rate.created": { resource: "tax_rate" },
};

/** The fixture resources the recipes use: what the build keeps of Stripe's fixtures. */
export function stripeResources(): string[] {
  return [...new Set(Object.values(STRIPE_EVENTS).map((recipe) => recipe.resource))].sort();
}
