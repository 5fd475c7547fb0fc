import { DIGITS_RE } from "./checks.js";
import { defineHmacScheme, type ParsedSignature } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { both, eventTypeFrom, json } from "./event-type.js";

// https://docs.recurly.com/recurly-subscriptions/docs/signature-verification — `recurly-signature: <unix ms>,<hex>
// [,<hex>]`: a timestamp in milliseconds, then one hex HMAC-SHA256 over "<timestamp>.<body>" per active key (two
// during a rotation). The client libraries' default tolerance is 5 minutes, in the past only. (The docs' prose once
// said seconds; the example and the Go client use milliseconds, which we follow.)
function parseRecurly(value: string): ParsedSignature | null {
  const [timestamp, ...signatures] = value.split(",").map((item) => item.trim());
  if (timestamp === undefined || !DIGITS_RE.test(timestamp)) return null;
  const kept = signatures.filter((s) => s.length > 0);
  return kept.length > 0 ? { signatures: kept, timestamp } : null;
}

export const recurly = defineHmacScheme({
  id: "recurly",
  name: "Recurly",
  docs: "https://docs.recurly.com/recurly-subscriptions/docs/signature-verification",
  headers: ["recurly-signature"],
  // https://recurly.com/developers/guides/webhooks.html — JSON notifications name `object_type` and `event_type`: `account.created`.
  eventType: eventTypeFrom(both(json("object_type"), json("event_type"))),
  signatureHeader: "recurly-signature",
  algorithm: "sha256",
  encoding: "hex",
  parse: parseRecurly,
  format: (signature, timestamp) => `${timestamp},${signature}`,
  timestamp: { in: "signature", unit: "ms" },
  toleranceSec: 300,
  signs: ["timestamp", { text: "." }, "body"],
  retry: {
    // https://docs.recurly.com/recurly-subscriptions/docs/webhooks — a failed notification is retried up to 10 times
    // with growing waits; the waits are ours.
    delaysSec: backoff(60, 2, 14_400, 10),
    docs: "https://docs.recurly.com/recurly-subscriptions/docs/webhooks",
  },
  // The notification id stays; each attempt is signed with its own timestamp.
  dedup: { keys: [{ json: "id", example: "pl5d6gvfqz68" }], attempts: "resigned" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
