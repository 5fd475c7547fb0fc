import { randomBytes } from "node:crypto";
import type { HeaderPairs } from "../core/types.js";
import type { Provider } from "../providers/types.js";

/** A request `check` sends: a fixture's, or a built-in sample event of the provider. */
export interface CheckSubject {
  /** Shown in the table and the JUnit report (`stripe sample`, `fixtures/stripe.json`). */
  name: string;
  method: string;
  /** Path and query, joined onto `--to`. */
  path: string;
  headers: HeaderPairs;
  body: Buffer;
}

/**
 * How a provider writes its JSON on the wire. A handler that verifies `JSON.stringify(req.body)` instead of the
 * raw bytes only fails when the bytes are not what JSON.stringify writes, so samples are written the way each
 * provider really writes them:
 * - `pretty`: two-space indentation, a newline after each member (Stripe; JSON.stringify(x, null, 2)).
 * - `compact`: no whitespace; then non-ASCII is written raw (GitHub, Standard Webhooks) — still told apart by
 *   the escaped forms below when the provider uses them.
 * - `escaped`: compact, with `/` written as `\/` and non-ASCII as `\uXXXX` (PHP's json_encode; Ruby's
 *   ASCII-only generators).
 * - `spaced`: `", "` and `": "` between members (Python's json.dumps defaults).
 */
export type JsonShape = "pretty" | "compact" | "escaped" | "spaced";

export function serialiseJson(value: unknown, shape: JsonShape): string {
  switch (shape) {
    case "pretty":
      return JSON.stringify(value, null, 2);
    case "compact":
      return JSON.stringify(value);
    case "escaped":
      return JSON.stringify(value)
        .replace(/\//g, "\\/")
        .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    case "spaced":
      return spaced(value);
  }
}

/** Python's `json.dumps(value)`: `, ` and `: ` separators, non-ASCII escaped (ensure_ascii). */
function spaced(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spaced).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${serialiseJson(k, "escaped").replace(/\\\//g, "/")}: ${spaced(v)}`)
      .join(", ")}}`;
  }
  return serialiseJson(value, "escaped").replace(/\\\//g, "/");
}

/** Fresh random ids for one sample: each run of `check` sends events the handler has never seen. */
export interface SampleIds {
  token(bytes?: number): string;
}

export const randomIds: SampleIds = { token: (bytes = 9) => randomBytes(bytes).toString("hex") };

interface SampleBody {
  value: unknown;
  headers?: HeaderPairs;
}

/**
 * The event each provider sends, shaped like its real deliveries (fields from its docs, with a non-ASCII name
 * and a URL with `/` in them, as real payloads have). Providers without an entry get a generic event.
 */
const SAMPLES: Partial<Record<string, (ids: SampleIds, nowMs: number) => SampleBody>> = {
  // https://docs.stripe.com/api/events/object
  stripe: (ids, nowMs) => ({
    value: {
      id: `evt_${ids.token()}`,
      object: "event",
      api_version: "2024-06-20",
      created: Math.floor(nowMs / 1000),
      data: {
        object: {
          id: `pi_${ids.token()}`,
          object: "payment_intent",
          amount: 2000,
          currency: "eur",
          description: "Café crème × 2 — Zoë's order",
          metadata: {},
          receipt_url: "https://pay.stripe.com/receipts/acct_hooktape/ch_hooktape",
          status: "succeeded",
        },
      },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: "payment_intent.succeeded",
    },
  }),
  // https://docs.github.com/en/webhooks/webhook-events-and-payloads#issues
  github: (ids) => ({
    value: {
      action: "opened",
      issue: {
        id: Number.parseInt(ids.token(4), 16),
        number: 1347,
        title: "Ünïcode in the title / a slash",
        html_url: "https://github.com/octocat/Hello-World/issues/1347",
        user: { login: "octocat" },
      },
      repository: { id: 1296269, full_name: "octocat/Hello-World" },
      sender: { login: "octocat" },
    },
    headers: [["X-GitHub-Event", "issues"]],
  }),
  // https://api.slack.com/apis/events-api#callback-field
  slack: (ids, nowMs) => ({
    value: {
      token: "hooktape",
      team_id: "T0HOOKTAPE",
      api_app_id: "A0HOOKTAPE",
      event: { type: "app_mention", user: "U0HOOKTAPE", text: "héllo from hooktape — see https://example.com/a/b", ts: `${Math.floor(nowMs / 1000)}.000100` },
      type: "event_callback",
      event_id: `Ev${ids.token(6).toUpperCase()}`,
      event_time: Math.floor(nowMs / 1000),
    },
  }),
  // A PING interaction (https://discord.com/developers/docs/interactions/receiving-and-responding).
  discord: (ids) => ({ value: { id: ids.token(), application_id: "000000000000000000", type: 1, version: 1, token: ids.token() } }),
  // https://shopify.dev/docs/api/webhooks?reference=toml#list-orders/create
  shopify: (ids) => ({
    value: {
      id: Number.parseInt(ids.token(5), 16),
      email: "zoë@example.com",
      order_status_url: "https://example.myshopify.com/orders/hooktape/authenticate",
      total_price: "20.00",
      currency: "EUR",
      customer: { first_name: "Zoë", last_name: "Müller" },
    },
    headers: [["X-Shopify-Topic", "orders/create"]],
  }),
  // https://linear.app/developers/webhooks#the-webhook-payload
  linear: (ids, nowMs) => ({
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
  // https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event — an array of events.
  sendgrid: (ids, nowMs) => ({
    value: [
      {
        email: "zoë@example.com",
        timestamp: Math.floor(nowMs / 1000),
        event: "delivered",
        sg_event_id: ids.token(),
        sg_message_id: `${ids.token()}.filter0001`,
        url: "https://example.com/a/b",
      },
    ],
  }),
};

/**
 * How each provider writes its JSON (see JsonShape). Only what the provider's docs or SDK fixtures show;
 * every other provider gets `pretty`, which JSON.stringify does not reproduce.
 */
export const JSON_SHAPES: Partial<Record<string, JsonShape>> = {};

export function jsonShapeOf(provider: Provider): JsonShape {
  return JSON_SHAPES[provider.id] ?? "pretty";
}

/**
 * A plausible event of each provider with fresh ids on every run, so that a handler that keeps state between
 * runs sees a new event (its duplicates are then the ones `check` sends on purpose), serialised the way the
 * provider serialises it.
 */
export function sampleSubject(provider: Provider, nowMs: number = Date.now(), ids: SampleIds = randomIds): CheckSubject {
  const name = `${provider.id} sample event`;
  if (provider.id === "twilio") {
    // Twilio posts form fields (https://www.twilio.com/docs/messaging/guides/webhook-request).
    return {
      name,
      method: "POST",
      path: "/",
      headers: [["Content-Type", "application/x-www-form-urlencoded"]],
      body: Buffer.from(
        `AccountSid=AC${ids.token(16)}&Body=h%C3%A9llo+from+hooktape+%2F+check&From=%2B15005550006&MessageSid=SM${ids.token(16)}&To=%2B15005550001`,
      ),
    };
  }
  const sample = SAMPLES[provider.id]?.(ids, nowMs) ?? genericSample(ids, nowMs);
  return {
    name,
    method: "POST",
    path: "/",
    headers: [["Content-Type", "application/json"], ...(sample.headers ?? [])],
    body: Buffer.from(serialiseJson(sample.value, jsonShapeOf(provider)), "utf8"),
  };
}

function genericSample(ids: SampleIds, nowMs: number): SampleBody {
  return {
    value: {
      id: `evt_${ids.token()}`,
      type: "hooktape.check",
      created_at: new Date(nowMs).toISOString(),
      data: { object: { id: `obj_${ids.token()}`, amount: 2000, currency: "eur", description: "Café crème — Zoë", url: "https://example.com/orders/1" } },
    },
  };
}
