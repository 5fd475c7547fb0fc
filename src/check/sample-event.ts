import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { findHeader } from "../core/headers.js";
import type { HeaderPairs } from "../core/types.js";
import { jsonKeySteps } from "../providers/dedup.js";
import { jsonShapeOf, serialiseJson } from "../providers/json-shape.js";
import type { Provider } from "../providers/types.js";

/** A request `check` sends: a fixture's, or a built-in sample event of the provider. */
export interface CheckSubject {
  /** Shown in the table and the JUnit report (`stripe sample`, `fixtures/stripe.json`). */
  name: string;
  method: string;
  /** Path and query: where the request goes when `--to` is a port or an origin. */
  path: string;
  headers: HeaderPairs;
  body: Buffer;
}

/** Ids for one sample: random for `check` (each run sends events the handler has never seen), fixed for fixtures. */
export interface SampleIds {
  /** An id's variable part (hex when random). */
  token(bytes?: number): string;
  /** A numeric id with this many digits. */
  number(digits: number): number;
  /** A UUID. */
  uuid(): string;
}

export const randomIds: SampleIds = {
  token: (bytes = 9) => randomBytes(bytes).toString("hex"),
  number: (digits) => randomInt(10 ** (digits - 1), 10 ** digits),
  uuid: () => randomUUID(),
};

/** Reproducible ids (`hooktape_1`, `hooktape_2`, ...; 1000001, ...; 00000000-0000-4000-8000-000000000001), for the shipped fixtures. */
export function fixedIds(): SampleIds {
  let n = 0;
  return {
    token: () => `hooktape_${++n}`,
    number: (digits) => 10 ** (digits - 1) + ++n,
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  };
}

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
        id: ids.number(10),
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
  // https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhook-payloads — `signing` is written in by `sign`.
  mailgun: (ids, nowMs) => ({
    value: {
      "event-data": {
        id: ids.token(),
        event: "delivered",
        timestamp: nowMs / 1000,
        recipient: "zoë@example.com",
        message: { headers: { "message-id": `${ids.token()}@mg.example.com`, subject: "Café / order confirmation" } },
      },
    },
  }),
  // https://docs.adyen.com/api-explorer/Webhooks/latest/post/AUTHORISATION — a standard webhook is a batch of
  // notification items; `sign` writes each item's additionalData.hmacSignature in.
  adyen: (ids, nowMs) => ({
    value: {
      live: "false",
      notificationItems: [
        {
          NotificationRequestItem: {
            additionalData: { authCode: "123456", cardSummary: "1111", expiryDate: "03/2030", shopperName: "Zoë Müller" },
            amount: { currency: "EUR", value: 2000 },
            eventCode: "AUTHORISATION",
            eventDate: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "+00:00"),
            merchantAccountCode: "HooktapeECOM",
            merchantReference: `Café-order-${ids.token()}`,
            operations: ["CANCEL", "CAPTURE", "REFUND"],
            paymentMethod: "visa",
            pspReference: ids.token(8).toUpperCase(),
            reason: "123456:1111:03/2030",
            success: "true",
          },
        },
      ],
    },
  }),
  // A PING interaction (https://discord.com/developers/docs/interactions/receiving-and-responding).
  discord: (ids) => ({ value: { id: ids.token(), application_id: "000000000000000000", type: 1, version: 1, token: ids.token() } }),
  // https://shopify.dev/docs/api/webhooks?reference=toml#list-orders/create
  shopify: (ids) => ({
    value: {
      id: ids.number(13),
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
    // Keys sorted, as SendGrid's signed vector has them.
    value: [
      {
        email: "zoë@example.com",
        event: "delivered",
        sg_event_id: ids.token(),
        sg_message_id: `${ids.token()}.filter0001`,
        timestamp: Math.floor(nowMs / 1000),
        url: "https://example.com/a/b",
      },
    ],
  }),
  // https://postmarkapp.com/developer/webhooks/delivery-webhook — a Delivery record, named by the message's MessageID.
  postmark: (ids, nowMs) => ({
    value: {
      RecordType: "Delivery",
      ServerID: 23,
      MessageStream: "outbound",
      MessageID: ids.uuid(),
      Recipient: "zoë@example.com",
      Tag: "welcome-email",
      DeliveredAt: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
      Details: "Test delivery webhook details — café / order",
      Metadata: { a_key: "a_value" },
    },
  }),
  // https://developer.vonage.com/en/messages/concepts/messages-api-webhooks — an inbound SMS on the Messages API,
  // named by its message_uuid.
  vonage: (ids, nowMs) => ({
    value: {
      channel: "sms",
      message_uuid: ids.uuid(),
      to: "447700900000",
      from: "447700900001",
      timestamp: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
      text: "Héllo from hooktape — see https://example.com/a/b",
      sms: { num_messages: "1", keyword: "HELLO" },
      message_type: "text",
    },
  }),
  // https://developers.hubspot.com/docs/api/webhooks#webhooks-payloads — a batch of events, each named by eventId.
  hubspot: (ids, nowMs) => ({
    value: [
      {
        eventId: ids.number(10),
        subscriptionId: 2481234,
        portalId: 62515,
        appId: 1160452,
        occurredAt: nowMs,
        subscriptionType: "contact.propertyChange",
        attemptNumber: 0,
        objectId: ids.number(9),
        propertyName: "firstname",
        propertyValue: "Zoë",
        changeSource: "CRM",
      },
    ],
  }),
  // Certificates and key ids.
  // https://developer.paypal.com/api/rest/webhooks/event-names/#link-payments — PAYMENT.CAPTURE.COMPLETED.
  paypal: (ids, nowMs) => ({
    value: {
      id: `WH-${ids.token(8).toUpperCase()}`,
      event_version: "1.0",
      create_time: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
      resource_type: "capture",
      resource_version: "2.0",
      event_type: "PAYMENT.CAPTURE.COMPLETED",
      summary: "Payment completed for EUR 7.47 EUR",
      resource: {
        id: ids.token(8).toUpperCase(),
        amount: { currency_code: "EUR", value: "7.47" },
        final_capture: true,
        status: "COMPLETED",
        payee: { email_address: "zoë@example.com", merchant_id: "HOOKTAPE0MERCH" },
        create_time: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
      },
      links: [{ href: "https://api.sandbox.paypal.com/v1/notifications/webhooks-events/WH-hooktape", rel: "self", method: "GET" }],
    },
  }),
  // https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html — the signature fields are written in by
  // `sign`, after Timestamp, as SNS orders them.
  sns: (ids, nowMs) => ({
    value: {
      Type: "Notification",
      MessageId: ids.uuid(),
      TopicArn: "arn:aws:sns:eu-west-1:123456789012:hooktape-orders",
      Subject: "Commande reçue — Zoë",
      Message: JSON.stringify({ order: ids.token(), note: "café crème", url: "https://example.com/orders/1" }),
      Timestamp: new Date(nowMs).toISOString(),
      UnsubscribeURL: "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:eu-west-1:123456789012:hooktape-orders:hooktape",
    },
    headers: [["Content-Type", "text/plain; charset=UTF-8"]],
  }),
  // https://developers.circle.com/w3s/web3-services-notifications-quickstart — a transactions.inbound notification.
  circle: (ids, nowMs) => ({
    value: {
      subscriptionId: `${ids.token(4)}-0000-4000-8000-${ids.token(6)}`,
      notificationId: `${ids.token(4)}-0000-4000-8000-${ids.token(6)}`,
      notificationType: "transactions.inbound",
      notification: {
        id: ids.token(),
        blockchain: "ETH-SEPOLIA",
        state: "COMPLETE",
        amounts: ["7.47"],
        refId: "Café / order 7 — Zoë",
        createDate: new Date(nowMs).toISOString(),
      },
      timestamp: new Date(nowMs).toISOString(),
      version: 2,
    },
  }),
  // eBay/event-notification-nodejs-sdk test/test.json: MARKETPLACE_ACCOUNT_DELETION.
  ebay: (ids, nowMs) => ({
    value: {
      metadata: { topic: "MARKETPLACE_ACCOUNT_DELETION", schemaVersion: "1.0", deprecated: false },
      notification: {
        notificationId: `${ids.token()}_${ids.token()}`,
        eventDate: new Date(nowMs).toISOString(),
        publishDate: new Date(nowMs).toISOString(),
        publishAttemptCount: 1,
        data: { username: "zoë_hooktape", userId: ids.token(6), eiasToken: "nY+sHZ2PrBmdj6wVnY+sEZ2PrA2dj6wJnY+gAZGEpwmdj6x9nY+seQ==" },
      },
    },
  }),
};

/** A sample posted as form fields, as Twilio and Plivo post their callbacks. */
function formPost(name: string, path: string, fields: string, provider: Provider, ids: SampleIds, nowMs: number): CheckSubject {
  return {
    name,
    method: "POST",
    path,
    headers: withDedupHeaders([["Content-Type", "application/x-www-form-urlencoded"]], provider, ids, nowMs),
    body: Buffer.from(fields),
  };
}

/**
 * A plausible event of each provider with fresh ids on every run, so that a handler that keeps state between
 * runs sees a new event (its duplicates are then the ones `check` sends on purpose), serialised the way the
 * provider serialises it.
 */
export function sampleSubject(provider: Provider, nowMs: number = Date.now(), ids: SampleIds = randomIds): CheckSubject {
  const name = `${provider.id} sample event`;
  // Where the provider's shipped fixture goes, so that `check --to 3000` and `send fixtures/<id>.json --to 3000` agree.
  const path = `/webhooks/${provider.id}`;
  if (provider.id === "twilio") {
    // Twilio posts form fields (https://www.twilio.com/docs/messaging/guides/webhook-request).
    return formPost(
      name,
      path,
      `AccountSid=AC${ids.token(16)}&Body=h%C3%A9llo+from+hooktape+%2F+check&From=%2B15005550006&MessageSid=SM${ids.token(16)}&To=%2B15005550001`,
      provider,
      ids,
      nowMs,
    );
  }
  if (provider.id === "mandrill") {
    // Mandrill posts its events as one form field, `mandrill_events`, a JSON array
    // (https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/).
    const events = [
      { event: "send", _id: ids.token(16), ts: Math.floor(nowMs / 1000), msg: { email: "zoë@example.com", subject: "Café / order confirmation", state: "sent" } },
    ];
    return formPost(name, path, `mandrill_events=${encodeURIComponent(JSON.stringify(events))}`, provider, ids, nowMs);
  }
  if (provider.id === "plivo") {
    // Plivo posts its call callbacks as form fields (https://www.plivo.com/docs/voice/xml/request-parameters), which V3 signs.
    return formPost(
      name,
      path,
      `CallUUID=${ids.token(8)}&CallerName=Zo%C3%AB+M%C3%BCller&CallStatus=in-progress&Direction=inbound&Event=StartApp&From=15005550006&To=15005550001`,
      provider,
      ids,
      nowMs,
    );
  }
  const sample = SAMPLES[provider.id]?.(ids, nowMs) ?? genericSample(provider, ids, nowMs);
  const headers: HeaderPairs = [
    // JSON unless the provider says otherwise (Amazon SNS posts its JSON as text/plain).
    ...(sample.headers?.some(([name]) => name.toLowerCase() === "content-type") ? [] : [["Content-Type", "application/json"] as [string, string]]),
    ...(sample.headers ?? []),
  ];
  return {
    name,
    method: "POST",
    path,
    headers: withDedupHeaders(headers, provider, ids, nowMs),
    body: Buffer.from(serialiseJson(sample.value, jsonShapeOf(provider)), "utf8"),
  };
}

/**
 * A generic event for the providers without a sample of their own, carrying the members the provider names its
 * events by (`event_id`, `data.id`, `events[*].id`, ...: its dedup keys) where a real delivery has them, so that a
 * handler written for that provider finds its event's id.
 */
function genericSample(provider: Provider, ids: SampleIds, nowMs: number): SampleBody {
  const value: Record<string, unknown> = {
    id: `evt_${ids.token()}`,
    type: "hooktape.check",
    created_at: new Date(nowMs).toISOString(),
    data: { object: { id: `obj_${ids.token()}`, amount: 2000, currency: "eur", description: "Café crème — Zoë", url: "https://example.com/orders/1" } },
  };
  for (const key of provider.dedup.keys) {
    if ("json" in key && key.within === undefined && key.optional !== true) placeMember(value, jsonKeySteps(key.json), sampleValueLike(key.example, ids, nowMs));
  }
  return { value };
}

/** Writes `leaf` at the path unless something is there already; `*` makes (or enters) a one-item array. */
function placeMember(root: Record<string, unknown>, steps: ReadonlyArray<string>, leaf: unknown): void {
  let node: unknown = root;
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    const nextIsArray = steps[i + 1] === "*";
    if (step === "*") {
      const list = node as unknown[];
      if (list.length === 0) list.push(last ? leaf : nextIsArray ? [] : {});
      node = list[0];
      return;
    }
    const object = node as Record<string, unknown>;
    if (!(step in object) || object[step] === null || typeof object[step] !== "object") {
      if (last) {
        if (!(step in object)) object[step] = leaf;
        return;
      }
      object[step] = nextIsArray ? [] : {};
    }
    node = object[step];
  });
}

/**
 * The headers a provider names its events by and that its scheme does not write itself (Twilio's
 * I-Twilio-Idempotency-Token, Shopify's X-Shopify-Event-Id, ...), as its deliveries carry them. The scheme's own
 * headers (GitHub's X-GitHub-Delivery, webhook-id: the message id it signs; SNS's, copied from the body) are `sign`'s.
 */
function withDedupHeaders(headers: HeaderPairs, provider: Provider, ids: SampleIds, nowMs: number): HeaderPairs {
  const out: HeaderPairs = [...headers];
  for (const key of provider.dedup.keys) {
    if (!("header" in key) || key.optional === true || provider.headers.includes(key.header.toLowerCase()) || findHeader(out, key.header) !== undefined) continue;
    out.push([key.header, String(sampleValueLike(key.example, ids, nowMs))]);
  }
  return out;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

/** A new id of the example's shape: a number of its digits, a UUID, a time (now), or its prefix and a token. */
function sampleValueLike(example: string | number, ids: SampleIds, nowMs: number): string | number {
  if (typeof example === "number") return String(example).length === String(nowMs).length ? nowMs : ids.number(String(example).length);
  if (UUID_RE.test(example)) return ids.uuid();
  if (ISO_RE.test(example)) return new Date(nowMs).toISOString();
  const cut = Math.max(example.lastIndexOf("_"), example.lastIndexOf("-"), example.lastIndexOf("/"), example.lastIndexOf("."), example.lastIndexOf(":")) + 1;
  return example.slice(0, cut) + ids.token();
}
