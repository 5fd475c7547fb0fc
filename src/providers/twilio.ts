import { createHash, createHmac } from "node:crypto";
import { assertSecrets, mismatchHint } from "./checks.js";
import { safeEqual } from "./compare.js";
import { findHeader } from "./headers.js";
import { signedUrlOf, sortedFormFields } from "./schemes/hmac-scheme.js";
import type { HeaderPairs } from "../core/types.js";
import type { Provider, VerifyRequest, VerifyResult } from "./types.js";
import { createTextKeyCache } from "./hmac-key.js";
import { eventTypeFrom, form, json, prefixed } from "./event-type.js";

// https://www.twilio.com/docs/usage/security#validating-requests — `X-Twilio-Signature`: base64 HMAC-SHA1,
// keyed with the auth token, over the full URL followed, for form posts, by every field name and value
// (decoded) sorted by name; for JSON bodies Twilio adds `bodySHA256=<hex SHA-256 of the body>` to the
// URL and signs the URL alone. Like twilio-node, the URL is also tried with / without the default port.
const DOCS = "https://www.twilio.com/docs/usage/security#validating-requests";

/** True for a form post: by its content type, else by a body that does not start like JSON. */
export function isForm(headers: HeaderPairs, body: Buffer): boolean {
  const type = findHeader(headers, "content-type");
  if (type !== undefined) return type.toLowerCase().startsWith("application/x-www-form-urlencoded");
  const first = body.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  return first !== 0x7b && first !== 0x5b; // neither `{` nor `[`: treat as a form post
}

/** URL + sorted name/value pairs, as twilio-node `getExpectedTwilioSignature` concatenates them. */
function formContent(url: string, body: Buffer): string {
  return url + sortedFormFields(body);
}

/** The auth token as a KeyObject, made once per token (hmac-key.ts). */
const keyOf = createTextKeyCache();

function digest(secret: string, content: string): string {
  return createHmac("sha1", keyOf(secret)).update(content, "utf8").digest("base64");
}

/** The URL with its default port added, or removed, whichever it lacks (twilio-node `addPort` / `removePort`). */
function portVariants(url: string): string[] {
  try {
    const parsed = new URL(url);
    const defaultPort = parsed.protocol === "https:" ? "443" : "80";
    const hostStart = url.indexOf("//") + 2;
    const pathStart = url.indexOf("/", hostStart);
    const host = pathStart === -1 ? url.slice(hostStart) : url.slice(hostStart, pathStart);
    const rest = pathStart === -1 ? "" : url.slice(pathStart);
    const prefix = url.slice(0, hostStart);
    if (parsed.port === "" && !host.endsWith(`:${defaultPort}`)) return [url, `${prefix}${host}:${defaultPort}${rest}`];
    if (host.endsWith(`:${defaultPort}`)) return [url, `${prefix}${host.slice(0, -defaultPort.length - 1)}${rest}`];
  } catch {
    // Not a URL we can vary; the caller's text is still tried as it is.
  }
  return [url];
}

function decodeQueryPart(text: string): string {
  const spaced = text.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/**
 * The query re-encoded the way Node's legacy `querystring.stringify(querystring.parse(q))` does (values of a
 * repeated name grouped at its first place, `+` read as a space, everything re-escaped), for back ends that
 * signed an escaped form of a value. Written out because providers import only node:crypto.
 */
function withLegacyQuerystring(url: string): string {
  const at = url.indexOf("?");
  if (at === -1 || at === url.length - 1) return url;
  const groups = new Map<string, string[]>();
  for (const item of url.slice(at + 1).split("&")) {
    if (item === "") continue;
    const eq = item.indexOf("=");
    const name = decodeQueryPart(eq === -1 ? item : item.slice(0, eq));
    const value = eq === -1 ? "" : decodeQueryPart(item.slice(eq + 1));
    const list = groups.get(name);
    if (list) list.push(value);
    else groups.set(name, [value]);
  }
  try {
    const query = [...groups].flatMap(([name, values]) => values.map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(v)}`)).join("&");
    return `${url.slice(0, at)}?${query}`;
  } catch {
    return url;
  }
}

/**
 * Every URL twilio-node's validateRequest tries, in its order: as received with and without the default
 * port, then as normalised by `new URL()` (which percent-encodes `'`, spaces, non-ASCII) with and without
 * the port, then the legacy-querystring form of those.
 */
function urlVariants(url: string): string[] {
  const variants = portVariants(url);
  let normalized: string;
  try {
    normalized = new URL(url).toString();
  } catch {
    return variants;
  }
  const normalizedVariants = portVariants(normalized);
  for (const candidate of [...normalizedVariants, ...normalizedVariants.map(withLegacyQuerystring)]) {
    if (!variants.includes(candidate)) variants.push(candidate);
  }
  return variants;
}

function withBodyHash(url: string, body: Buffer): string {
  const hash = createHash("sha256").update(body).digest("hex");
  const hashAt = url.indexOf("#");
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  return `${base}${base.includes("?") ? "&" : "?"}bodySHA256=${hash}${hashAt === -1 ? "" : url.slice(hashAt)}`;
}

export const twilio: Provider = {
  id: "twilio",
  // https://www.twilio.com/docs/messaging/guides/webhook-request — an incoming message, posted as form fields.
  sample: (ids) => {
    const sid = `SM${ids.token(16)}`;
    return {
      form:
        `ToCountry=US&ToState=CA&SmsMessageSid=${sid}&NumMedia=0&ToCity=&FromZip=&SmsSid=${sid}&FromState=` +
        `&SmsStatus=received&FromCity=&Body=Caf%C3%A9+cr%C3%A8me+%C3%97+2+%E2%80%94+Zo%C3%AB+%2F+%237&FromCountry=FR&To=%2B15005550006` +
        `&ToZip=&NumSegments=1&MessageSid=${sid}&AccountSid=AC${ids.token(16)}&From=%2B33612345678&ApiVersion=2010-04-01`,
    };
  },
  name: "Twilio",
  kind: "hmac",
  headers: ["x-twilio-signature"],
  // https://www.twilio.com/docs/messaging/guides/track-outbound-message-status — a status callback posts the message's
  // `MessageStatus` (`message.delivered` here), a voice callback the call's `CallStatus`; Event Streams send JSON
  // CloudEvents with a `type` (`com.twilio.messaging.message.delivered`).
  eventType: eventTypeFrom(json("type"), prefixed("message", form("MessageStatus")), prefixed("message", form("SmsStatus")), prefixed("call", form("CallStatus"))),
  toleranceSec: null,
  rejectsFuture: false,
  // https://www.twilio.com/docs/api/errors/11205 — the provider waits 15 s for the answer, then counts the attempt
  // as failed.
  deadlineMs: 15_000,
  deadlinePublished: true,
  retry: {
    // Same page: by default Twilio retries once (`rc=1`), and only when the connection fails (`rp=ct`).
    delaysSec: [0],
    docs: "https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides",
  },
  // I-Twilio-Idempotency-Token stays the same on Twilio's retry; the message's or call's Sid names what it is about.
  // The
  // signature covers the URL and the parameters, no time: a retry repeats the first attempt's bytes.
  dedup: {
    keys: [
      { header: "I-Twilio-Idempotency-Token", example: "7a1f53b2-bd4e-4c59-9d3e-0b2a6c8f1e47" },
      { form: "MessageSid", example: "SM1f0e8ae6ade43cb3c0ce4525424e404f", optional: true },
      // An incoming message repeats its MessageSid in SmsMessageSid and SmsSid, older names a handler may key on.
      { form: "SmsMessageSid", example: "SM1f0e8ae6ade43cb3c0ce4525424e404f", optional: true },
      { form: "SmsSid", example: "SM1f0e8ae6ade43cb3c0ce4525424e404f", optional: true },
      { form: "CallSid", example: "CA1f0e8ae6ade43cb3c0ce4525424e404f", optional: true },
    ],
    attempts: "same-bytes",
    docs: "https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides",
  },
  docs: DOCS,
  detect: (headers) => findHeader(headers, "x-twilio-signature") !== undefined,

  sign(input) {
    assertSecrets([input.secret]);
    if (!input.url) throw new TypeError("Twilio signs the URL it calls: pass the full URL (--url https://...)");
    if (isForm(input.headers, input.body)) {
      return { headers: [["X-Twilio-Signature", digest(input.secret, formContent(input.url, input.body))]] };
    }
    const url = input.url.includes("bodySHA256=") ? input.url : withBodyHash(input.url, input.body);
    return { headers: [["X-Twilio-Signature", digest(input.secret, url)]], url };
  },

  verify(request: VerifyRequest, secrets, options): VerifyResult {
    assertSecrets(secrets);
    const signature = findHeader(request.headers, "x-twilio-signature");
    if (signature === undefined) return { valid: false, provider: "twilio", reason: "missing_header", hint: "no X-Twilio-Signature header" };
    const url = signedUrlOf(request, options);
    if (url === undefined) {
      return { valid: false, provider: "twilio", reason: "missing_url", hint: "Twilio signs the full URL it called: pass it (--url https://...)" };
    }
    if (secrets.length === 0) return { valid: false, provider: "twilio", reason: "no_secret" };
    let bodyHash: string | null;
    try {
      bodyHash = new URL(url).searchParams.get("bodySHA256");
    } catch {
      return { valid: false, provider: "twilio", reason: "missing_url", hint: `"${url}" is not a valid URL: pass the full URL Twilio called (--url https://...)` };
    }
    if (bodyHash !== null && bodyHash !== createHash("sha256").update(request.body).digest("hex")) {
      return { valid: false, provider: "twilio", reason: "no_matching_signature", hint: "the body's SHA-256 differs from bodySHA256 in the URL — the body changed" };
    }
    // The URL as received first; the normalised variants are only built when it does not match.
    const received = signature.trim();
    const matches = (u: string) => {
      const content = bodyHash !== null ? u : formContent(u, request.body);
      return secrets.some((secret) => safeEqual(digest(secret, content), received));
    };
    if (matches(url) || urlVariants(url).slice(1).some(matches)) return { valid: true, provider: "twilio" };
    return {
      valid: false,
      provider: "twilio",
      reason: "no_matching_signature",
      hint: `${mismatchHint(secrets)}; Twilio also signs the exact public URL (scheme, host, port, query)`,
    };
  },
};
