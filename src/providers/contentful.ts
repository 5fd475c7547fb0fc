import { createHmac } from "node:crypto";
import type { HeaderPairs } from "../core/types.js";
import { assertSecrets, failureFor, checkTimestamp, DIGITS_RE, mismatchHint, timestampHint } from "./checks.js";
import { safeEqual } from "./compare.js";
import { findHeader, keepOrDefault } from "./headers.js";
import { backoff } from "./retry.js";
import type { Provider, VerifyRequest } from "./types.js";
import { createTextKeyCache } from "./hmac-key.js";
import { eventTypeFrom, header } from "./event-type.js";

// https://www.contentful.com/developers/docs/extensibility/app-framework/request-verification/ and
// contentful/node-apps-toolkit `src/requests/sign-request.ts` / `verify-request.ts`: `x-contentful-signature` is the
// hex HMAC-SHA256, keyed with the app's signing secret, of
//   METHOD \n path \n signed headers as "name:value" sorted by name and joined with ";" \n body
// where the signed headers are those named in `x-contentful-signed-headers` (lower-cased names, trimmed values,
// itself and `x-contentful-timestamp` included, that list re-written sorted) and the path is the request's
// path and query, the query escaped as Node's querystring.escape and the whole passed through encodeURI. The
// timestamp is unix milliseconds; the toolkit refuses a request 30 s old or older (in the past only). The only
// sender with a signed header list, so written directly rather than as a builder option.
const DOCS = "https://www.contentful.com/developers/docs/extensibility/app-framework/request-verification/";
const SIGNATURE = "x-contentful-signature";
const SIGNED_HEADERS = "x-contentful-signed-headers";
const TIMESTAMP = "x-contentful-timestamp";
const TTL_SEC = 30;

/** The path and query as the toolkit's getNormalizedEncodedURI writes them. */
function normalizedPath(url: string): string {
  let path = url;
  const scheme = /^https?:\/\/[^/?#]*/i.exec(url);
  if (scheme) path = url.slice(scheme[0].length) || "/";
  const hash = path.indexOf("#");
  if (hash !== -1) path = path.slice(0, hash);
  const [pathname = "", search] = path.split("?");
  // querystring.escape is encodeURIComponent but for characters it cannot encode (lone surrogates), kept as is.
  let escaped = "";
  if (search) {
    try {
      escaped = encodeURIComponent(search);
    } catch {
      escaped = search;
    }
  }
  const joined = escaped ? `${pathname}?${escaped}` : pathname;
  try {
    return encodeURI(joined);
  } catch {
    return joined;
  }
}

/** The signed headers, sorted by name, from the request (lower-case names, trimmed values); null when one is absent. */
function signedHeaderPairs(headers: HeaderPairs, names: readonly string[], timestamp: string): Array<[string, string]> | null {
  const wanted = [...new Set(names.map((n) => n.trim().toLowerCase()).filter((n) => n !== ""))];
  if (!wanted.includes(SIGNED_HEADERS)) wanted.push(SIGNED_HEADERS);
  if (!wanted.includes(TIMESTAMP)) wanted.push(TIMESTAMP);
  wanted.sort();
  const pairs: Array<[string, string]> = [];
  for (const name of wanted) {
    if (name === SIGNED_HEADERS) pairs.push([name, wanted.join(",")]);
    else if (name === TIMESTAMP) pairs.push([name, timestamp]);
    else {
      const value = findHeader(headers, name);
      if (value === undefined) return null;
      pairs.push([name, value.trim()]);
    }
  }
  return pairs;
}

/** The app signing secret as a KeyObject, made once per secret (hmac-key.ts). */
const keyOf = createTextKeyCache();

function digest(secret: string, method: string, path: string, pairs: ReadonlyArray<[string, string]>, body: Buffer): string {
  const head = `${method.toUpperCase()}\n${path}\n${pairs.map(([k, v]) => `${k}:${v}`).join(";")}\n`;
  return createHmac("sha256", keyOf(secret)).update(head).update(body).digest("hex");
}

const fail = failureFor("contentful");

export const contentful: Provider = {
  id: "contentful",
  name: "Contentful (App Framework)",
  kind: "hmac",
  headers: [SIGNATURE, SIGNED_HEADERS, TIMESTAMP],
  // https://www.contentful.com/developers/docs/concepts/webhooks/ — X-Contentful-Topic (`ContentManagement.Entry.publish`).
  eventType: eventTypeFrom(header("x-contentful-topic")),
  toleranceSec: TTL_SEC,
  rejectsFuture: false,
  retry: {
    // https://www.contentful.com/developers/docs/concepts/webhooks/ — failed webhook calls are retried with backoff;
    // the waits are ours.
    delaysSec: backoff(30, 2, 3600, 3),
    docs: "https://www.contentful.com/developers/docs/concepts/webhooks/",
  },
  // An event is the entity and its revision; each request is signed with its own timestamp.
  dedup: { keys: [{ json: "sys.id", example: "5KsDBWseXY6QegucYAoacS" }, { json: "sys.revision", example: 3 }], attempts: "resigned" },
  // Same page: a webhook call times out after 30 s.
  deadlineMs: 30_000,
  deadlinePublished: true,
  docs: DOCS,
  detect: (headers) => findHeader(headers, SIGNATURE) !== undefined && findHeader(headers, SIGNED_HEADERS) !== undefined,

  sign(input) {
    assertSecrets([input.secret]);
    if (!input.url) throw new TypeError("Contentful signs the path it calls: pass the URL (--url https://...)");
    const timestamp = String(input.timestamp * 1000);
    const topic = keepOrDefault(input.headers, "X-Contentful-Topic", "ContentManagement.Entry.publish");
    const headers: HeaderPairs = [...input.headers.filter(([n]) => n.toLowerCase() !== "x-contentful-topic"), topic];
    // What the app framework signs: the content type and Contentful's own context headers.
    const names = headers.map(([n]) => n.toLowerCase()).filter((n) => n === "content-type" || (n.startsWith("x-contentful-") && n !== SIGNATURE));
    const pairs = signedHeaderPairs(headers, names, timestamp) as Array<[string, string]>;
    const path = normalizedPath(input.url);
    const signedList = pairs.map(([n]) => n).join(",");
    return {
      headers: [
        topic,
        ["x-contentful-signature", digest(input.secret, input.method, path, pairs, input.body)],
        ["x-contentful-signed-headers", signedList],
        ["x-contentful-timestamp", timestamp],
      ],
    };
  },

  verify(request: VerifyRequest, secrets, options) {
    assertSecrets(secrets);
    const signature = findHeader(request.headers, SIGNATURE);
    if (signature === undefined) return fail("missing_header", "no x-contentful-signature header");
    const list = findHeader(request.headers, SIGNED_HEADERS);
    const timestamp = findHeader(request.headers, TIMESTAMP);
    if (list === undefined || timestamp === undefined) return fail("missing_header", "x-contentful-signed-headers and x-contentful-timestamp are both required");
    if (!DIGITS_RE.test(timestamp.trim())) return fail("malformed_header", "x-contentful-timestamp must be unix milliseconds");
    const pairs = signedHeaderPairs(request.headers, list.split(","), timestamp.trim());
    if (pairs === null) return fail("missing_header", `a header named in x-contentful-signed-headers (${list}) is missing: it was signed, so it must arrive unchanged`);
    if (secrets.length === 0) return fail("no_secret");
    const path = normalizedPath(request.url);
    const received = signature.trim();
    if (!secrets.some((secret) => safeEqual(digest(secret, request.method, path, pairs, request.body), received))) {
      return fail("no_matching_signature", `${mismatchHint(secrets)}; Contentful also signs the method, the path and the headers it lists`);
    }
    const signedAt = Number(timestamp.trim()) / 1000;
    const reason = checkTimestamp(signedAt, options.now, options.toleranceSec ?? TTL_SEC, false);
    if (reason !== null) return fail(reason, timestampHint(reason, signedAt, options.now));
    return { valid: true, provider: "contentful", signedAt };
  },

  timestampOf(request) {
    const timestamp = findHeader(request.headers, TIMESTAMP)?.trim();
    return timestamp !== undefined && DIGITS_RE.test(timestamp) ? Number(timestamp) / 1000 : null;
  },
};
