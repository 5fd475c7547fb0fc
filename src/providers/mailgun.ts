import { COMPACT_JSON } from "./json-shape.js";
import { createHash, createHmac } from "node:crypto";
import { assertSecrets, DIGITS_RE, mismatchHint } from "./checks.js";
import { safeEqual } from "./compare.js";
import { findHeader } from "./headers.js";
import type { Provider, VerifyRequest, VerifyResult } from "./types.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks — the signature
// travels INSIDE the body: `signature: { timestamp, token, signature }` (JSON webhooks) or the `timestamp`,
// `token` and `signature` form fields (legacy); signature = hex HMAC-SHA256 of timestamp + token with the
// HTTP webhook signing key. The body itself is not signed, so a changed event body still verifies; Mailgun
// tells receivers to reject reused tokens instead. Mailgun publishes no tolerance, so none is enforced.
const DOCS = "https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks";

interface MailgunSignature {
  timestamp: string;
  token: string;
  signature: string;
}

function readSignature(body: Buffer): MailgunSignature | null {
  const text = body.toString("utf8");
  if (text.trimStart().startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(text);
      const sig = (parsed as { signature?: unknown }).signature;
      if (typeof sig !== "object" || sig === null) return null;
      const { timestamp, token, signature } = sig as Record<string, unknown>;
      if (typeof token !== "string" || typeof signature !== "string") return null;
      if (typeof timestamp !== "string" && typeof timestamp !== "number") return null;
      return { timestamp: String(timestamp), token, signature };
    } catch {
      return null;
    }
  }
  const form = new URLSearchParams(text);
  const timestamp = form.get("timestamp");
  const token = form.get("token");
  const signature = form.get("signature");
  return timestamp !== null && token !== null && signature !== null ? { timestamp, token, signature } : null;
}

function digest(key: string, timestamp: string, token: string): string {
  return createHmac("sha256", key).update(timestamp + token).digest("hex");
}

export const mailgun: Provider = {
  id: "mailgun",
  // https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhook-payloads — `signing` is written in by `sign`.
  sample: (ids, nowMs) => ({
    value: {
      "event-data": {
        id: ids.token(),
        event: "delivered",
        timestamp: nowMs / 1000,
        recipient: "zoë@example.com",
        message: { headers: { "message-id": `${ids.token()}@mg.example.com`, subject: "Café / order confirmation" } },
      },
    },
  }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "Mailgun",
  kind: "hmac",
  // No signature header exists; deliveries are recognised by Mailgun's user agent.
  headers: ["user-agent"],
  // https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhook-payloads — `event-data.event` (`delivered`).
  eventType: eventTypeFrom(json("event-data.event")),
  toleranceSec: null,
  rejectsFuture: false,
  // Not published (https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhook-retries gives no
  // figure); assumed 10 s: Mailgun publishes retry codes and schedule but no read timeout; 10 s is a common default
  // and safe for quick handlers.
  deadlineMs: 10_000,
  retry: {
    // https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhooks — retried for 8 hours at
    // increasing intervals (10 min, 10 min, 15 min, 30 min, 1 h, 2 h, 4 h).
    delaysSec: [600, 600, 900, 1800, 3600, 7200, 14_400],
    docs: "https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhooks",
  },
  // event-data.id names the event; each request carries its own signature timestamp and token.
  dedup: {
    keys: [{ json: "event-data.id", example: "CPgfbmQMTCKtHW6uIWtuVe" }],
    attempts: "resigned",
    docs: "https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks",
  },
  docs: DOCS,
  detect: (headers) => /^mailgun/i.test(findHeader(headers, "user-agent") ?? ""),

  sign(input) {
    assertSecrets([input.secret]);
    const timestamp = String(input.timestamp);
    // A token Mailgun would make random; derived from the message id so that signing is repeatable.
    const token = createHash("sha256").update(input.id).digest("hex").slice(0, 50);
    const signature = digest(input.secret, timestamp, token);
    const text = input.body.toString("utf8");
    // The one scheme whose signature lives in the body: the signature fields are written in, the rest kept.
    if (text.trimStart().startsWith("{")) {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new TypeError("Mailgun signs inside the JSON body, and this body is not valid JSON");
      }
      const out = JSON.stringify({ ...parsed, signature: { timestamp, token, signature } });
      return { headers: [["User-Agent", "mailgun/treq-16.12.0"]], body: Buffer.from(out) };
    }
    const form = new URLSearchParams(text);
    form.set("timestamp", timestamp);
    form.set("token", token);
    form.set("signature", signature);
    return { headers: [["User-Agent", "mailgun/treq-16.12.0"]], body: Buffer.from(form.toString()) };
  },

  verify(request: VerifyRequest, secrets, _options): VerifyResult {
    assertSecrets(secrets);
    const found = readSignature(request.body);
    if (found === null) {
      return { valid: false, provider: "mailgun", reason: "missing_header", hint: "no signature {timestamp, token, signature} in the body" };
    }
    if (!DIGITS_RE.test(found.timestamp)) return { valid: false, provider: "mailgun", reason: "malformed_header", hint: "signature.timestamp is not unix seconds" };
    if (secrets.length === 0) return { valid: false, provider: "mailgun", reason: "no_secret" };
    for (const secret of secrets) {
      if (safeEqual(digest(secret, found.timestamp, found.token), found.signature)) {
        return { valid: true, provider: "mailgun", signedAt: Number(found.timestamp) };
      }
    }
    return { valid: false, provider: "mailgun", reason: "no_matching_signature", hint: mismatchHint(secrets) };
  },

  timestampOf(request) {
    const found = readSignature(request.body);
    return found !== null && DIGITS_RE.test(found.timestamp) ? Number(found.timestamp) : null;
  },
};
