// The event type each provider's rule reads from a delivery shaped as its documentation shows one (the headers and
// members that name the event, with the surrounding payload cut down), and what it does with bodies it cannot read.
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { eventTypeOf, MAX_TYPED_BODY_BYTES } from "../../src/providers/event-type.js";
import { getProvider, providers } from "../../src/providers/index.js";

type Row = [provider: string, headers: HeaderPairs, body: string, expected: string];
const JSON_TYPE: [string, string] = ["Content-Type", "application/json"];
const FORM_TYPE: [string, string] = ["Content-Type", "application/x-www-form-urlencoded"];
const j = (value: unknown, indent = 0) => JSON.stringify(value, null, indent);

const ROWS: Row[] = [
  // https://docs.stripe.com/api/events/object
  ["stripe", [JSON_TYPE], j({ id: "evt_1NG8Du2eZvKYlo2CUI79vXWy", object: "event", api_version: "2019-02-19", created: 1686089970, data: { object: { id: "seti_1NG8Du2eZvKYlo2C9XMqbR0x", object: "setup_intent" } }, livemode: false, pending_webhooks: 0, request: { id: null, idempotency_key: null }, type: "setup_intent.created" }, 2), "setup_intent.created"],
  // https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request
  ["github", [JSON_TYPE, ["X-GitHub-Event", "pull_request"], ["X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"]], j({ action: "opened", number: 2, pull_request: { head: {}, base: {}, user: { login: "Codertocat" } } }), "pull_request.opened"],
  ["github", [JSON_TYPE, ["X-GitHub-Event", "push"]], j({ ref: "refs/heads/main", before: "6113728f27ae82c7b1a177c8d03f9e96e0adf246", commits: [] }), "push"],
  ["github", [JSON_TYPE, ["X-GitHub-Event", "ping"]], j({ zen: "Design for failure.", hook_id: 30 }), "ping"],
  // https://shopify.dev/docs/apps/build/webhooks/subscribe/https (and the Events variant without X-)
  ["shopify", [JSON_TYPE, ["X-Shopify-Topic", "orders/create"], ["X-Shopify-Shop-Domain", "shop.myshopify.com"], ["X-Shopify-API-Version", "2025-10"]], j({ id: 820982911946154500, email: "jon@example.com" }), "orders/create"],
  ["shopify", [JSON_TYPE, ["shopify-topic", "products/update"], ["shopify-hmac-sha256", "x"]], j({ id: 788032119674292900 }), "products/update"],
  // https://api.slack.com/apis/events-api#callback-field, #handshake; interactive payloads; slash commands
  ["slack", [JSON_TYPE], j({ token: "XXYYZZ", team_id: "T123ABC456", type: "event_callback", event: { type: "app_mention", user: "U123ABC456", text: "<@U0LAN0Z89> is it everything a river should be?" }, event_id: "Ev123ABC456" }), "app_mention"],
  ["slack", [JSON_TYPE], j({ token: "Jhj5dZrVaK7ZwHHjRyZWjbDl", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" }), "url_verification"],
  ["slack", [FORM_TYPE], `payload=${encodeURIComponent(j({ type: "block_actions", user: { id: "U123" }, actions: [{ action_id: "approve" }] }))}`, "block_actions"],
  ["slack", [FORM_TYPE], "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&command=%2Fweather&text=94070&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678", "/weather"],
  // https://www.twilio.com/docs/messaging/guides/track-outbound-message-status, .../webhook-request, voice status callbacks
  ["twilio", [FORM_TYPE], "AccountSid=ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX&ApiVersion=2010-04-01&From=%2B15017122661&MessageSid=SM1342fe1b2c904d1ab04f0fc7a58abca9&MessageStatus=delivered&SmsSid=SM1342fe1b2c904d1ab04f0fc7a58abca9&SmsStatus=delivered&To=%2B15558675310", "message.delivered"],
  ["twilio", [FORM_TYPE], "ToCountry=US&SmsMessageSid=SM1&NumMedia=0&SmsStatus=received&Body=Hello&MessageSid=SM1&AccountSid=AC1&From=%2B14017122661", "message.received"],
  ["twilio", [FORM_TYPE], "AccountSid=AC1&ApiVersion=2010-04-01&CallSid=CA1&CallStatus=completed&Direction=outbound-api&From=%2B1&To=%2B2", "call.completed"],
  // https://www.plivo.com/docs/voice/xml/request-parameters; messaging status callbacks
  ["plivo", [FORM_TYPE], "CallUUID=70e7e6d8-1d2d-11e5-a2f1-8b9b6a7a4a2e&CallStatus=in-progress&Direction=inbound&Event=StartApp&From=15005550006&To=15005550001", "StartApp"],
  ["plivo", [FORM_TYPE], "From=14155551234&MessageUUID=e3bf1d90-4ad3-11e7-a66a-061d1d3fb4c8&Status=delivered&To=14155556789&TotalRate=0.0035&Units=1", "message.delivered"],
  // https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#payload-structure
  ["standard-webhooks", [JSON_TYPE, ["webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"]], j({ type: "contact.created", timestamp: "2022-11-03T20:26:10.344522Z", data: { id: "1f81eb52-5198-4599-803e-771906343485" } }), "contact.created"],
  ["svix", [JSON_TYPE, ["svix-id", "msg_1"]], j({ type: "invoice.paid", data: { id: "invoice_WF7WtCLFFtd8ubcTgboSFNql" } }), "invoice.paid"],
  // https://clerk.com/docs/webhooks/sync-data ; https://resend.com/docs/dashboard/webhooks/event-types
  ["clerk", [JSON_TYPE], j({ data: { id: "user_29w83sxmDNGwOuEthce5gg56FcC", object: "user" }, object: "event", type: "user.created" }), "user.created"],
  ["resend", [JSON_TYPE], j({ type: "email.delivered", created_at: "2024-02-22T23:41:12.126Z", data: { email_id: "56761188-7520-42d8-8898-ff6fc54ce618" } }), "email.delivered"],
  // https://docs.lithic.com/docs/events-api ; https://platform.openai.com/docs/guides/webhooks ; Brex ; Polar ; BigCommerce
  ["lithic", [JSON_TYPE], j({ token: "ev_1", event_type: "card.created", payload: { token: "card_1" } }), "card.created"],
  ["openai", [JSON_TYPE], j({ object: "event", id: "evt_685343a1381c819085d44c354e1b330e", type: "response.completed", created_at: 1750287018, data: { id: "resp_abc123" } }), "response.completed"],
  ["brex", [JSON_TYPE], j({ event_type: "EXPENSE_PAYMENT_UPDATED", expense_id: "expense_1", company_id: "cuacc_1" }), "EXPENSE_PAYMENT_UPDATED"],
  ["polar", [JSON_TYPE], j({ type: "order.paid", data: { id: "ord_1" } }), "order.paid"],
  ["bigcommerce", [JSON_TYPE], j({ scope: "store/order/created", store_id: "1025646", data: { type: "order", id: 250 }, hash: "dd70c0976e06b67aaf671e73f49dcb79230ebf9d", created_at: 1561479335, producer: "stores/{store_hash}" }), "store/order/created"],
  // https://developer.squareup.com/docs/webhooks/overview
  ["square", [JSON_TYPE], j({ merchant_id: "6SSW7HV8K2ST5", type: "payment.updated", event_id: "13b867cf-db3d-4b1c-90b6-2f32a9d78124", data: { type: "payment" } }), "payment.updated"],
  // https://developer.paddle.com/webhooks/overview
  ["paddle", [JSON_TYPE], j({ event_id: "evt_01h8bx3ns6asmgqkdpm2e6k36k", event_type: "transaction.completed", occurred_at: "2023-08-21T11:06:43.234619Z", notification_id: "ntf_01h8bx3ntbbmqwyd8fn11y8e6y", data: { id: "txn_1" } }), "transaction.completed"],
  // https://linear.app/developers/webhooks#the-webhook-payload
  ["linear", [JSON_TYPE, ["Linear-Event", "Issue"]], j({ action: "create", type: "Issue", data: { id: "2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9" }, webhookTimestamp: 1676056940508 }), "Issue.create"],
  // https://discord.com/developers/docs/interactions/receiving-and-responding ; webhook events
  ["discord", [JSON_TYPE], j({ id: "1", application_id: "2", type: 1, version: 1, token: "x" }), "PING"],
  ["discord", [JSON_TYPE], j({ id: "1", application_id: "2", type: 2, data: { name: "blep" }, token: "x" }), "APPLICATION_COMMAND"],
  ["discord", [JSON_TYPE], j({ version: 1, application_id: "1234560123453231555", type: 1, event: { type: "APPLICATION_AUTHORIZED", timestamp: "2024-10-18T14:42:53.064834", data: {} } }), "APPLICATION_AUTHORIZED"],
  // https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event
  ["sendgrid", [JSON_TYPE], `${j([{ email: "example@test.com", timestamp: 1513299569, event: "processed", sg_event_id: "sg_event_id", sg_message_id: "sg_message_id" }])}\r\n`, "processed"],
  // https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks
  ["telnyx", [JSON_TYPE], j({ data: { event_type: "message.received", id: "b301ed3f-1490-491f-995f-6e64e69674d4", occurred_at: "2019-12-09T20:16:07.588+00:00", payload: {}, record_type: "event" }, meta: { attempt: 1 } }), "message.received"],
  // https://developers.line.biz/en/reference/messaging-api/#webhook-event-objects
  ["line", [JSON_TYPE], j({ destination: "xxxxxxxxxx", events: [{ type: "message", message: { type: "text", id: "14353798921116", text: "Hello, world" }, replyToken: "757913772c4646b784d4b7ce46d12671" }] }), "message"],
  // https://razorpay.com/docs/webhooks/payloads/payments/
  ["razorpay", [JSON_TYPE], j({ entity: "event", account_id: "acc_BFQ7uQEaa7j2z7", event: "payment.captured", contains: ["payment"], payload: { payment: { entity: { id: "pay_DESlfW9H8K9uqM" } } } }), "payment.captured"],
  // https://developers.hubspot.com/docs/api/webhooks
  ["hubspot", [JSON_TYPE], j([{ objectId: 1246965, propertyName: "lifecyclestage", eventId: 3816279340, subscriptionId: 25, portalId: 33, appId: 1160452, occurredAt: 1462216307945, subscriptionType: "contact.propertyChange", attemptNumber: 0 }]), "contact.propertyChange"],
  // https://docs.mux.com/core/listen-for-webhooks
  ["mux", [JSON_TYPE], j({ type: "video.asset.ready", object: { type: "asset", id: "0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002" }, id: "3a56ac3d-33da-4366-855b-f592d898409d", data: { status: "ready" } }), "video.asset.ready"],
  // https://workos.com/docs/events
  ["workos", [JSON_TYPE], j({ id: "event_01H2GNQD5B7G3B4N5XG4KGE8C0", event: "dsync.user.created", data: { id: "directory_user_01E1JG7J09H96KYP8HM9B0G5SJ" }, created_at: "2023-06-09T18:51:53.925Z" }), "dsync.user.created"],
  // https://developers.zoom.us/docs/api/webhooks/
  ["zoom", [JSON_TYPE], j({ event: "meeting.started", event_ts: 1626230691572, payload: { account_id: "AAAAAABBBB", object: { id: "1234567890" } } }), "meeting.started"],
  ["zoom", [JSON_TYPE], j({ payload: { plainToken: "qgg8vlvZRS6UYooatFL8Aw" }, event_ts: 1654503849680, event: "endpoint.url_validation" }), "endpoint.url_validation"],
  // https://docs.moderntreasury.com/platform/reference/webhooks
  ["modern-treasury", [JSON_TYPE, ["X-Topic", "payment_order"], ["X-Webhook-ID", "2"]], j({ event: "completed", data: { id: "aa2e1d4a-0c2f-4b34-8f57-2a9c8e3d1c11", object: "payment_order" } }), "payment_order.completed"],
  // https://www.airwallex.com/docs/developer-tools__listen-for-webhook-events
  ["airwallex", [JSON_TYPE], j({ id: "d5f1c6ba-52a2-4d2f-91c6-ef5b53dc9b3f", name: "payment_intent.succeeded", account_id: "acct_1", data: { object: { id: "int_1" } }, created_at: "2022-03-01T00:00:00+0000" }), "payment_intent.succeeded"],
  // https://developers.intercom.com/docs/references/webhooks/webhook-models
  ["intercom", [JSON_TYPE], j({ type: "notification_event", app_id: "ecahpwf5", data: { type: "notification_event_data", item: {} }, id: "notif_ccd8a4d2-c82b-4ea0-9b14-7f8f72f63a9e", topic: "conversation.user.created", created_at: 1392731331 }), "conversation.user.created"],
  // https://www.typeform.com/developers/webhooks/example-payload/
  ["typeform", [JSON_TYPE], j({ event_id: "LtWXD3crgy", event_type: "form_response", form_response: { form_id: "lT4Z3j" } }), "form_response"],
  // https://docs.gitlab.com/user/project/integrations/webhook_events/
  ["gitlab", [JSON_TYPE, ["X-Gitlab-Event", "Push Hook"], ["X-Gitlab-Token", "[redacted]"]], j({ object_kind: "push", event_name: "push", ref: "refs/heads/master" }), "push"],
  ["gitlab", [JSON_TYPE, ["X-Gitlab-Event", "Merge Request Hook"]], j({ object_kind: "merge_request", event_type: "merge_request", object_attributes: { id: 99, action: "open" } }), "merge_request.open"],
  // https://developer.atlassian.com/server/jira/platform/webhooks/
  ["jira", [JSON_TYPE], j({ timestamp: 1525698237764, webhookEvent: "jira:issue_created", issue_event_type_name: "issue_created", issue: { key: "TEST-1" } }), "jira:issue_created"],
  // https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/
  ["bitbucket", [JSON_TYPE, ["X-Event-Key", "pullrequest:created"], ["X-Hook-UUID", "cb6d1ac2-a0c0-4c04-8cb4-09c7d3ee3c53"]], j({ pullrequest: { id: 1 }, repository: {}, actor: {} }), "pullrequest:created"],
  // https://dev.twitch.tv/docs/eventsub/handling-webhook-events/
  ["twitch", [JSON_TYPE, ["Twitch-Eventsub-Message-Type", "notification"], ["Twitch-Eventsub-Subscription-Type", "channel.follow"]], j({ subscription: { type: "channel.follow" }, event: { user_name: "Cool_User" } }), "channel.follow"],
  // https://developers.facebook.com/docs/graph-api/webhooks/getting-started ; WhatsApp Cloud API
  ["meta", [JSON_TYPE], j({ object: "page", entry: [{ id: "1", time: 1520383571, changes: [{ field: "feed", value: {} }] }] }), "page.feed"],
  ["whatsapp", [JSON_TYPE], j({ object: "whatsapp_business_account", entry: [{ id: "WHATSAPP_BUSINESS_ACCOUNT_ID", changes: [{ value: { messaging_product: "whatsapp" }, field: "messages" }] }] }), "whatsapp_business_account.messages"],
  ["instagram", [JSON_TYPE], j({ object: "instagram", entry: [{ id: "17841405822304914", time: 1520622968, changes: [{ field: "comments", value: { id: "17865799348089039", text: "This is an example." } }] }] }), "instagram.comments"],
  ["messenger", [JSON_TYPE], j({ object: "page", entry: [{ id: "1", time: 1458692752478, messaging: [{ message: { text: "hello" } }] }] }), "page"],
  // https://docs.lemonsqueezy.com/help/webhooks/webhook-requests
  ["lemonsqueezy", [JSON_TYPE, ["X-Event-Name", "order_created"]], j({ meta: { event_name: "order_created", custom_data: {} }, data: { type: "orders", id: "1" } }), "order_created"],
  // https://developer.calendly.com/api-docs/webhook-payloads
  ["calendly", [JSON_TYPE], j({ created_at: "2020-11-23T17:51:19.000000Z", created_by: "https://api.calendly.com/users/AAAAAAAAAAAAAAAA", event: "invitee.created", payload: {} }), "invitee.created"],
  // https://docs.sentry.io/organization/integrations/integration-platform/webhooks/
  ["sentry", [JSON_TYPE, ["Sentry-Hook-Resource", "issue"], ["Sentry-Hook-Timestamp", "1"]], j({ action: "created", installation: { uuid: "a8e5d37a-696c-4c54-adb5-b3f28d64c7de" }, data: { issue: {} } }), "issue.created"],
  ["sentry", [JSON_TYPE, ["Sentry-Hook-Resource", "installation"]], j({ action: "deleted", data: { installation: {} } }), "installation.deleted"],
  // https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhook-payloads
  ["mailgun", [JSON_TYPE], j({ signature: { timestamp: "1529006854", token: "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0", signature: "d2271d12299f6592d9d44cd9d250f0704e4674c30d79d07c47a66f95ce71cf55" }, "event-data": { event: "opened", timestamp: 1529006854.329574, id: "DACSsAdVSeGpLid7TN03WA" } }), "opened"],
  // https://vercel.com/docs/webhooks/webhooks-api
  ["vercel", [JSON_TYPE], j({ id: "uqN4Ie1FHgQE3H2K7JcXX", type: "deployment.succeeded", createdAt: 1664312945342, payload: {} }), "deployment.succeeded"],
  // https://developers.asana.com/docs/webhooks-guide
  ["asana", [JSON_TYPE], j({ events: [{ action: "changed", resource: { gid: "1234", resource_type: "task" }, user: { gid: "5678" } }] }), "task.changed"],
  // https://developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/
  ["zendesk", [JSON_TYPE], j({ type: "zen:event-type:ticket.created", account_id: 1, id: "cbe4028c-7239-495d-b020-f22348516046", detail: {} }), "zen:event-type:ticket.created"],
  // https://docs.cdp.coinbase.com/commerce-onchain/docs/webhooks
  ["coinbase", [JSON_TYPE], j({ id: 1, scheduled_for: "2017-01-31T20:50:02Z", event: { id: "24934862-d980-46cb-9402-43c81b0cdba6", resource: "event", type: "charge:created", data: {} } }), "charge:created"],
  // https://developer.xero.com/documentation/guides/webhooks/overview/
  ["xero", [JSON_TYPE], j({ events: [{ resourceUrl: "https://api.xero.com/api.xro/2.0/Contacts/717f2bfc", resourceId: "717f2bfc", eventDateUtc: "2017-06-21T01:15:39.902", eventType: "UPDATE", eventCategory: "CONTACT", tenantId: "c2cc9b6e", tenantType: "ORGANISATION" }], firstEventSequence: 1, lastEventSequence: 1, entropy: "S0m3r4Nd0mt3xt" }, 2), "CONTACT.UPDATE"],
  // https://developer.webex.com/docs/api/guides/webhooks
  ["webex", [JSON_TYPE], j({ id: "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svZjRlNjA1NjAtNjYwMi00ZmIwLWEyNWEtOTQ5ODgxNjA5NDk3", name: "New message in 'Project Unicorn' room", resource: "messages", event: "created", data: {} }), "messages.created"],
  // https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/
  ["trello", [JSON_TYPE], j({ action: { id: "51f9424bcd6e040f3c002412", type: "updateCard", date: "2013-07-31T16:58:51.949Z" }, model: { id: "4d5ea62fd76aa1136000000c" } }), "updateCard"],
  // https://developer.pagerduty.com/docs/webhooks-overview
  ["pagerduty", [JSON_TYPE], j({ event: { id: "5ac64822-4adc-4fda-ade0-410becf0de4f", event_type: "incident.priority_updated", resource_type: "incident", occurred_at: "2020-10-02T18:45:22.169Z", data: {} } }), "incident.priority_updated"],
  // https://developer.box.com/guides/webhooks/v2/
  ["box", [JSON_TYPE], j({ type: "webhook_event", id: "eb0c4e06-751f-442c-86f8-fd5bb404dbec", created_at: "2019-02-19T08:58:21-08:00", trigger: "FILE.UPLOADED", source: { id: "1", type: "file" } }), "FILE.UPLOADED"],
  // https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks
  ["woocommerce", [JSON_TYPE, ["X-WC-Webhook-Topic", "order.updated"], ["X-WC-Webhook-Resource", "order"], ["X-WC-Webhook-Event", "updated"]], j({ id: 727, status: "processing" }), "order.updated"],
  // https://developer.fastspring.com/reference/webhooks
  ["fastspring", [JSON_TYPE], j({ events: [{ id: "0Ie6tn4qT6ucBg2l0-dW9w", live: false, processed: false, type: "order.completed", created: 1426560444800, data: {} }] }), "order.completed"],
  // https://docs.maxio.com/hc/en-us/articles/24266136649869-Webhooks-Reference — form fields
  ["maxio", [FORM_TYPE], "id=3870347&event=signup_success&payload[chargify]=testing&payload[subscription][id]=1", "signup_success"],
  // https://docs.withorb.com/integrations-and-exports/webhooks
  ["orb", [JSON_TYPE], j({ id: "G4dVD7XkFpEUHdKj", created_at: "2023-02-03T19:40:04.588Z", type: "invoice.issued", properties: {}, invoice: {} }), "invoice.issued"],
  // https://help.bolt.com/api-bolt/#tag/Webhooks
  ["bolt", [JSON_TYPE], j({ type: "capture", object: "transaction", data: { id: "TAbCdEfGh", amount: { amount: 754, currency: "USD" } } }), "capture"],
  // https://www.sanity.io/docs/webhooks
  ["sanity", [JSON_TYPE, ["sanity-operation", "update"], ["sanity-document-id", "movie_123"], ["sanity-webhook-id", "x"]], j({ _id: "movie_123", title: "Alien" }), "update"],
  // https://circleci.com/docs/webhooks-reference/
  ["circleci", [JSON_TYPE, ["Circleci-Event-Type", "workflow-completed"]], j({ type: "workflow-completed", id: "3888f21b-eaa7-38e3-8f3d-75a63bba8895", happened_at: "2021-09-01T22:49:34.317Z", workflow: { status: "success" } }), "workflow-completed"],
  // https://buildkite.com/docs/apis/webhooks
  ["buildkite", [JSON_TYPE, ["X-Buildkite-Event", "build.finished"]], j({ event: "build.finished", build: { id: "f62a1b4d" }, sender: { name: "Some person" } }), "build.finished"],
  // https://devcenter.heroku.com/articles/app-webhooks
  ["heroku", [JSON_TYPE], j({ id: "ecd0d8a9-8b47-4c0e-9b28-a1e0c2b0e3f4", data: {}, actor: { email: "user@example.com" }, action: "create", resource: "release", version: "application/vnd.heroku+json; version=3", published_at: null }), "release.create"],
  // https://developer.hashicorp.com/terraform/cloud-docs/workspaces/settings/notifications
  ["terraform", [JSON_TYPE], j({ payload_version: 1, notification_configuration_id: "nc-AeUQ2zfKZzW9TiGZ", run_url: "https://app.terraform.io/app/acme-org/my-workspace/runs/run-FwnENkvDnrpyFC7M", notifications: [{ message: "Run Canceled", trigger: "run:errored", run_status: "errored" }] }), "run:errored"],
  // https://docs.launchdarkly.com/home/connections/webhooks
  ["launchdarkly", [JSON_TYPE], j({ _id: "57c0af609969090743529967", kind: "flag", name: "Example test", accesses: [{ action: "updateOn", resource: "proj/test:env/test:flag/alternate.page" }] }), "flag.updateOn"],
  // https://www.mongodb.com/docs/atlas/configure-alerts/ — an alert notification
  ["mongodb-atlas", [JSON_TYPE], j({ id: "5bd8f0e6a6f2396f2e69b4e7", groupId: "5bd8f0e6a6f2396f2e69b4e1", eventTypeName: "OUTSIDE_METRIC_THRESHOLD", status: "OPEN", metricName: "ASSERT_REGULAR" }), "OUTSIDE_METRIC_THRESHOLD"],
  // https://developers.docusign.com/platform/webhooks/connect/json-sim-event-model/
  ["docusign", [JSON_TYPE], j({ event: "envelope-completed", apiVersion: "v2.1", uri: "/restapi/v2.1/accounts/1/envelopes/2", retryCount: 0, configurationId: 10418, generatedDateTime: "2024-01-01T00:00:00.000Z", data: { envelopeId: "2" } }), "envelope-completed"],
  // https://docs.customer.io/api/webhooks/
  ["customerio", [JSON_TYPE], j({ data: { action_id: 36, customer_id: "0" }, event_id: "01E2EMRMM6TZ12TF9WGZN0WJQT", metric: "sent", object_type: "email", timestamp: 1585250199 }), "email.sent"],
  // https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/ — mandrill_events in a form
  ["mandrill", [FORM_TYPE], `mandrill_events=${encodeURIComponent(j([{ event: "send", msg: { ts: 1365109999, subject: "This an example webhook message" }, _id: "exampleaaaaaaaaaaaaaaaaaaaaaaaaa", ts: 1678885418 }]))}`, "send"],
  // https://docs.withpersona.com/docs/webhooks
  ["persona", [JSON_TYPE], j({ data: { type: "event", id: "evt_XGuYWp7WSS8sHsr4FDYATA9", attributes: { name: "inquiry.completed", payload: {}, "created-at": "2023-01-01T00:00:00.000Z" } } }), "inquiry.completed"],
  // https://developer.nylas.com/docs/v3/notifications/webhooks/
  ["nylas", [JSON_TYPE], j({ specversion: "1.0", type: "message.created", source: "/google/emails/realtime", id: "<WEBHOOK_ID>", time: 1723821985, data: { object: {} } }), "message.created"],
  // https://developer.frame.io/docs/automations-webhooks/webhooks-overview
  ["frameio", [JSON_TYPE], j({ type: "asset.created", resource: { type: "asset", id: "a1" }, account: { id: "b1" }, team: { id: "c1" }, user: { id: "d1" } }), "asset.created"],
  // https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook
  ["teams", [JSON_TYPE], j({ type: "message", id: "1485983408511", timestamp: "2017-02-01T21:10:07.437Z", text: "<at>Bot</at> hello", from: { id: "29:1" } }), "message"],
  // https://developers.tiktok.com/doc/webhooks-overview
  ["tiktok", [JSON_TYPE], j({ client_key: "bwo2m45353a6k85", event: "video.publish.complete", create_time: 1615338610, user_openid: "act.example12345", content: "{\"share_id\":\"video.6974245311675353080.VDCxrcMJ\"}" }), "video.publish.complete"],
  // https://docs.x.com/x-api/enterprise/account-activity/fundamentals/account-activity-data-objects
  ["twitter", [JSON_TYPE], j({ for_user_id: "2244994945", tweet_create_events: [{ id_str: "1" }] }), "tweet_create_events"],
  // https://pusher.com/docs/channels/server_api/webhooks/
  ["pusher", [JSON_TYPE], j({ time_ms: 1327078148132, events: [{ name: "channel_occupied", channel: "test_channel" }] }), "channel_occupied"],
  // https://elevenlabs.io/docs/product-guides/administration/webhooks
  ["elevenlabs", [JSON_TYPE], j({ type: "post_call_transcription", event_timestamp: 1739537297, data: { agent_id: "xyz" } }), "post_call_transcription"],
  // https://developers.webflow.com/data/docs/working-with-webhooks
  ["webflow", [JSON_TYPE], j({ triggerType: "form_submission", payload: { name: "Contact Form", siteId: "65427cf400e02b306eaa049c" } }), "form_submission"],
  // https://www.aftership.com/docs/tracking/webhook/webhook-overview
  ["aftership", [JSON_TYPE], j({ event: "tracking_update", event_id: "5b8f1b30-2f50-4e9b-9e84-4c8e3a0c5e8c", is_tracking_first_tag: false, msg: { id: "1" }, ts: 1654567893 }), "tracking_update"],
  // https://recurly.com/developers/guides/webhooks.html — JSON notifications
  ["recurly", [JSON_TYPE], j({ id: "pfk3c4u4gfv5", object_type: "account", site_id: "nw6ryxdxmzzi", event_type: "created", event_time: "2022-05-13T18:31:49Z", account_code: "my_account" }), "account.created"],
  // https://docs.alchemy.com/reference/webhook-types
  ["alchemy", [JSON_TYPE], j({ webhookId: "wh_octjglnywaupz6th", id: "whevt_ogrc5v64myey69ux", createdAt: "2022-02-28T17:48:53.306Z", type: "ADDRESS_ACTIVITY", event: { network: "MATIC_MUMBAI" } }), "ADDRESS_ACTIVITY"],
  // https://docs.castle.io/docs/webhooks
  ["castle", [JSON_TYPE], j({ api_version: "v1", app_id: "134254351632463", type: "$incident.confirmed", created_at: "2020-12-18T12:55:21.779Z", data: {} }), "$incident.confirmed"],
  // https://www.contentful.com/developers/docs/concepts/webhooks/
  ["contentful", [["Content-Type", "application/vnd.contentful.management.v1+json"], ["X-Contentful-Topic", "ContentManagement.Entry.publish"]], j({ sys: { type: "Entry", id: "5KsDBWseXY6QegucYAoacS" } }), "ContentManagement.Entry.publish"],
  // https://hygraph.com/docs/api-reference/basics/webhooks
  ["hygraph", [JSON_TYPE], j({ operation: "publish", data: { __typename: "Post", id: "ckuzu8ehs000g09mmfnxy5q1q", stage: "PUBLISHED" } }), "Post.publish"],
  // https://docs.adyen.com/api-explorer/Webhooks/latest/post/AUTHORISATION ; balance platform webhooks
  ["adyen", [JSON_TYPE], j({ live: "false", notificationItems: [{ NotificationRequestItem: { eventCode: "AUTHORISATION", success: "true", pspReference: "YOUR_PSP_REFERENCE" } }] }, 2), "AUTHORISATION"],
  ["adyen", [JSON_TYPE], j({ data: { balancePlatform: "YOUR_BALANCE_PLATFORM", id: "1" }, environment: "test", type: "balancePlatform.transfer.created" }), "balancePlatform.transfer.created"],
  // https://fusionauth.io/docs/extend/events-and-webhooks/events/
  ["fusionauth", [JSON_TYPE], j({ event: { type: "user.create", id: "e502168a-b469-45d9-a079-fd45f83e0406", createInstant: 1505762615056, user: {} } }), "user.create"],
  // https://developer.monday.com/api-reference/reference/webhooks
  ["monday", [JSON_TYPE], j({ event: { userId: 9603417, type: "update_column_value", boardId: 1771812698, pulseId: 1772099344, columnId: "date4" } }), "update_column_value"],
  // https://developer.gocardless.com/getting-started/api/staying-up-to-date-with-webhooks
  ["gocardless", [JSON_TYPE, ["Origin", "https://api.gocardless.com"]], j({ events: [{ id: "EV123", created_at: "2014-08-04T12:00:00.000Z", action: "confirmed", resource_type: "payments", links: { payment: "PM123" } }] }), "payments.confirmed"],
  // https://apidocs.chargebee.com/docs/api/events ; https://postmarkapp.com/developer/webhooks ; Pipedrive v1 and v2 ; Okta event hooks
  ["chargebee", [JSON_TYPE, ["Authorization", "[redacted]"]], j({ id: "ev_16BPgETyVrQbiGhA", occurred_at: 1702646440, source: "admin_console", object: "event", api_version: "v2", content: {}, event_type: "subscription_created" }), "subscription_created"],
  ["postmark", [JSON_TYPE], j({ RecordType: "Bounce", MessageStream: "outbound", ID: 4323372036854775807, Type: "HardBounce" }), "Bounce"],
  ["pipedrive", [JSON_TYPE], j({ v: 1, matches_filters: { current: [] }, meta: { action: "updated", object: "deal" }, current: {}, event: "updated.deal" }), "updated.deal"],
  ["pipedrive", [JSON_TYPE], j({ data: {}, previous: {}, meta: { action: "change", entity: "deal", version: "2.0" } }), "deal.change"],
  ["okta", [JSON_TYPE], j({ eventType: "com.okta.event_hook", eventTypeVersion: "1.0", cloudEventsVersion: "0.1", source: "https://{yourOktaDomain}/api/v1/eventHooks/whoql0HfiLGPWc8Jx0g3", data: { events: [{ uuid: "b7f9f7a1", eventType: "user.session.start" }] } }), "user.session.start"],
  // https://developer.paypal.com/api/rest/webhooks/event-names/ ; Amazon SNS ; Circle ; eBay
  ["paypal", [JSON_TYPE], j({ id: "WH-2WR32451HC0233532-67976317FL4543714", event_version: "1.0", create_time: "2014-10-23T17:23:52Z", resource_type: "sale", event_type: "PAYMENT.SALE.COMPLETED", resource: {} }), "PAYMENT.SALE.COMPLETED"],
  ["sns", [["Content-Type", "text/plain; charset=UTF-8"], ["x-amz-sns-message-type", "SubscriptionConfirmation"]], j({ Type: "SubscriptionConfirmation", MessageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b", Token: "2336412f37", TopicArn: "arn:aws:sns:us-west-2:123456789012:MyTopic" }, 2), "SubscriptionConfirmation"],
  ["circle", [JSON_TYPE], j({ subscriptionId: "00000000-0000-0000-0000-000000000000", notificationId: "00000000-0000-0000-0000-000000000000", notificationType: "webhooks.test", notification: { hello: "world" }, timestamp: "2024-01-26T18:22:19.779834211Z", version: 2 }), "webhooks.test"],
  ["ebay", [JSON_TYPE], j({ metadata: { topic: "MARKETPLACE_ACCOUNT_DELETION", schemaVersion: "1.0", deprecated: false }, notification: { notificationId: "49feeaeb" } }), "MARKETPLACE_ACCOUNT_DELETION"],
];

describe("event types read from documented deliveries", () => {
  it.each(ROWS)("%s: %#", (providerId, headers, body, expected) => {
    const provider = getProvider(providerId);
    expect(provider, providerId).toBeDefined();
    expect(eventTypeOf(provider, { headers, body: Buffer.from(body, "utf8") })).toBe(expected);
  });

  it("covers every provider that names its events", () => {
    const typed = providers.filter((provider) => provider.eventType !== undefined).map((provider) => provider.id);
    const tested = new Set(ROWS.map(([id]) => id));
    expect(typed.filter((id) => !tested.has(id))).toEqual([]);
    // The ones that name no event: their deliveries carry nothing that does (Dropbox and Airtable send pings, Wix a
    // JWT, Replicate the prediction itself, Vonage's callbacks differ by product) — and the configurable scheme.
    expect(providers.filter((provider) => provider.eventType === undefined).map((provider) => provider.id).sort()).toEqual(
      ["airtable", "dropbox", "hmac", "replicate", "vonage", "wix"].sort(),
    );
  });
});

describe("what has no type", () => {
  const stripe = getProvider("stripe");
  const github = getProvider("github");

  it("is null for a body that is not JSON, a JSON body without the member, or no provider", () => {
    expect(eventTypeOf(stripe, { headers: [], body: Buffer.from("not json {") })).toBeNull();
    expect(eventTypeOf(stripe, { headers: [], body: Buffer.from('{"id":"evt_1","data":{}}') })).toBeNull();
    expect(eventTypeOf(stripe, { headers: [], body: Buffer.from('{"type":{"nested":true}}') })).toBeNull();
    expect(eventTypeOf(stripe, { headers: [], body: Buffer.from('{"type":"   "}') })).toBeNull();
    expect(eventTypeOf(null, { headers: [], body: Buffer.from('{"type":"invoice.paid"}') })).toBeNull();
  });

  it("reads no body past the size limit, but still the headers", () => {
    const big = Buffer.from(JSON.stringify({ action: "opened", padding: "x".repeat(MAX_TYPED_BODY_BYTES) }));
    expect(eventTypeOf(github, { headers: [["X-GitHub-Event", "pull_request"]], body: big })).toBe("pull_request");
    expect(eventTypeOf(stripe, { headers: [], body: Buffer.from(JSON.stringify({ type: "invoice.paid", padding: "x".repeat(MAX_TYPED_BODY_BYTES) })) })).toBeNull();
  });

  it("cuts a stranger's endless type to 200 characters", () => {
    const type = eventTypeOf(stripe, { headers: [], body: Buffer.from(JSON.stringify({ type: "a".repeat(10_000) })) });
    expect(type).toHaveLength(200);
  });
});
