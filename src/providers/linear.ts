import { COMPACT_JSON } from "./json-shape.js";
import { setJsonPath } from "../core/mutate.js";
import { keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import type { Provider } from "./types.js";
import { eventTypeFrom, joined, json } from "./event-type.js";

// https://linear.app/developers/webhooks#securing-webhooks — `Linear-Signature`: hex HMAC-SHA256 of the
// body; the body's `webhookTimestamp` (unix ms) must be within 60 s of now, in either direction, as
// @linear/sdk's LinearWebhooks.verify checks it.
const KEY = Buffer.from('"webhookTimestamp"');

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * The TOP-LEVEL `webhookTimestamp` digits, as @linear/sdk reads `JSON.parse(body).webhookTimestamp` (a nested
 * field of the same name must not count). Fast path, without parsing 2 KB of JSON per request: Linear writes
 * it as the last member, so when the last occurrence is followed by digits and then only the final `}`, it
 * is a member of the root object. Anything else falls back to JSON.parse.
 */
function readWebhookTimestamp(body: Buffer): string | undefined {
  const at = body.lastIndexOf(KEY);
  if (at === -1) return undefined;
  let i = at + KEY.length;
  while (isSpace(body[i])) i++;
  if (body[i] === 0x3a) {
    i++;
    while (isSpace(body[i])) i++;
    const start = i;
    while (i < body.length && (body[i] as number) >= 0x30 && (body[i] as number) <= 0x39) i++;
    const end = i;
    while (isSpace(body[i])) i++;
    if (end > start && body[i] === 0x7d) {
      i++;
      while (isSpace(body[i])) i++;
      if (i === body.length) return body.toString("latin1", start, end);
    }
  }
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    const value = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>).webhookTimestamp : undefined;
    if (value === undefined || value === null) return undefined;
    // A non-integer or non-number timestamp is reported as malformed by parseTimestamp.
    return typeof value === "number" && Number.isSafeInteger(value) ? String(value) : String(value) || "invalid";
  } catch {
    return undefined;
  }
}

const scheme = defineHmacScheme({
  id: "linear",
  // https://linear.app/developers/webhooks#the-webhook-payload
  sample: (ids, nowMs) => ({
    value: {
      action: "create",
      type: "Issue",
      createdAt: new Date(nowMs).toISOString(),
      data: { id: ids.token(), title: "Überprüfen / fix the thing", url: "https://linear.app/hooktape/issue/HT-1" },
      url: "https://linear.app/hooktape/issue/HT-1",
      webhookId: ids.token(),
      webhookTimestamp: nowMs,
    },
  }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "Linear",
  docs: "https://linear.app/developers/webhooks#securing-webhooks",
  headers: ["linear-signature", "linear-delivery", "linear-event"],
  // https://linear.app/developers/webhooks#the-webhook-payload — the entity `type` and its `action`: `Issue.create`.
  eventType: eventTypeFrom(joined(json("type"), json("action"))),
  signatureHeader: "Linear-Signature",
  algorithm: "sha256",
  encoding: "hex",
  timestamp: { in: "body", read: readWebhookTimestamp, unit: "ms", missingHint: "no top-level webhookTimestamp in the body (Linear always sends one)" },
  toleranceSec: 60,
  rejectsFuture: true,
  signs: ["body"],
  extraHeaders: (input) => [
    keepOrDefault(input.headers, "Linear-Delivery", input.id),
    keepOrDefault(input.headers, "Linear-Event", "Issue"),
    keepOrDefault(input.headers, "User-Agent", "Linear-Webhook"),
  ],
  retry: {
    // https://linear.app/developers/webhooks — failed deliveries are retried 3 times: after 1 minute,
    // 1 hour and 6 hours (our reading of the page; not re-checked).
    delaysSec: [60, 3600, 21_600],
    docs: "https://linear.app/developers/webhooks",
  },
  // Each attempt is sent with its own webhookTimestamp inside the signed body (the SDK refuses one older than 60 s),
  // so a retry's bytes and signature differ; Linear-Delivery names the payload.
  dedup: { keys: [{ header: "Linear-Delivery", example: "5a8c6b2e-3f4d-4e1a-9b7c-0d2e4f6a8b1c" }], attempts: "resigned" },
  // https://developers.linear.app/docs/graphql/webhooks — the provider waits 5 s for the answer, then counts the
  // attempt as failed.
  deadlineMs: 5_000,
  deadlinePublished: true,
});

/**
 * Linear writes the time it sends an attempt into the body it signs, so signing (again) writes `webhookTimestamp`: a
 * re-signed delivery carries its own send time, as each of Linear's attempts does, and passes the 60 s check.
 */
export const linear: Provider = {
  ...scheme,
  sign(input) {
    const body = readWebhookTimestamp(input.body) === undefined ? input.body : setJsonPath(input.body, "webhookTimestamp", String(input.timestamp * 1000));
    return { ...scheme.sign({ ...input, body }), ...(body === input.body ? {} : { body }) };
  },
};
