import { createHmac } from "node:crypto";
import { assertSecrets, failureFor, DIGITS_RE, mismatchHint } from "./checks.js";
import { safeEqual } from "./compare.js";
import { findHeader } from "./headers.js";
import { backoff } from "./retry.js";
import type { Provider, VerifyRequest } from "./types.js";
import { createTextKeyCache } from "./hmac-key.js";
import { eventTypeFrom, joined, json } from "./event-type.js";

// https://hygraph.com/docs/api-reference/basics/webhooks#signed-webhooks and GraphCMS/graphcms-utils `index.js`
// (@hygraph/utils): `gcms-signature: sign=<base64>, env=<environment>, t=<unix ms>`, the base64 HMAC-SHA256, keyed with
// the secret, of JSON.stringify({ Body: <the raw body as text>, EnvironmentName, TimeStamp: <t as a number> }). The
// SDK checks no age, so neither do we by default (--tolerance adds one). The body is read as UTF-8 text, as the SDK
// receives it.
const DOCS = "https://hygraph.com/docs/api-reference/basics/webhooks#signed-webhooks";

interface ParsedHygraph {
  sign: string;
  env: string;
  timestamp: string;
}

function parse(value: string): ParsedHygraph | null {
  const parts = value.split(", ");
  if (parts.length !== 3) return null;
  const [sign, env, t] = parts as [string, string, string];
  if (!sign.startsWith("sign=") || !env.startsWith("env=") || !t.startsWith("t=")) return null;
  const timestamp = t.slice(2);
  if (!DIGITS_RE.test(timestamp) || sign.length === 5) return null;
  return { sign: sign.slice(5), env: env.slice(4), timestamp };
}

/** The secret as a KeyObject, made once per secret (hmac-key.ts). */
const keyOf = createTextKeyCache();

function digest(secret: string, body: Buffer, env: string, timestamp: string): string {
  const payload = JSON.stringify({ Body: body.toString("utf8"), EnvironmentName: env, TimeStamp: Number(timestamp) });
  return createHmac("sha256", keyOf(secret)).update(payload).digest("base64");
}

const fail = failureFor("hygraph");

export const hygraph: Provider = {
  id: "hygraph",
  name: "Hygraph",
  kind: "hmac",
  headers: ["gcms-signature"],
  // https://hygraph.com/docs/api-reference/basics/webhooks — the model's `data.__typename` and the `operation`: `Post.publish`.
  eventType: eventTypeFrom(joined(json("data.__typename"), json("operation"))),
  toleranceSec: null,
  rejectsFuture: false,
  retry: {
    // https://hygraph.com/docs/api-reference/basics/webhooks — failed webhooks are retried with backoff; the waits
    // are ours.
    delaysSec: backoff(60, 2, 3600, 5),
    docs: "https://hygraph.com/docs/api-reference/basics/webhooks",
  },
  // Each attempt is signed with its own t=.
  dedup: { keys: [{ json: "data.id", example: "ckyajsfvc3y7y0b66gm6mde1n" }], attempts: "resigned" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
  docs: DOCS,
  detect: (headers) => findHeader(headers, "gcms-signature") !== undefined,

  sign(input) {
    assertSecrets([input.secret]);
    // Hygraph's default environment; verification reads whichever env the header names.
    const env = "master";
    const timestamp = String(input.timestamp * 1000);
    return { headers: [["gcms-signature", `sign=${digest(input.secret, input.body, env, timestamp)}, env=${env}, t=${timestamp}`]] };
  },

  verify(request: VerifyRequest, secrets) {
    assertSecrets(secrets);
    const value = findHeader(request.headers, "gcms-signature");
    if (value === undefined) return fail("missing_header", "no gcms-signature header");
    const parsed = parse(value.trim());
    if (parsed === null) return fail("malformed_header", "gcms-signature is not in the form sign=<base64>, env=<environment>, t=<unix ms>");
    if (secrets.length === 0) return fail("no_secret");
    if (!secrets.some((secret) => safeEqual(digest(secret, request.body, parsed.env, parsed.timestamp), parsed.sign))) {
      return fail("no_matching_signature", mismatchHint(secrets));
    }
    return { valid: true, provider: "hygraph", signedAt: Number(parsed.timestamp) / 1000 };
  },
};
