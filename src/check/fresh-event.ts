import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { setHeader } from "../core/headers.js";
import { newMessageId } from "../core/ids.js";
import { setJsonPath } from "../core/mutate.js";
import type { RequestRecipe } from "../replay/build-request.js";

/**
 * Body members that name an event, by which handlers deduplicate: Stripe's and most providers' `id`, Slack's
 * `event_id`, Linear's `webhookId`, Paddle's `event_id`, ...
 */
const ID_MEMBERS = ["id", "event_id", "eventId", "webhookId", "webhook_id", "uuid", "notification_id", "delivery_id", "message_id"];
/** Form fields that name an event (Twilio's MessageSid, CallSid, Plivo's CallUUID, ...); the account is not the event. */
const ID_FIELD = /^(?!Account)[A-Za-z]*(?:Sid|UUID)$|^id$/;
/** Headers that carry a delivery or event id (X-GitHub-Delivery, webhook-id, svix-id, X-Shopify-Webhook-Id, ...). */
const ID_HEADER = /(^|-)(id|delivery|delivery-id|event-id|webhook-id|message-id|idempotency-token)$/i;

/**
 * Another event of the same kind, otherwise the same request: a fresh message id, fresh delivery-id headers
 * and fresh ids in the body, each of the same shape as the old one (so `evt_…` stays `evt_…`, a number keeps its
 * digits, a UUID stays a UUID). Body edits are made in place, so every other byte — indentation, escapes,
 * member order — is what the provider sends. A handler that has seen the original has not seen this one.
 */
export function freshEvent(recipe: RequestRecipe): RequestRecipe {
  const messageId = newMessageId();
  let headers = recipe.headers;
  for (const [name, value] of recipe.headers) {
    if (!ID_HEADER.test(name)) continue;
    headers = setHeader(headers, name, value === recipe.messageId ? messageId : sameShape(value));
  }
  return { ...recipe, headers, body: freshBody(recipe.body), messageId };
}

function freshBody(body: Buffer): Buffer {
  const text = body.toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return /^[\w.%+-]+=[^&]*(&[\w.%+-]+=[^&]*)*$/.test(text) ? freshForm(text) : body;
  }
  const top = Array.isArray(parsed) ? parsed[0] : parsed;
  if (top === null || typeof top !== "object" || Array.isArray(top)) return body;
  let out = freshNotificationItems(body, (top as Record<string, unknown>).notificationItems);
  const prefix = Array.isArray(parsed) ? "[0]." : "";
  for (const key of ID_MEMBERS) {
    const value = (top as Record<string, unknown>)[key];
    if (typeof value === "string" && value !== "") out = setJsonPath(out, `${prefix}${key}`, JSON.stringify(sameShape(value)));
    else if (typeof value === "number" && Number.isInteger(value) && value > 0 && value < 1e21) out = setJsonPath(out, `${prefix}${key}`, sameDigits(String(value)));
  }
  return out;
}

/**
 * Adyen's standard webhooks name each event by the pspReference inside each notification item (a handler
 * deduplicates on it with the eventCode); the batch itself has no id.
 */
function freshNotificationItems(body: Buffer, items: unknown): Buffer {
  if (!Array.isArray(items)) return body;
  let out = body;
  items.forEach((wrapper: unknown, index) => {
    const item = (wrapper as { NotificationRequestItem?: { pspReference?: unknown } } | null)?.NotificationRequestItem;
    const psp = item?.pspReference;
    if (typeof psp === "string" && psp !== "") out = setJsonPath(out, `notificationItems[${index}].NotificationRequestItem.pspReference`, JSON.stringify(sameShape(psp)));
  });
  return out;
}

function freshForm(text: string): Buffer {
  const fields = text.split("&").map((field) => {
    const at = field.indexOf("=");
    const name = field.slice(0, at);
    return ID_FIELD.test(decodeURIComponent(name)) ? `${name}=${encodeURIComponent(sameShape(decodeURIComponent(field.slice(at + 1))))}` : field;
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

/** A random value shaped like `value`: its prefix up to the last `_` or `-` kept, the rest of the same kind and length. */
export function sameShape(value: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    const uuid = randomUUID();
    return value === value.toUpperCase() ? uuid.toUpperCase() : uuid;
  }
  const cut = Math.max(value.lastIndexOf("_"), value.lastIndexOf("-")) + 1;
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
