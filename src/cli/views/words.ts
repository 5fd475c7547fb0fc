/**
 * Machine codes in the words a person reads. Human views use these; `--json` keeps the codes, which scripts match.
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

const DELIVERY_ERRORS: Record<string, string> = {
  timeout: "no answer in time",
  interrupted: "cut short by Ctrl-C",
  ECONNREFUSED: "connection refused — is the handler running?",
  ECONNRESET: "the handler reset the connection",
  EPIPE: "the handler closed the connection while the request was sent",
  UND_ERR_SOCKET: "the handler closed the connection without an answer",
  UND_ERR_CLOSED: "the connection was closed",
  UND_ERR_CONNECT_TIMEOUT: "could not connect in time",
  UND_ERR_HEADERS_OVERFLOW: "the answer's headers are too large",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed (temporary)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ECONNABORTED: "connection aborted",
  ERR_DELIVERY: "delivery failed",
};

/** A delivery error code (`UND_ERR_SOCKET`) in words; unknown codes as they are. */
export function deliveryErrorInWords(error: string | null): string {
  if (error === null) return "no answer";
  return DELIVERY_ERRORS[error] ?? error;
}

/**
 * The first line of a handler's answer, for a non-2xx ("Timestamp outside the tolerance zone"): text only,
 * control characters out, capped. Null when there is nothing readable.
 */
export function firstLineOf(body: Buffer, max = 120): string | null {
  if (body.length === 0) return null;
  const text = body.subarray(0, 4096).toString("utf8");
  if (text.includes("\uFFFD") && !Buffer.from(text, "utf8").equals(body.subarray(0, 4096))) {
    // Binary, or a multi-byte character cut at 4096: keep only what decoded cleanly.
    const clean = text.replace(/\uFFFD+$/, "");
    if (clean.includes("\uFFFD")) return null;
  }
  // eslint-disable-next-line no-control-regex
  const line = text.split(/\r?\n/).map((part) => part.replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim()).find((part) => part !== "");
  if (line === undefined) return null;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
