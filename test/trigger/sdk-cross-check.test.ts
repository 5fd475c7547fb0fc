// Every event type `trigger` sends for Stripe, GitHub and Shopify, checked by the SDK a handler would verify it
// with (stripe-node's constructEvent, @octokit/webhooks-methods' verify, @shopify/shopify-api's webhooks.validate
// behind a real node:http server), and its body read as that type; and every other provider's samples signed so that
// hooktape's verifier accepts them and name the type they are listed under.
import "@shopify/shopify-api/adapters/node";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verify as octokitVerify } from "@octokit/webhooks-methods";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findHeader } from "../../src/core/headers.js";
import type { HeaderPairs } from "../../src/core/types.js";
import { eventTypeOf } from "../../src/providers/event-type.js";
import { knownProviderIds, loadProvider } from "../../src/providers/provider-modules.js";
import type { Provider } from "../../src/providers/types.js";
import { loadTriggerCatalogue, type TriggerCatalogue } from "../../src/trigger/catalogue.js";
import { buildTriggerRequest } from "../../src/trigger/send-trigger.js";
import { STRIPE_EVENTS } from "../../src/trigger/stripe-events.js";
import { generateCertificateKey, isCertificateScheme } from "../../src/providers/schemes/certificate.js";
import { generateKeyPair } from "../../src/providers/keys.js";
import { rsaTestKeyPair } from "../helpers/test-keys.js";

const URL_SENT_TO = "http://127.0.0.1:3000/webhooks";

async function catalogueOf(id: string): Promise<{ provider: Provider; catalogue: TriggerCatalogue }> {
  const provider = await loadProvider(id);
  if (provider === undefined) throw new Error(`no provider ${id}`);
  return { provider, catalogue: await loadTriggerCatalogue(provider) };
}

function build(provider: Provider, catalogue: TriggerCatalogue, type: string, secret: string, nowMs = Date.now()) {
  const draft = catalogue.draft(type, nowMs);
  if (draft === undefined) throw new Error(`no draft for ${type}`);
  return buildTriggerRequest(provider, draft, secret, URL_SENT_TO, { bodyEdits: [] }, nowMs).request;
}

describe("stripe: every type verifies with stripe-node's constructEvent and is that event", () => {
  const SECRET = "whsec_trigger_cross_check";
  const stripe = new Stripe("sk_test_trigger");

  it("lists at least 30 types, the common ones among them", async () => {
    const { catalogue } = await catalogueOf("stripe");
    const types = catalogue.entries.map((entry) => entry.type);
    expect(types.length).toBeGreaterThanOrEqual(30);
    for (const common of ["payment_intent.succeeded", "checkout.session.completed", "invoice.paid", "customer.subscription.updated", "charge.refunded"]) {
      expect(types).toContain(common);
    }
  });

  it("each delivery: signature, envelope, object and state", async () => {
    const { provider, catalogue } = await catalogueOf("stripe");
    const now = Date.now();
    for (const { type } of catalogue.entries) {
      const request = build(provider, catalogue, type, SECRET, now);
      const header = findHeader(request.headers, "stripe-signature") ?? "";
      const event = stripe.webhooks.constructEvent(request.body, header, SECRET);
      expect(event.type, type).toBe(type);
      expect(event.object).toBe("event");
      expect(event.id).toMatch(/^evt_[A-Za-z0-9]{24}$/);
      expect(Math.abs(event.created - now / 1000)).toBeLessThan(5);
      const object = event.data.object as unknown as Record<string, unknown>;
      const recipe = STRIPE_EVENTS[type];
      for (const [key, value] of Object.entries(recipe?.set ?? {})) expect(object[key], `${type} ${key}`).toEqual(value);
      if (type.endsWith(".updated")) expect(event.data.previous_attributes, type).toBeDefined();
      // The resource is the one the type is about (`checkout.session.completed` carries a checkout.session).
      const kind = String(object.object);
      expect(type.startsWith(kind) || type.startsWith(`customer.${kind}`) || type.startsWith(`charge.${kind}`), `${type} carries ${kind}`).toBe(true);
      // Stripe writes its events as two-space pretty JSON.
      expect(request.body.toString("utf8")).toMatch(/^\{\n {2}"id": "evt_/);
    }
  });

  it("ids and times are fresh on every send", async () => {
    const { provider, catalogue } = await catalogueOf("stripe");
    const first = JSON.parse(build(provider, catalogue, "invoice.paid", SECRET).body.toString());
    const second = JSON.parse(build(provider, catalogue, "invoice.paid", SECRET).body.toString());
    expect(first.id).not.toBe(second.id);
    expect(first.data.object.id).not.toBe(second.data.object.id);
    expect(first.data.object.id).toMatch(/^in_/);
  });
});

describe("github: every type verifies with @octokit/webhooks-methods and is that event", () => {
  const SECRET = "github-trigger-cross-check";

  it("lists at least 50 types", async () => {
    const { catalogue } = await catalogueOf("github");
    expect(catalogue.entries.length).toBeGreaterThanOrEqual(50);
    expect(catalogue.entries.map((entry) => entry.type)).toEqual(expect.arrayContaining(["pull_request.opened", "push", "issues.opened", "ping"]));
  });

  it("each delivery: X-Hub-Signature-256, X-GitHub-Event, a UUID delivery id, and the payload's action", async () => {
    const { provider, catalogue } = await catalogueOf("github");
    const deliveries = new Set<string>();
    for (const { type } of catalogue.entries) {
      const request = build(provider, catalogue, type, SECRET);
      const body = request.body.toString("utf8");
      expect(await octokitVerify(SECRET, body, findHeader(request.headers, "x-hub-signature-256") ?? ""), type).toBe(true);
      const [event, action] = type.split(".");
      expect(findHeader(request.headers, "x-github-event")).toBe(event);
      const delivery = findHeader(request.headers, "x-github-delivery") ?? "";
      expect(delivery).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      deliveries.add(delivery);
      const payload = JSON.parse(body) as Record<string, unknown>;
      if (action === undefined) expect(payload.action, type).toBeUndefined();
      else expect(payload.action, type).toBe(action);
      if (event === "pull_request") {
        const pull = payload.pull_request as Record<string, unknown>;
        expect(pull.head, type).toBeDefined();
        expect(pull.base, type).toBeDefined();
        expect(pull.user, type).toBeDefined();
      }
      // What hooktape's own rule reads back is the type it was asked for.
      expect(eventTypeOf(provider, request)).toBe(type);
    }
    expect(deliveries.size).toBe(catalogue.entries.length);
  });
});

describe("shopify: every topic validates with @shopify/shopify-api and is that topic", () => {
  const SECRET = "shpss_trigger_cross_check";
  let validator: { server: Server; url: string };

  beforeAll(async () => {
    const app = shopifyApi({
      apiKey: "hooktape-test-key",
      apiSecretKey: SECRET,
      hostName: "127.0.0.1",
      apiVersion: ApiVersion.October24,
      isEmbeddedApp: false,
      logger: { level: LogSeverity.Error, log: async () => {} },
    });
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        app.webhooks
          .validate({ rawBody: Buffer.concat(chunks).toString("utf8"), rawRequest: req, rawResponse: res })
          .then((result) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result)))
          .catch((error: unknown) => res.writeHead(500).end(String(error)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    validator = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  });
  afterAll(async () => {
    await new Promise((resolve) => validator.server.close(resolve));
  });

  it("lists at least 100 topics", async () => {
    const { catalogue } = await catalogueOf("shopify");
    expect(catalogue.entries.length).toBeGreaterThanOrEqual(100);
    expect(catalogue.entries.map((entry) => entry.type)).toEqual(expect.arrayContaining(["orders/create", "products/update", "app/uninstalled"]));
  });

  it("each delivery: the HMAC and headers the SDK requires, the topic, and a fresh id in step with its GraphQL id", async () => {
    const { provider, catalogue } = await catalogueOf("shopify");
    for (const { type } of catalogue.entries) {
      const request = build(provider, catalogue, type, SECRET);
      const response = await fetch(`${validator.url}/webhooks/shopify`, {
        method: "POST",
        headers: (request.headers as HeaderPairs).filter(([name]) => name.toLowerCase() !== "content-length"),
        body: request.body,
      });
      const outcome = (await response.json()) as { valid: boolean; topic?: string };
      // The SDK names topics in their GraphQL form (`orders/create` -> ORDERS_CREATE).
      expect(outcome, type).toMatchObject({ valid: true });
      expect(outcome.topic?.replace(/[/.]/g, "_").toUpperCase(), type).toBe(type.replace(/[/.]/g, "_").toUpperCase());
      const payload = JSON.parse(request.body.toString("utf8")) as Record<string, unknown>;
      if (typeof payload.id === "number") {
        expect(Number.isSafeInteger(payload.id), type).toBe(true);
        if (typeof payload.admin_graphql_api_id === "string") expect(payload.admin_graphql_api_id.endsWith(`/${payload.id}`), type).toBe(true);
      }
      // Shopify writes compact JSON with `/` escaped.
      expect(request.body.toString("utf8")).not.toMatch(/\n/);
      expect(request.body.toString("utf8")).not.toMatch(/[^\\]\//);
    }
  });
});

describe("the other providers", () => {
  it("at least 20 providers besides Stripe, GitHub and Shopify trigger a type; each delivery verifies and names its type", async () => {
    const able: string[] = [];
    for (const id of knownProviderIds()) {
      if (["stripe", "github", "shopify", "hmac"].includes(id)) continue;
      const { provider, catalogue } = await catalogueOf(id);
      if (catalogue.entries.length === 0) continue;
      able.push(id);
      const secret = signingSecret(provider);
      for (const { type } of catalogue.entries) {
        const request = build(provider, catalogue, type, secret.sign);
        const now = Math.floor(Date.now() / 1000);
        expect(provider.verify(request, [secret.verify], { now, url: request.url }), `${id} ${type}`).toMatchObject({ valid: true });
        expect(eventTypeOf(provider, request), id).toBe(type);
      }
    }
    expect(able.length).toBeGreaterThanOrEqual(20);
  });

  it("every provider whose module declares its most common event still offers that type, from hooktape's sample", async () => {
    // The type `trigger <provider>` sends, read from the sample each provider module declares.
    const expected: Record<string, string> = {
      adyen: "AUTHORISATION",
      calendly: "invitee.created",
      circle: "transactions.inbound",
      clerk: "user.created",
      coinbase: "charge:confirmed",
      discord: "PING",
      ebay: "MARKETPLACE_ACCOUNT_DELETION",
      gitlab: "push",
      hubspot: "contact.propertyChange",
      intercom: "conversation.user.created",
      lemonsqueezy: "order_created",
      linear: "Issue.create",
      mailgun: "delivered",
      mandrill: "send",
      mux: "video.asset.ready",
      orb: "subscription.started",
      paddle: "transaction.completed",
      pagerduty: "incident.triggered",
      paypal: "PAYMENT.CAPTURE.COMPLETED",
      plivo: "StartApp",
      postmark: "Delivery",
      razorpay: "payment.captured",
      resend: "email.delivered",
      sendgrid: "delivered",
      sentry: "issue.created",
      slack: "app_mention",
      sns: "Notification",
      square: "payment.updated",
      "standard-webhooks": "contact.created",
      svix: "invoice.paid",
      twilio: "message.received",
      twitch: "channel.follow",
      twitter: "tweet_create_events",
      typeform: "form_response",
      vercel: "deployment.created",
      woocommerce: "order.created",
      workos: "user.created",
      zoom: "meeting.started",
    };
    const offered: Record<string, string> = {};
    for (const id of knownProviderIds()) {
      if (["stripe", "github", "shopify"].includes(id)) continue;
      const { catalogue } = await catalogueOf(id);
      for (const entry of catalogue.entries) {
        expect(entry.source.name, id).toBe("hooktape sample");
        offered[id] = entry.type;
      }
    }
    expect(offered).toEqual(expected);
  });
});

/** A secret to sign with and the one to verify with: the same for shared secrets; a key pair for the asymmetric ones. */
function signingSecret(provider: Provider): { sign: string; verify: string } {
  if (isCertificateScheme(provider)) {
    // The test private key signs, and verification accepts it too (as `hooktape keygen` says); PayPal's carries its webhook id.
    const key = `${provider.id === "paypal" ? "WH-TRIGGER-TEST:" : ""}${generateCertificateKey(provider, undefined, provider.certificateKeyType === "rsa" ? rsaTestKeyPair(provider.id === "paypal" ? 2 : 4) : undefined).privateKey}`;
    return { sign: key, verify: key };
  }
  if (provider.kind === "ed25519" || provider.kind === "ecdsa") {
    const pair = generateKeyPair(provider.kind === "ed25519" ? "discord" : "sendgrid");
    return { sign: pair.privateKey, verify: pair.publicKey };
  }
  // Basic-auth senders (Postmark, Chargebee, Pipedrive) are configured with a user and a password.
  if (provider.secretForm === "basic") return { sign: "hooktape:trigger-cross-check", verify: "hooktape:trigger-cross-check" };
  // Adyen's HMAC key is the hex string its Customer Area shows.
  if (provider.id === "adyen") return { sign: "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056", verify: "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056" };
  if (provider.id === "standard-webhooks" || provider.id === "svix" || provider.id === "clerk" || provider.id === "resend") {
    return { sign: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", verify: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" };
  }
  return { sign: "trigger-cross-check-secret", verify: "trigger-cross-check-secret" };
}
