import type { EventSummary } from "./api.js";

/** The signature verdict: valid / invalid with the reason / missing / unverified. */
export function VerdictBadge({ event }: { event: Pick<EventSummary, "verification" | "rejected" | "provider"> }) {
  if (event.rejected) return <span class="badge badge-invalid">rejected: too large</span>;
  const { status, reason } = event.verification;
  const text =
    status === "valid" ? "valid" : status === "invalid" ? `invalid: ${reason ?? "signature"}` : status === "missing" ? "missing signature" : reason === "no_secret" ? "unverified: no secret" : "unverified";
  return <span class={`badge badge-${status}`}>{text}</span>;
}
