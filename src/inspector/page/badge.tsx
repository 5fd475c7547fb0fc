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
export function DeliveryStatus({ delivery }: { delivery: { status: number | null; error: string | null; kind?: string } | null }) {
  const title = delivery !== null && delivery.status === null ? deliveryErrorInWords(delivery.error) : undefined;
  // A replay's answer is marked, so that a re-signed edited replay is never read as a forgery the handler accepted.
  const replayed = delivery?.kind === "replay";
  return (
    <span class={`delivery-status ${statusClass(delivery)}`} title={replayed ? `a replay's answer${title ? `: ${title}` : ""}` : title}>
      {replayed ? `↻ ${deliveryInWords(delivery)}` : deliveryInWords(delivery)}
    </span>
  );
}
