import { REDACTED } from "../core/redact.js";
import type { HeaderPairs, SentRequest } from "../core/types.js";
import { isForwardedHeader, type OutboundRequest } from "./deliver.js";

/** Shorter secrets are not looked for inside other values: a 3-character secret would match by chance. */
const MIN_SECRET_SEARCHED = 8;

/**
 * What an attempt records of the request it sent: the headers the HTTP client was given (hop-by-hop ones dropped, as
 * deliver drops them), each named in `secretHeaders` (lower-case) or holding one of `secrets` written `[redacted]`,
 * and the body only when it is not `eventBody` byte for byte.
 */
export function sentRequestOf(
  request: OutboundRequest,
  eventBody: Buffer,
  secretHeaders: readonly string[],
  secrets: readonly string[] = [],
): SentRequest {
  const searched = secrets.filter((secret) => secret.length >= MIN_SECRET_SEARCHED);
  const headers: HeaderPairs = [];
  for (const [name, value] of request.headers) {
    if (!isForwardedHeader(name)) continue;
    const secret = secretHeaders.includes(name.toLowerCase()) || searched.some((s) => value.includes(s));
    headers.push([name, secret ? REDACTED : value]);
  }
  const same = request.body === eventBody || request.body.equals(eventBody);
  return { headers, body: same ? null : request.body };
}
