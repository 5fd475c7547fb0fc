import type { EventSummary } from "./api.js";
import { deliveryErrorInWords, deliveryInWords, statusClass, verificationInWords } from "./format.js";

/** The signature verdict in words ("signed too long ago"), as the CLI says it; the code stays in the API. */
export function VerdictBadge({ event }: { event: Pick<EventSummary, "verification" | "rejected"> }) {
  if (event.rejected) return <span class="badge badge-invalid">rejected: too large</span>;
  const { status } = event.verification;
  const mark = status === "valid" ? "✓" : status === "unverified" ? "·" : "✗";
  return <span class={`badge badge-${status}`}>{`${mark} ${verificationInWords(event.verification)}`}</span>;
}

/** The handler's answer: its status, or why there was none in a few words (the sentence on hover). */
export function DeliveryStatus({ delivery }: { delivery: { status: number | null; error: string | null } | null }) {
  const title = delivery !== null && delivery.status === null ? deliveryErrorInWords(delivery.error) : undefined;
  return (
    <span class={`delivery-status ${statusClass(delivery)}`} title={title}>
      {deliveryInWords(delivery)}
    </span>
  );
}
