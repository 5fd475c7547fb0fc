import { createHmac } from "node:crypto";
import { assertSecrets, checkTimestamp, DIGITS_RE, mismatchHint, timestampHint } from "./checks.js";
import { safeEqual } from "./compare.js";
import { findHeader } from "./headers.js";
import { KeyFormatError, type Provider, type VerifyRequest, type VerifyResult } from "./types.js";

// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
// HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the base64 bytes after `whsec_`;
// `webhook-signature` is a space-separated list of `v1,<base64>` (several during a key rotation).
// Timestamps more than 300 s away in either direction are rejected (the reference libraries' tolerance).
const SPEC_DOCS = "https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md";
const TOLERANCE_SEC = 300;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

// Decoded keys, so that verifying many deliveries does not base64-decode the same secret each time.
const keyCache = new Map<string, Buffer | null>();

/** The HMAC key of a `whsec_<base64>` secret (the prefix is optional, as in the reference libraries). */
export function standardWebhooksKey(secret: string): Buffer | null {
  const hit = keyCache.get(secret);
  if (hit !== undefined) return hit;
  const encoded = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  const decoded = BASE64_RE.test(encoded) ? Buffer.from(encoded, "base64") : null;
  const key = decoded !== null && decoded.length > 0 ? decoded : null;
  if (keyCache.size >= 64) keyCache.clear();
  keyCache.set(secret, key);
  return key;
}

function sign(key: Buffer, id: string, timestamp: string, body: Buffer): string {
  return createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest("base64");
}

export interface StandardWebhooksVariant {
  id: string;
  name: string;
  docs: string;
  /** `webhook` (the standard) or `svix` (Svix's and its customers' header names). */
  headerPrefix: "webhook" | "svix";
  /** Aliases that send exactly the same headers (Clerk, Resend) are never auto-detected over Svix. */
  detectable?: boolean;
}

export function createStandardWebhooksProvider(variant: StandardWebhooksVariant): Provider {
  const idName = `${variant.headerPrefix}-id`;
  const tsName = `${variant.headerPrefix}-timestamp`;
  const sigName = `${variant.headerPrefix}-signature`;
  const fail = (reason: Extract<VerifyResult, { valid: false }>["reason"], hint?: string): VerifyResult =>
    hint === undefined ? { valid: false, provider: variant.id, reason } : { valid: false, provider: variant.id, reason, hint };

  return {
    id: variant.id,
    name: variant.name,
    kind: "hmac",
    headers: [sigName, idName, tsName],
    toleranceSec: TOLERANCE_SEC,
    rejectsFuture: true,
    // https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#request-timeouts —
    // the provider waits 15 s for the answer, then counts the attempt as failed.
    deadlineMs: 15_000,
    deadlinePublished: true,
    retry: {
      // https://docs.svix.com/retries — after the immediate attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
      delaysSec: [5, 300, 1800, 7200, 18_000, 36_000, 36_000],
      docs: "https://docs.svix.com/retries",
    },
    docs: variant.docs,
    detect: (headers) =>
      variant.detectable !== false && findHeader(headers, sigName) !== undefined && findHeader(headers, idName) !== undefined,

    sign(input) {
      assertSecrets([input.secret]);
      const key = standardWebhooksKey(input.secret);
      if (key === null) throw new KeyFormatError(`${variant.name}: expected a secret of the form whsec_<base64>`);
      const timestamp = String(input.timestamp);
      return {
        headers: [
          [idName, input.id],
          [tsName, timestamp],
          [sigName, `v1,${sign(key, input.id, timestamp, input.body)}`],
        ],
      };
    },

    verify(request: VerifyRequest, secrets, options): VerifyResult {
      assertSecrets(secrets);
      const value = findHeader(request.headers, sigName);
      if (value === undefined) return fail("missing_header", `no ${sigName} header`);
      const id = findHeader(request.headers, idName);
      const timestamp = findHeader(request.headers, tsName);
      if (id === undefined || timestamp === undefined) return fail("missing_header", `${idName} and ${tsName} are both required`);
      if (!DIGITS_RE.test(timestamp)) return fail("malformed_header", `${tsName} must be unix seconds`);
      const candidates: string[] = [];
      for (const item of value.split(" ")) {
        const comma = item.indexOf(",");
        if (comma > 0 && item.slice(0, comma) === "v1") candidates.push(item.slice(comma + 1));
      }
      if (candidates.length === 0) return fail("malformed_header", `${sigName} must hold "v1,<base64 signature>" entries`);
      if (secrets.length === 0) return fail("no_secret");
      let usable = 0;
      let matched = false;
      for (const secret of secrets) {
        const key = standardWebhooksKey(secret);
        if (key === null) continue;
        usable++;
        const expected = sign(key, id, timestamp, request.body);
        if (candidates.some((c) => safeEqual(expected, c))) {
          matched = true;
          break;
        }
      }
      if (usable === 0) return fail("malformed_key", "expected a secret of the form whsec_<base64>");
      if (!matched) return fail("no_matching_signature", mismatchHint(secrets));
      const signedAt = Number(timestamp);
      const reason = checkTimestamp(signedAt, options.now, options.toleranceSec ?? TOLERANCE_SEC, true);
      if (reason !== null) return fail(reason, timestampHint(reason, signedAt, options.now));
      return { valid: true, provider: variant.id, signedAt };
    },

    timestampOf(request) {
      const timestamp = findHeader(request.headers, tsName);
      return timestamp !== undefined && DIGITS_RE.test(timestamp) ? Number(timestamp) : null;
    },
  };
}

export const standardWebhooks = createStandardWebhooksProvider({
  id: "standard-webhooks",
  name: "Standard Webhooks",
  docs: SPEC_DOCS,
  headerPrefix: "webhook",
});

// https://docs.svix.com/receiving/verifying-payloads/how-manual — the same scheme with `svix-*` headers.
export const svix = createStandardWebhooksProvider({ id: "svix", name: "Svix", docs: "https://docs.svix.com/receiving/verifying-payloads/how-manual", headerPrefix: "svix" });

// https://clerk.com/docs/webhooks/sync-data — Clerk delivers through Svix.
export const clerk = createStandardWebhooksProvider({ id: "clerk", name: "Clerk", docs: "https://clerk.com/docs/webhooks/sync-data", headerPrefix: "svix", detectable: false });

// https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests — Resend delivers through Svix.
export const resend = createStandardWebhooksProvider({ id: "resend", name: "Resend", docs: "https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests", headerPrefix: "svix", detectable: false });
