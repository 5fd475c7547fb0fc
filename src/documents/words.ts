/**
 * Machine codes in the words a person reads: one table for the CLI's human views and the inspector's page. `--json`
 * and the API keep the codes, which scripts match. Nothing here may need Node: the page bundles this file.
 */

const REASONS: Record<string, string> = {
  missing_header: "no signature header",
  malformed_header: "the signature header is malformed",
  no_matching_signature: "the signature does not match",
  timestamp_too_old: "signed too long ago",
  timestamp_too_new: "signed in the future",
  no_secret: "no secret to check it with",
  unknown_provider: "unknown provider",
  malformed_key: "the key is not in a usable form",
  missing_url: "the URL it was sent to is unknown",
};

/** A verification reason (`no_matching_signature`) in words ("the signature does not match"). */
export function reasonInWords(reason: string | null): string {
  if (reason === null) return "invalid";
  return REASONS[reason] ?? reason.replace(/_/g, " ");
}

/** A verdict in words: "valid", "the signature does not match", "missing signature", "no secret", "unverified". */
export function verificationInWords(verification: { status: string; reason: string | null }): string {
  switch (verification.status) {
    case "valid":
      return "valid";
    case "invalid":
      return reasonInWords(verification.reason);
    case "missing":
      return "missing signature";
    default:
      return verification.reason === "no_secret" ? "no secret" : "unverified";
  }
}

/** Each delivery error: a few words for a table cell, and the whole sentence for a line of its own. */
const DELIVERY_ERRORS: Record<string, readonly [short: string, long: string]> = {
  timeout: ["timeout", "no answer in time"],
  interrupted: ["cut short", "cut short by Ctrl-C"],
  ECONNREFUSED: ["connection refused", "connection refused — is the handler running?"],
  ECONNRESET: ["connection reset", "the handler reset the connection"],
  EPIPE: ["connection closed", "the handler closed the connection while the request was sent"],
  UND_ERR_SOCKET: ["closed, no answer", "the handler closed the connection without an answer"],
  UND_ERR_CLOSED: ["connection closed", "the connection was closed"],
  UND_ERR_CONNECT_TIMEOUT: ["connect timeout", "could not connect in time"],
  UND_ERR_HEADERS_OVERFLOW: ["headers too large", "the answer's headers are too large"],
  ENOTFOUND: ["host not found", "host not found"],
  EAI_AGAIN: ["host lookup failed", "host name lookup failed (temporary)"],
  EHOSTUNREACH: ["host unreachable", "host unreachable"],
  ENETUNREACH: ["network unreachable", "network unreachable"],
  ECONNABORTED: ["connection aborted", "connection aborted"],
  ERR_DELIVERY: ["delivery failed", "delivery failed"],
};

/** A code no table names, in words all the same: the connection library's codes and the system's. */
function unknownErrorInWords(error: string): string {
  return /^UND_ERR/.test(error) ? "connection error" : /^E[A-Z]+$/.test(error) ? "network error" : "delivery failed";
}

/** A delivery error code (`UND_ERR_SOCKET`) as a sentence; an unknown code in words, with the code for a search. */
export function deliveryErrorInWords(error: string | null): string {
  if (error === null) return "no answer";
  return DELIVERY_ERRORS[error]?.[1] ?? `${unknownErrorInWords(error)} (${error})`;
}

/** A delivery error code in a few words, never the code itself: what a status cell shows. */
export function deliveryErrorShort(error: string | null): string {
  if (error === null) return "no answer";
  return DELIVERY_ERRORS[error]?.[0] ?? unknownErrorInWords(error);
}

/** The handler's answer for a status cell: its status, or why there was none ("connection refused"); "—" when never sent. */
export function deliveryInWords(delivery: { status: number | null; error: string | null } | null): string {
  if (delivery === null) return "—";
  return delivery.status === null ? deliveryErrorShort(delivery.error) : String(delivery.status);
}
