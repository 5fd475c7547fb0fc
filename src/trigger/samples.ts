import type { SampleIds } from "../providers/sample.js";
import type { HeaderPairs } from "../core/types.js";

/**
 * A provider's most common event, shaped like its documented example: the JSON value (or, for providers that post
 * forms, the form fields as sent) and the headers that name it.
 */
export type TriggerSample = { value: unknown; headers?: HeaderPairs } | { form: string; headers?: HeaderPairs };

const iso = (ms: number) => new Date(ms).toISOString();
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const uuid = (ids: SampleIds) => `${ids.token(4)}-${ids.token(2)}-4${ids.token(2).slice(1)}-8${ids.token(2).slice(1)}-${ids.token(6)}`;

/**
 * The event `trigger` sends for providers without a published catalogue, beyond the ones `check` already samples
 * (src/check/sample-event.ts). Each follows the example in the provider's documentation linked beside it, with a
 * non-ASCII name and a URL with `/` in it, as real payloads have; ids and times are fresh on every send.
 */
export const TRIGGER_SAMPLES: Readonly<Record<string, (ids: SampleIds, nowMs: number) => TriggerSample>> = {
  // https://www.twilio.com/docs/messaging/guides/webhook-request — an incoming message, posted as form fields.
  twilio: (ids) => {
    const sid = `SM${ids.token(16)}`;
    return {
      form:
        `ToCountry=US&ToState=CA&SmsMessageSid=${sid}&NumMedia=0&ToCity=&FromZip=&SmsSid=${sid}&FromState=` +
        `&SmsStatus=received&FromCity=&Body=Caf%C3%A9+cr%C3%A8me+%C3%97+2+%E2%80%94+Zo%C3%AB+%2F+%237&FromCountry=FR&To=%2B15005550006` +
        `&ToZip=&NumSegments=1&MessageSid=${sid}&AccountSid=AC${ids.token(16)}&From=%2B33612345678&ApiVersion=2010-04-01`,
    };
  },
  // https://developer.squareup.com/reference/square/webhooks/payment.updated
  square: (ids, nowMs) => ({
    value: {
      merchant_id: "6SSW7HV8K2ST5",
      type: "payment.updated",
      event_id: uuid(ids),
      created_at: iso(nowMs),
      data: {
        type: "payment",
        id: ids.token(11).toUpperCase(),
        object: {
          payment: {
            id: ids.token(11).toUpperCase(),
            amount_money: { amount: 2000, currency: "EUR" },
            status: "COMPLETED",
            note: "Café crème × 2 — Zoë",
            receipt_url: "https://squareup.com/receipt/preview/hooktape",
            created_at: iso(nowMs),
            updated_at: iso(nowMs),
          },
        },
      },
    },
  }),
  // https://developer.paddle.com/webhooks/transactions/transaction-completed
  paddle: (ids, nowMs) => ({
    value: {
      event_id: `evt_${ids.token(13)}`,
      event_type: "transaction.completed",
      occurred_at: iso(nowMs),
      notification_id: `ntf_${ids.token(13)}`,
      data: {
        id: `txn_${ids.token(13)}`,
        status: "completed",
        customer_id: `ctm_${ids.token(13)}`,
        currency_code: "EUR",
        origin: "web",
        details: { totals: { subtotal: "2000", tax: "380", total: "2380" } },
        items: [{ price: { id: `pri_${ids.token(13)}`, description: "Abonnement mensuel — Zoë" }, quantity: 1 }],
        checkout: { url: "https://example.com/checkout?_ptxn=hooktape" },
        created_at: iso(nowMs),
        updated_at: iso(nowMs),
      },
    },
  }),
  // https://razorpay.com/docs/webhooks/payloads/payments/#payment-captured
  razorpay: (ids, nowMs) => ({
    value: {
      entity: "event",
      account_id: `acc_${ids.token(7)}`,
      event: "payment.captured",
      contains: ["payment"],
      payload: {
        payment: {
          entity: {
            id: `pay_${ids.token(7)}`,
            entity: "payment",
            amount: 50000,
            currency: "INR",
            status: "captured",
            method: "upi",
            description: "Chai ☕ order — Zoë / #7",
            email: "zoe@example.com",
            created_at: Math.floor(nowMs / 1000),
          },
        },
      },
      created_at: Math.floor(nowMs / 1000),
    },
  }),
  // https://developers.zoom.us/docs/api/meetings/events/#tag/meeting/POSTmeeting.started
  zoom: (ids, nowMs) => ({
    value: {
      event: "meeting.started",
      event_ts: nowMs,
      payload: {
        account_id: ids.token(11),
        object: {
          id: String(ids.number(11)),
          uuid: `${ids.token(11)}==`,
          host_id: ids.token(11),
          topic: "Réunion hebdo — équipe / hooktape",
          type: 2,
          start_time: isoSeconds(nowMs),
          timezone: "Europe/Paris",
          duration: 60,
        },
      },
    },
  }),
  // https://docs.mux.com/webhook-reference#video.asset.ready
  mux: (ids, nowMs) => ({
    value: {
      type: "video.asset.ready",
      object: { type: "asset", id: ids.token(16) },
      id: uuid(ids),
      environment: { name: "Production", id: ids.token(3) },
      data: {
        status: "ready",
        passthrough: "Zoë's upload / take 2",
        playback_ids: [{ policy: "public", id: ids.token(16) }],
        id: ids.token(16),
        duration: 23.84,
        created_at: Math.floor(nowMs / 1000),
      },
      created_at: iso(nowMs),
      attempts: [],
      accessor_source: null,
      accessor: null,
      request_id: null,
    },
  }),
  // https://workos.com/docs/events/user
  workos: (ids, nowMs) => ({
    value: {
      id: `event_${ids.token(13).toUpperCase()}`,
      event: "user.created",
      data: {
        object: "user",
        id: `user_${ids.token(13).toUpperCase()}`,
        email: "zoe@example.com",
        first_name: "Zoë",
        last_name: "Müller",
        email_verified: true,
        profile_picture_url: "https://workoscdn.com/images/v1/hooktape",
        created_at: iso(nowMs),
        updated_at: iso(nowMs),
      },
      created_at: iso(nowMs),
    },
  }),
  // https://clerk.com/docs/webhooks/sync-data — a Svix delivery of `user.created`.
  clerk: (ids, nowMs) => ({
    value: {
      data: {
        id: `user_${ids.token(13)}`,
        object: "user",
        first_name: "Zoë",
        last_name: "Müller",
        email_addresses: [{ id: `idn_${ids.token(13)}`, email_address: "zoe@example.com", object: "email_address" }],
        image_url: "https://img.clerk.com/hooktape",
        created_at: nowMs,
        updated_at: nowMs,
      },
      event_attributes: { http_request: { client_ip: "192.0.2.1", user_agent: "Mozilla/5.0 (hooktape)" } },
      object: "event",
      timestamp: nowMs,
      type: "user.created",
    },
  }),
  // https://resend.com/docs/dashboard/webhooks/event-types#email-delivered
  resend: (ids, nowMs) => ({
    value: {
      type: "email.delivered",
      created_at: iso(nowMs),
      data: {
        email_id: uuid(ids),
        from: "Zoë Müller <zoe@example.com>",
        to: ["delivered@resend.dev"],
        subject: "Café / order confirmation",
        created_at: iso(nowMs),
      },
    },
  }),
  // https://docs.svix.com/receiving/introduction — what a Svix customer sends: a `type` and its data.
  svix: (ids, nowMs) => ({
    value: { type: "invoice.paid", timestamp: iso(nowMs), data: { id: `inv_${ids.token()}`, customer: "Zoë Müller", url: "https://example.com/invoices/1" } },
  }),
  // https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#payload-structure
  "standard-webhooks": (ids, nowMs) => ({
    value: {
      type: "contact.created",
      timestamp: iso(nowMs),
      data: { id: `contact_${ids.token()}`, name: "Zoë Müller", profile_url: "https://example.com/contacts/1" },
    },
  }),
  // https://docs.lemonsqueezy.com/help/webhooks/example-payloads#order
  lemonsqueezy: (ids, nowMs) => ({
    value: {
      meta: { event_name: "order_created", custom_data: { customer_id: 25 } },
      data: {
        type: "orders",
        id: String(ids.number(7)),
        attributes: {
          store_id: 1,
          identifier: uuid(ids),
          user_name: "Zoë Müller",
          user_email: "zoe@example.com",
          currency: "EUR",
          total: 999,
          status: "paid",
          urls: { receipt: "https://app.lemonsqueezy.com/my-orders/hooktape" },
          created_at: isoSeconds(nowMs),
          updated_at: isoSeconds(nowMs),
        },
      },
    },
    headers: [["X-Event-Name", "order_created"]],
  }),
  // https://developer.calendly.com/api-docs/webhook-payloads — invitee.created
  calendly: (ids, nowMs) => ({
    value: {
      created_at: iso(nowMs),
      created_by: `https://api.calendly.com/users/${ids.token(8).toUpperCase()}`,
      event: "invitee.created",
      payload: {
        email: "zoe@example.com",
        name: "Zoë Müller",
        status: "active",
        timezone: "Europe/Berlin",
        uri: `https://api.calendly.com/scheduled_events/${ids.token(8).toUpperCase()}/invitees/${ids.token(8).toUpperCase()}`,
        created_at: iso(nowMs),
        updated_at: iso(nowMs),
      },
    },
  }),
  // https://docs.gitlab.com/user/project/integrations/webhook_events/#push-events
  gitlab: (ids, nowMs) => ({
    value: {
      object_kind: "push",
      event_name: "push",
      before: ids.token(20),
      after: ids.token(20),
      ref: "refs/heads/main",
      user_name: "Zoë Müller",
      user_username: "zoe",
      project_id: ids.number(6),
      project: { name: "hooktape", web_url: "https://gitlab.example.com/zoe/hooktape", path_with_namespace: "zoe/hooktape" },
      commits: [{ id: ids.token(20), message: "Überarbeitung / fix the thing", timestamp: iso(nowMs), url: "https://gitlab.example.com/zoe/hooktape/-/commit/1" }],
      total_commits_count: 1,
    },
    headers: [["X-Gitlab-Event", "Push Hook"]],
  }),
  // https://www.typeform.com/developers/webhooks/example-payload/
  typeform: (ids, nowMs) => ({
    value: {
      event_id: ids.token(13).toUpperCase(),
      event_type: "form_response",
      form_response: {
        form_id: ids.token(4),
        token: ids.token(16),
        submitted_at: isoSeconds(nowMs),
        definition: { id: ids.token(4), title: "Café survey — été" },
        answers: [{ type: "text", text: "Très bien / merci", field: { id: ids.token(6), type: "short_text" } }],
      },
    },
  }),
  // https://developer.pagerduty.com/docs/webhooks-overview#webhook-payload — V3, incident.triggered
  pagerduty: (ids, nowMs) => ({
    value: {
      event: {
        id: ids.token(13).toUpperCase(),
        event_type: "incident.triggered",
        resource_type: "incident",
        occurred_at: iso(nowMs),
        agent: null,
        client: null,
        data: {
          id: ids.token(7).toUpperCase(),
          type: "incident",
          self: "https://api.pagerduty.com/incidents/HOOKTAPE",
          html_url: "https://acme.pagerduty.com/incidents/HOOKTAPE",
          number: 2,
          status: "triggered",
          title: "Serveur indisponible — API / checkout",
          urgency: "high",
        },
      },
    },
  }),
  // https://developers.intercom.com/docs/references/webhooks/webhook-models
  intercom: (ids, nowMs) => ({
    value: {
      type: "notification_event",
      app_id: ids.token(4),
      data: { type: "notification_event_data", item: { type: "conversation", id: String(ids.number(11)), title: "Question à propos de la facture / #7" } },
      links: {},
      id: `notif_${uuid(ids)}`,
      topic: "conversation.user.created",
      delivery_status: "pending",
      delivery_attempts: 1,
      created_at: Math.floor(nowMs / 1000),
      first_sent_at: Math.floor(nowMs / 1000),
    },
  }),
  // https://developers.hubspot.com/docs/api/webhooks#webhooks-payloads — a batch of events.
  hubspot: (ids, nowMs) => ({
    value: [
      {
        eventId: ids.number(10),
        subscriptionId: ids.number(6),
        portalId: ids.number(8),
        appId: ids.number(7),
        occurredAt: nowMs,
        subscriptionType: "contact.creation",
        attemptNumber: 0,
        objectId: ids.number(9),
        changeSource: "CRM_UI",
      },
    ],
  }),
  // https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties — order.created
  woocommerce: (ids, nowMs) => ({
    value: {
      id: ids.number(4),
      status: "processing",
      currency: "EUR",
      date_created: isoSeconds(nowMs).slice(0, -1),
      total: "29.35",
      billing: { first_name: "Zoë", last_name: "Müller", email: "zoe@example.com" },
      line_items: [{ id: ids.number(3), name: "Café crème — 250 g", quantity: 2, total: "19.90" }],
      payment_url: "https://example.com/checkout/order-pay/727/",
    },
    headers: [["X-WC-Webhook-Topic", "order.created"], ["X-WC-Webhook-Resource", "order"], ["X-WC-Webhook-Event", "created"], ["X-WC-Webhook-Source", "https://example.com/"]],
  }),
  // https://dev.twitch.tv/docs/eventsub/eventsub-subscription-types/#channelfollow
  twitch: (ids, nowMs) => ({
    value: {
      subscription: {
        id: uuid(ids),
        type: "channel.follow",
        version: "2",
        status: "enabled",
        cost: 0,
        condition: { broadcaster_user_id: String(ids.number(7)), moderator_user_id: String(ids.number(7)) },
        transport: { method: "webhook", callback: "https://example.com/webhooks/twitch" },
        created_at: iso(nowMs),
      },
      event: {
        user_id: String(ids.number(7)),
        user_login: "zoe_m",
        user_name: "Zoë_M",
        broadcaster_user_id: String(ids.number(7)),
        broadcaster_user_login: "hooktape",
        broadcaster_user_name: "hooktape",
        followed_at: iso(nowMs),
      },
    },
    headers: [["Twitch-Eventsub-Message-Type", "notification"], ["Twitch-Eventsub-Subscription-Type", "channel.follow"], ["Twitch-Eventsub-Subscription-Version", "2"]],
  }),
  // https://docs.sentry.io/organization/integrations/integration-platform/webhooks/issues/ — issue.created
  sentry: (ids, nowMs) => ({
    value: {
      action: "created",
      installation: { uuid: uuid(ids) },
      data: {
        issue: {
          id: String(ids.number(10)),
          shortId: "HOOKTAPE-1",
          title: "TypeError: Cannot read ‘amount’ of undefined",
          culprit: "app/webhooks/stripe.ts",
          level: "error",
          status: "unresolved",
          permalink: "https://sentry.io/organizations/acme/issues/1/",
          firstSeen: iso(nowMs),
          lastSeen: iso(nowMs),
        },
      },
      actor: { type: "application", id: "sentry", name: "Sentry" },
    },
    headers: [["Sentry-Hook-Resource", "issue"], ["Sentry-Hook-Timestamp", String(Math.floor(nowMs / 1000))]],
  }),
  // https://vercel.com/docs/webhooks/webhooks-api#deployment.created
  vercel: (ids, nowMs) => ({
    value: {
      id: ids.token(10),
      type: "deployment.created",
      createdAt: nowMs,
      region: "cdg1",
      payload: {
        team: { id: `team_${ids.token(12)}` },
        user: { id: ids.token(12) },
        deployment: { id: `dpl_${ids.token(14)}`, name: "café-site", url: "café-site-hooktape.vercel.app", meta: { githubCommitMessage: "Überarbeitung / fix" } },
        links: { deployment: "https://vercel.com/acme/cafe-site/hooktape", project: "https://vercel.com/acme/cafe-site" },
        target: "production",
        project: { id: `prj_${ids.token(14)}` },
      },
    },
  }),
  // https://docs.cdp.coinbase.com/commerce-onchain/docs/webhooks — charge:confirmed
  coinbase: (ids, nowMs) => ({
    value: {
      id: ids.number(6),
      scheduled_for: isoSeconds(nowMs),
      attempt_number: 1,
      event: {
        id: uuid(ids),
        resource: "event",
        type: "charge:confirmed",
        api_version: "2018-03-22",
        created_at: isoSeconds(nowMs),
        data: {
          code: ids.token(4).toUpperCase(),
          name: "Café crème",
          description: "Zoë's order / #7",
          hosted_url: "https://commerce.coinbase.com/charges/HOOKTAPE",
          pricing: { local: { amount: "7.47", currency: "EUR" } },
        },
      },
    },
  }),
  // https://docs.withorb.com/integrations-and-exports/webhooks — subscription.started
  orb: (ids, nowMs) => ({
    value: {
      id: ids.token(11),
      created_at: iso(nowMs),
      type: "subscription.started",
      properties: {},
      subscription: { id: ids.token(11), status: "active", customer: { id: ids.token(11), name: "Zoë Müller", email: "zoe@example.com" }, start_date: iso(nowMs) },
    },
  }),
};
