import { createHmac } from "node:crypto";
import { assertSecrets, mismatchHint } from "./checks.js";
import { safeEqual } from "./compare.js";
import { eventTypeFrom, form, prefixed } from "./event-type.js";
import { findHeader } from "./headers.js";
import { defineHmacScheme, signedUrlOf } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { isForm } from "./twilio.js";
import type { Deduplication, Provider, VerifyRequest, VerifyResult } from "./types.js";
import { createTextKeyCache } from "./hmac-key.js";

// https://www.plivo.com/docs/voice/concepts/signature-validation — Plivo sends two signatures, keyed with the auth
// token, and `plivo` checks whichever a delivery carries, V3 first (a user with a Plivo account needs to know nothing
// about versions); `sign` writes both, as Plivo does.
// - V3 (plivo-node `validateV3Signature`, lib/utils/v3Security.js): `X-Plivo-Signature-V3` = base64 HMAC-SHA256 of
//   `<url>.<X-Plivo-Signature-V3-Nonce>`, where <url> is scheme://host[:port]path, then for a GET `?` and the query
//   parameters decoded and sorted as `k=v&k=v`; for a POST with parameters `?`, the sorted query (then `.` when there
//   is one), and the POST parameters sorted as `kvkv` (each name's values sorted too). The header may hold several
//   signatures, comma-separated (Plivo signs with each active token during a rotation). V3 covers the parameters.
//   The POST parameters are the form fields; for a JSON body, its top-level members as an SDK user passes
//   `req.body` (values as `String()` writes them).
// - V2 (`validateSignature`): `X-Plivo-Signature-V2` = base64 HMAC-SHA256 of the URL without its query followed by
//   `X-Plivo-Signature-V2-Nonce`. V2 does not sign the body: a valid V2 signature says who called, not what was posted.
const DOCS = "https://www.plivo.com/docs/voice/concepts/signature-validation";
const RETRY = {
  // Not documented as a schedule for callbacks; the waits are ours.
  delaysSec: backoff(30, 2, 600, 3),
  docs: DOCS,
};

/**
 * A call is named by its CallUUID (a message by its MessageUUID). Every request carries a new nonce, which both
 * signatures cover, so a retry's signature differs from the first attempt's.
 */
const DEDUP: Deduplication = {
  keys: [
    { form: "CallUUID", example: "e7a1f2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b", optional: true },
    { form: "MessageUUID", example: "f8b2a3c4-d5e6-4f7a-9b8c-1d2e3f4a5b6c", optional: true },
  ],
  attempts: "resigned",
};

function withoutQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

// https://www.plivo.com/docs/voice/xml/request-parameters — callbacks post their `Event` (`StartApp`, `Hangup`) as a
// form field; messaging status callbacks their `Status` (`message.delivered` here), calls their `CallStatus`.
const PLIVO_TYPE = eventTypeFrom(form("Event"), prefixed("message", form("Status")), prefixed("call", form("CallStatus")));

/** Signature V2 alone, declaratively: checked when a delivery carries no V3 signature. */
const plivoV2 = defineHmacScheme({
  id: "plivo",
  name: "Plivo",
  docs: DOCS,
  headers: ["x-plivo-signature-v2", "x-plivo-signature-v2-nonce"],
  signatureHeader: "X-Plivo-Signature-V2",
  algorithm: "sha256",
  encoding: "base64",
  idHeader: "X-Plivo-Signature-V2-Nonce",
  signsUrl: true,
  signedUrl: withoutQuery,
  signs: ["url", "id"],
  retry: RETRY,
  dedup: DEDUP,
  // Not published; assumed 5 s.
  deadlineMs: 5_000,
});

type Params = Map<string, string[]>;

function addParam(params: Params, name: string, value: string): void {
  const values = params.get(name);
  if (values === undefined) params.set(name, [value]);
  else values.push(value);
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `k=v&k=v`, names sorted, each name's values sorted (plivo-node `get_sorted_query_string`). */
function sortedQuery(params: Params): string {
  const out: string[] = [];
  for (const name of [...params.keys()].sort(byCodeUnit)) for (const value of [...(params.get(name) as string[])].sort(byCodeUnit)) out.push(`${name}=${value}`);
  return out.join("&");
}

/** `kvkv`, names sorted, each name's values sorted (plivo-node `get_sorted_params_string`). */
function sortedParams(params: Params): string {
  let out = "";
  for (const name of [...params.keys()].sort(byCodeUnit)) for (const value of [...(params.get(name) as string[])].sort(byCodeUnit)) out += name + value;
  return out;
}

/** The POST parameters: form fields, or a JSON object's top-level members as `String()` writes them. */
function postParams(request: { headers: VerifyRequest["headers"]; body: Buffer }): Params {
  const params: Params = new Map();
  if (request.body.length === 0) return params;
  if (isForm(request.headers, request.body)) {
    for (const [name, value] of new URLSearchParams(request.body.toString("utf8"))) addParam(params, name, value);
    return params;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString("utf8"));
  } catch {
    return params;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return params;
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) addParam(params, name, String(item));
  }
  return params;
}

const URL_RE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^@/?#]*@)?([^/?#]*)([^?#]*)(?:\?([^#]*))?/;

/** What V3 signs before the nonce, or null when the URL is not absolute. */
function v3Base(method: string, url: string, post: Params): string | null {
  const match = URL_RE.exec(url);
  if (match === null) return null;
  const [, scheme, host, path, query] = match as unknown as [string, string, string, string, string | undefined];
  const params: Params = new Map();
  if (query !== undefined) for (const [name, value] of new URLSearchParams(query)) addParam(params, name, value);
  const base = `${scheme}://${host}${path}`;
  const isPost = method.toUpperCase() === "POST";
  const queryText = sortedQuery(params);
  if (!isPost || post.size === 0) return queryText === "" ? base : `${base}?${queryText}`;
  return `${base}?${queryText}${queryText === "" ? "" : "."}${sortedParams(post)}`;
}

/** The auth token as a KeyObject, made once per token (hmac-key.ts). */
const keyOf = createTextKeyCache();

function v3Signature(token: string, base: string, nonce: string): string {
  return createHmac("sha256", keyOf(token)).update(`${base}.${nonce}`).digest("base64");
}

export const plivo: Provider = {
  id: "plivo",
  // https://www.plivo.com/docs/voice/xml/request-parameters — a call callback, posted as form fields (which V3 signs).
  sample: (ids) => ({
    form: `CallUUID=${ids.token(8)}&CallerName=Zo%C3%AB+M%C3%BCller&CallStatus=in-progress&Direction=inbound&Event=StartApp&From=15005550006&To=15005550001`,
  }),
  name: "Plivo",
  kind: "hmac",
  // V3 first: it is the one `check` tampers with and the one that covers the parameters.
  headers: ["x-plivo-signature-v3", "x-plivo-signature-v3-nonce", "x-plivo-signature-v2", "x-plivo-signature-v2-nonce"],
  eventType: PLIVO_TYPE,
  toleranceSec: null,
  rejectsFuture: false,
  deadlineMs: plivoV2.deadlineMs,
  retry: RETRY,
  dedup: DEDUP,
  docs: DOCS,
  detect: (headers) => findHeader(headers, "x-plivo-signature-v3") !== undefined || findHeader(headers, "x-plivo-signature-v2") !== undefined,

  sign(input) {
    const v2 = plivoV2.sign(input);
    const base = v3Base(input.method, input.url as string, input.method.toUpperCase() === "POST" ? postParams(input) : new Map());
    if (base === null) throw new TypeError("Plivo signs the URL it calls: pass the full URL (--url https://...)");
    return { headers: [...v2.headers, ["X-Plivo-Signature-V3", v3Signature(input.secret, base, input.id)], ["X-Plivo-Signature-V3-Nonce", input.id]] };
  },

  verify(request, secrets, options): VerifyResult {
    assertSecrets(secrets);
    const header = findHeader(request.headers, "x-plivo-signature-v3");
    if (header === undefined) {
      const v2 = plivoV2.verify(request, secrets, options);
      return !v2.valid && v2.reason === "missing_header" && v2.hint === "no X-Plivo-Signature-V2 header"
        ? { ...v2, hint: "no X-Plivo-Signature-V3 or X-Plivo-Signature-V2 header" }
        : v2;
    }
    const nonce = findHeader(request.headers, "x-plivo-signature-v3-nonce");
    if (nonce === undefined) return { valid: false, provider: "plivo", reason: "missing_header", hint: "no X-Plivo-Signature-V3-Nonce header" };
    const url = signedUrlOf(request, options);
    if (url === undefined) return { valid: false, provider: "plivo", reason: "missing_url", hint: "Plivo signs the full URL it called: pass it (--url)" };
    if (secrets.length === 0) return { valid: false, provider: "plivo", reason: "no_secret" };
    const base = v3Base(request.method, url, request.method.toUpperCase() === "POST" ? postParams(request) : new Map());
    if (base === null) return { valid: false, provider: "plivo", reason: "missing_url", hint: `"${url}" is not a full URL: pass the one Plivo called (--url https://...)` };
    const candidates = header.split(",").map((s) => s.trim());
    for (const secret of secrets) {
      const expected = v3Signature(secret, base, nonce);
      if (candidates.some((candidate) => safeEqual(expected, candidate))) return { valid: true, provider: "plivo" };
    }
    return {
      valid: false,
      provider: "plivo",
      reason: "no_matching_signature",
      hint: `${mismatchHint(secrets)}; Plivo V3 signs the exact URL it called and the POST parameters`,
    };
  },
};
