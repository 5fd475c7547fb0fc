import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { setHeader } from "../core/headers.js";
import { setJsonPath } from "../core/mutate.js";
import { dedupDocument, jsonKeyPlaces } from "../providers/dedup.js";
import type { DedupKey } from "../providers/types.js";
import type { RequestRecipe } from "../replay/build-request.js";

/**
 * Another event of the same kind, otherwise the same request: every place the provider names its events by (its
 * dedup keys: headers, body members — inside a form field or a token claim too —, form fields) gets a new value of
 * the same shape (`evt_…` stays `evt_…`, a number keeps its digits, a UUID stays a UUID), and so does the message id
 * a scheme signs. One old value written in two places (SNS's MessageId in the body and in x-amz-sns-message-id)
 * becomes one new value in both. Body edits are made in place, so every other byte — indentation, escapes, member
 * order — is what the provider sends. A handler that has seen the original has not seen this one.
 */
export function freshEvent(recipe: RequestRecipe): RequestRecipe {
  const renewed = new Map<string, string>();
  const renew = (old: string): string => {
    let value = renewed.get(old);
    if (value === undefined) {
      value = sameShape(old);
      renewed.set(old, value);
    }
    return value;
  };
  const messageId = renew(recipe.messageId);
  let headers = recipe.headers;
  let body = recipe.body;
  for (const key of recipe.provider?.dedup.keys ?? []) {
    if ("header" in key) {
      const wanted = key.header.toLowerCase();
      for (const [name, value] of headers) if (name.toLowerCase() === wanted) headers = setHeader(headers, name, renew(value));
    } else if ("json" in key) body = renewJson(body, key, renew);
    else body = renewFormFields(body, (name) => name === key.form, renew);
  }
  return { ...recipe, headers, body, messageId };
}

type Renew = (old: string) => string;

/** Renews a JSON key where it is: in the body, in a form field that holds JSON, or in a body that is the token's claim. */
function renewJson(body: Buffer, key: Extract<DedupKey, { json: string }>, renew: Renew): Buffer {
  const within = key.within;
  if (within !== undefined && "form" in within) {
    return renewFormFields(body, (name) => name === within.form, (value) => renewJsonText(Buffer.from(value, "utf8"), key.json, renew).toString("utf8"));
  }
  if (within !== undefined && dedupDocument(body, undefined) === undefined) {
    // A token body (a captured Wix delivery, a fixture): the event in its claim is renewed, and `sign` signs it anew.
    const parts = body.toString("utf8").trim().split(".");
    if (parts.length !== 3 || parts[1] === undefined) return body;
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
    } catch {
      return body;
    }
    const claim = claims[within.jwtClaim];
    if (typeof claim !== "string") return body;
    claims[within.jwtClaim] = renewJsonText(Buffer.from(claim, "utf8"), key.json, renew).toString("utf8");
    return Buffer.from(`${parts[0]}.${Buffer.from(JSON.stringify(claims), "utf8").toString("base64url")}.${parts[2] ?? ""}`);
  }
  return renewJsonText(body, key.json, renew);
}

function renewJsonText(text: Buffer, path: string, renew: Renew): Buffer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.toString("utf8"));
  } catch {
    return text;
  }
  let out = text;
  for (const place of jsonKeyPlaces(parsed, path)) {
    if (typeof place.value === "string" && place.value !== "") out = setJsonPath(out, place.path, JSON.stringify(renew(place.value)));
    else if (typeof place.value === "number" && Number.isInteger(place.value) && place.value >= 0 && place.value < 1e21) {
      out = setJsonPath(out, place.path, renew(String(place.value)));
    }
  }
  return out;
}

/** Renews the fields of a form body that `matches` names, each other byte kept (encoding included). */
function renewFormFields(body: Buffer, matches: (name: string) => boolean, renew: Renew): Buffer {
  const text = body.toString("utf8");
  if (!/^[\w.%+[\]-]+=[^&]*(&[\w.%+[\]-]+=[^&]*)*$/.test(text)) return body;
  const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, " "));
  const fields = text.split("&").map((field) => {
    const at = field.indexOf("=");
    const name = decode(field.slice(0, at));
    return matches(name) ? `${field.slice(0, at)}=${encodeURIComponent(renew(decode(field.slice(at + 1))))}` : field;
  });
  return Buffer.from(fields.join("&"), "utf8");
}

/** At least this many random characters, so that two fresh events of one run never share an id (`evt_1` has one digit). */
const MIN_FRESH = 8;

function sameDigits(digits: string): string {
  let out = String(randomInt(1, 10));
  while (out.length < Math.max(digits.length, MIN_FRESH)) out += String(randomInt(0, 10));
  return out;
}

const ISO_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A random value shaped like `value`: a UUID stays a UUID, a time stays a time in the same format (another second of
 * the same day), a URL keeps all but its last segment, a number keeps its digits; anything else keeps its prefix up
 * to the last `_` or `-` and the rest becomes random characters of the same kind and length.
 */
export function sameShape(value: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    const uuid = randomUUID();
    return /[A-F]/.test(value) && !/[a-f]/.test(value) ? uuid.toUpperCase() : uuid;
  }
  const time = ISO_TIME_RE.exec(value);
  if (time !== null) {
    const [, year, month, day] = time;
    const clock = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), 0, 0, randomInt(0, 86_400))).toISOString().slice(11, 19);
    const fresh = `${year}-${month}-${day}T${clock}${time[7] ?? ""}${time[8] ?? ""}`;
    return fresh === value ? sameShape(value) : fresh;
  }
  const slash = value.lastIndexOf("/");
  if (/^https?:\/\//.test(value) && slash > value.indexOf("//") + 1 && slash < value.length - 1) return value.slice(0, slash + 1) + sameShape(value.slice(slash + 1));
  let cut = Math.max(value.lastIndexOf("_"), value.lastIndexOf("-")) + 1;
  // Twilio's `SM` + 32 hex digits: the letters name the kind of object, like a prefix before `_`.
  const lead = /^[G-Zg-z]+(?=[0-9a-f]+$|[0-9A-F]+$)/.exec(value.slice(cut));
  if (lead !== null) cut += lead[0].length;
  const prefix = value.slice(0, cut);
  const rest = value.slice(cut);
  let fresh: string;
  if (/^\d+$/.test(rest)) fresh = sameDigits(rest);
  else if (/^[0-9a-f]+$/.test(rest)) fresh = randomBytes(Math.max(rest.length, MIN_FRESH)).toString("hex").slice(0, Math.max(rest.length, MIN_FRESH));
  else if (/^[0-9A-F]+$/.test(rest)) fresh = randomBytes(Math.max(rest.length, MIN_FRESH)).toString("hex").slice(0, Math.max(rest.length, MIN_FRESH)).toUpperCase();
  else {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    fresh = Array.from({ length: Math.max(rest.length, MIN_FRESH) }, () => alphabet[randomInt(alphabet.length)]).join("");
  }
  return fresh === rest ? sameShape(value) : prefix + fresh;
}
