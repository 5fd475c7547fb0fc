import type { ParsedSignature } from "./schemes/hmac-scheme.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";
import { isoTime } from "./sample.js";

// https://github.com/orbcorp/orb-node/blob/main/src/resources/webhooks.ts — `X-Orb-Signature: v1=<hex>` (a
// space-separated list), HMAC-SHA256 keyed with the secret's UTF-8 bytes over `v1:<X-Orb-Timestamp>:<body>`.
// The timestamp is ISO 8601 without a zone (`2024-03-27T15:42:29.551`), which the SDK reads as UTC; it rejects a
// timestamp more than 5 minutes away in either direction.
function parseOrb(value: string): ParsedSignature | null {
  const signatures: string[] = [];
  for (const item of value.split(" ")) if (item.startsWith("v1=") && item.length > 3) signatures.push(item.slice(3));
  return signatures.length > 0 ? { signatures } : null;
}

export const orb = defineHmacScheme({
  id: "orb",
  // https://docs.withorb.com/integrations-and-exports/webhooks — subscription.started
  sample: (ids, nowMs) => ({
    value: {
      id: ids.token(11),
      created_at: isoTime(nowMs),
      type: "subscription.started",
      properties: {},
      subscription: { id: ids.token(11), status: "active", customer: { id: ids.token(11), name: "Zoë Müller", email: "zoe@example.com" }, start_date: isoTime(nowMs) },
    },
  }),
  name: "Orb",
  docs: "https://docs.withorb.com/integrations-and-exports/webhooks",
  headers: ["x-orb-signature", "x-orb-timestamp"],
  // https://docs.withorb.com/integrations-and-exports/webhooks — `type` (`subscription.started`).
  eventType: eventTypeFrom(json("type")),
  signatureHeader: "X-Orb-Signature",
  algorithm: "sha256",
  encoding: "hex",
  parse: parseOrb,
  format: (signature) => `v1=${signature}`,
  timestamp: { in: "header", header: "X-Orb-Timestamp", unit: "iso-utc" },
  toleranceSec: 300,
  rejectsFuture: true,
  signs: [{ text: "v1:" }, "timestamp", { text: ":" }, "body"],
  retry: {
    // Same page: failed deliveries are retried with exponential backoff; the waits are ours.
    delaysSec: backoff(60, 2, 14_400, 8),
    docs: "https://docs.withorb.com/integrations-and-exports/webhooks",
  },
  // The event id stays; each attempt is signed with its own X-Orb-Timestamp.
  dedup: { keys: [{ json: "id", example: "nYtQNgKdAZsw9Qy8" }], attempts: "resigned" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
