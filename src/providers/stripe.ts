import { createHmac } from "node:crypto";
import { assertSecrets, checkTimestamp, DIGITS_RE, mismatchHint, timestampHint } from "./checks.js";
import { safeEqual } from "./compare.js";
import { findHeader, keepOrDefault } from "./headers.js";
import { parsePairs } from "./hmac-scheme.js";
import type { Provider, VerifyRequest, VerifyResult } from "./types.js";

// https://docs.stripe.com/webhooks#verify-manually — `Stripe-Signature: t=<unix s>,v1=<hex HMAC-SHA256>`
// over `<t>.<raw body>`, keyed with the literal `whsec_...` string; several v1 during a secret roll.
// stripe-node `src/Webhooks.ts` rejects only old timestamps (default tolerance 300 s).
const DOCS = "https://docs.stripe.com/webhooks#verify-manually";

interface StripeHeader {
  timestamp: number;
  signatures: string[];
}

const parseSignatureHeader = parsePairs({ separator: ",", timestampKey: "t", signatureKey: "v1" });

function parseStripeHeader(value: string): StripeHeader | null {
  const parsed = parseSignatureHeader(value);
  if (parsed === null || parsed.timestamp === undefined || !DIGITS_RE.test(parsed.timestamp)) return null;
  return { timestamp: Number(parsed.timestamp), signatures: parsed.signatures };
}

function stripeSignature(secret: string, timestamp: string | number, body: Buffer): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
}

export const stripe: Provider = {
  id: "stripe",
  name: "Stripe",
  kind: "hmac",
  headers: ["stripe-signature"],
  toleranceSec: 300,
  rejectsFuture: false,
  // Not published by Stripe (its docs only ask for a prompt 2xx); assumed 30 s, the forwarding timeout of
  // Stripe's own CLI (stripe-cli pkg/proxy/endpoint.go).
  deadlineMs: 30_000,
  retry: {
    // https://docs.stripe.com/webhooks#retries — "In live mode, Stripe attempts to deliver a given event
    // for up to three days with an exponential back off." The exact waits are not published: this is a
    // doubling schedule from 1 minute, capped at 12 h, that ends just under three days.
    delaysSec: [60, 300, 1800, 3600, 7200, 14_400, 28_800, 43_200, 43_200, 43_200, 43_200],
    docs: "https://docs.stripe.com/webhooks#retries",
  },
  docs: DOCS,
  detect: (headers) => findHeader(headers, "stripe-signature") !== undefined,

  sign(input) {
    assertSecrets([input.secret]);
    const signature = stripeSignature(input.secret, input.timestamp, input.body);
    return {
      headers: [
        ["Stripe-Signature", `t=${input.timestamp},v1=${signature}`],
        keepOrDefault(input.headers, "User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"),
      ],
    };
  },

  verify(request, secrets, options): VerifyResult {
    assertSecrets(secrets);
    const value = findHeader(request.headers, "stripe-signature");
    if (value === undefined) return { valid: false, provider: "stripe", reason: "missing_header", hint: "no Stripe-Signature header" };
    const parsed = parseStripeHeader(value);
    if (parsed === null) {
      return { valid: false, provider: "stripe", reason: "malformed_header", hint: "Stripe-Signature must be t=<timestamp>,v1=<signature>" };
    }
    if (secrets.length === 0) return { valid: false, provider: "stripe", reason: "no_secret" };
    let matched = false;
    for (const secret of secrets) {
      const expected = stripeSignature(secret, parsed.timestamp, request.body);
      for (const candidate of parsed.signatures) if (safeEqual(expected, candidate)) matched = true;
      if (matched) break;
    }
    if (!matched) {
      const hint = secrets.every((s) => s.startsWith("whsec_") || s.trim() !== s)
        ? mismatchHint(secrets)
        : "Stripe endpoint secrets start with whsec_ — is this the API key instead of the endpoint's signing secret?";
      return { valid: false, provider: "stripe", reason: "no_matching_signature", hint };
    }
    const reason = checkTimestamp(parsed.timestamp, options.now, options.toleranceSec ?? 300, false);
    if (reason !== null) return { valid: false, provider: "stripe", reason, hint: timestampHint(reason, parsed.timestamp, options.now) };
    return { valid: true, provider: "stripe", signedAt: parsed.timestamp };
  },

  timestampOf(request: VerifyRequest) {
    const value = findHeader(request.headers, "stripe-signature");
    return value === undefined ? null : (parseStripeHeader(value)?.timestamp ?? null);
  },
};
