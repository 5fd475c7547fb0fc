import { keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./hmac-scheme.js";

// https://linear.app/developers/webhooks#securing-webhooks — `Linear-Signature`: hex HMAC-SHA256 of the
// body; the body's `webhookTimestamp` (unix ms) must be within 60 s of now, in either direction, as
// @linear/sdk's LinearWebhooks.verify checks it.
const KEY = Buffer.from('"webhookTimestamp"');

/** The top-level `webhookTimestamp` digits, found without parsing the whole JSON (this runs per request). */
function readWebhookTimestamp(body: Buffer): string | undefined {
  const at = body.indexOf(KEY);
  if (at === -1) return undefined;
  let i = at + KEY.length;
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x3a || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09)) i++;
  const start = i;
  while (i < body.length && (body[i] as number) >= 0x30 && (body[i] as number) <= 0x39) i++;
  return i > start ? body.toString("latin1", start, i) : "";
}

export const linear = defineHmacScheme({
  id: "linear",
  name: "Linear",
  docs: "https://linear.app/developers/webhooks#securing-webhooks",
  headers: ["linear-signature", "linear-delivery", "linear-event"],
  signatureHeader: "Linear-Signature",
  algorithm: "sha256",
  encoding: "hex",
  timestamp: { in: "body", read: readWebhookTimestamp, unit: "ms" },
  toleranceSec: 60,
  rejectsFuture: true,
  content: (m) => [m.body],
  extraHeaders: (input) => [
    keepOrDefault(input.headers, "Linear-Delivery", input.id),
    keepOrDefault(input.headers, "Linear-Event", "Issue"),
    keepOrDefault(input.headers, "User-Agent", "Linear-Webhook"),
  ],
  retry: {
    // https://linear.app/developers/webhooks — failed deliveries are retried 3 times: after 1 minute,
    // 1 hour and 6 hours.
    delaysSec: [60, 3600, 21_600],
    docs: "https://linear.app/developers/webhooks",
  },
  // Same page asks for a 200 within 5 seconds.
  deadlineMs: 5_000,
});
