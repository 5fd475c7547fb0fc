// Cross-check of our `shopify` scheme with @shopify/shopify-api 13 (the newest major that runs on Node 20):
// `shopify.webhooks.validate` behind a real node:http server (the SDK's Node adapter reads the real
// IncomingMessage, so this is how an app calls it), and the SDK's published test helper `getHmac` as the
// signing side. Shopify signs no timestamp: there is no stale case.
// https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify
import "@shopify/shopify-api/adapters/node";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { flipByte, headerValue, jsonBody, requireProvider, signRequest, verifyOurs } from "./helpers.js";

const SECRET = "shpss_hooktape_cross_check_secret";
const OTHER_SECRET = "shpss_hooktape_other_secret";
const T = 1_795_777_200;
const BODY = jsonBody({ id: 820982911946154500, email: "jon@example.com", note: "Größe M – bitte schnell ✓", total_price: "199.00" });

interface ValidateOutcome {
  valid: boolean;
  webhookType?: string;
  reason?: string;
  topic?: string;
  domain?: string;
  missingHeaders?: string[];
}

/** A handler that validates with the SDK under a given secret and answers with the SDK's result. */
function startValidator(): Promise<{ server: Server; url: string }> {
  const apps = new Map<string, ReturnType<typeof shopifyApi>>();
  const appFor = (secret: string) => {
    let app = apps.get(secret);
    if (app === undefined) {
      app = shopifyApi({
        apiKey: "hooktape-test-key",
        apiSecretKey: secret,
        hostName: "127.0.0.1",
        apiVersion: ApiVersion.October24,
        isEmbeddedApp: false,
        logger: { level: LogSeverity.Error, log: async () => {} },
      });
      apps.set(secret, app);
    }
    return app;
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const secret = new URL(req.url ?? "/", "http://x").searchParams.get("secret") ?? "";
      const rawBody = Buffer.concat(chunks).toString("utf8");
      appFor(secret)
        .webhooks.validate({ rawBody, rawRequest: req, rawResponse: res })
        .then((result) => {
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
        })
        .catch((err: unknown) => {
          res.writeHead(500).end(String(err));
        });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

describe("shopify × @shopify/shopify-api (webhooks.validate, test-helpers getHmac)", () => {
  const provider = requireProvider("shopify");
  let validator: { server: Server; url: string };

  beforeAll(async () => {
    validator = await startValidator();
  });
  afterAll(async () => {
    await new Promise((resolve) => validator.server.close(resolve));
  });

  async function shopifyValidates(headers: HeaderPairs, body: Buffer, secret: string): Promise<ValidateOutcome> {
    const res = await fetch(`${validator.url}/webhooks/shopify?secret=${encodeURIComponent(secret)}`, {
      method: "POST",
      headers: headers.filter(([n]) => n.toLowerCase() !== "content-length"),
      body,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as ValidateOutcome;
  }

  it("our delivery (HMAC and the topic/domain/version/id headers the SDK requires) validates with the SDK", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const outcome = await shopifyValidates(request.headers, BODY, SECRET);
    expect(outcome).toMatchObject({ valid: true });
    expect(outcome.topic).toBeTruthy();
    expect(outcome.domain).toBeTruthy();
  });

  it("the SDK's getHmac verifies with ours and equals our X-Shopify-Hmac-Sha256", () => {
    const theirs = getHmac(BODY.toString("utf8"), SECRET);
    const request = { method: "POST", url: "/webhooks/shopify", headers: [["X-Shopify-Hmac-Sha256", theirs]] as HeaderPairs, body: BODY };
    expect(verifyOurs(provider, request, SECRET, T)).toMatchObject({ valid: true, provider: "shopify" });
    const ours = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(headerValue(ours.request.headers, "x-shopify-hmac-sha256")).toBe(theirs);
  });

  it("a flipped body byte is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const tampered = flipByte(BODY, "jon@");
    expect(await shopifyValidates(request.headers, tampered, SECRET)).toEqual({ valid: false, reason: "invalid_hmac" });
    expect(verifyOurs(provider, { ...request, body: tampered }, SECRET, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a wrong secret is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    expect(await shopifyValidates(request.headers, BODY, OTHER_SECRET)).toEqual({ valid: false, reason: "invalid_hmac" });
    expect(verifyOurs(provider, request, OTHER_SECRET, T)).toMatchObject({ valid: false, reason: "no_matching_signature" });
  });

  it("a missing HMAC header is rejected by both", async () => {
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T });
    const headers = request.headers.filter(([n]) => n.toLowerCase() !== "x-shopify-hmac-sha256");
    expect(await shopifyValidates(headers, BODY, SECRET)).toEqual({ valid: false, reason: "missing_hmac" });
    expect(verifyOurs(provider, { ...request, headers }, SECRET, T)).toMatchObject({ valid: false, reason: "missing_header" });
  });

  it("a topic and shop given to sign() reach the SDK unchanged", async () => {
    const headers: HeaderPairs = [
      ["content-type", "application/json"],
      ["X-Shopify-Topic", "orders/create"],
      ["X-Shopify-Shop-Domain", "hooktape-test.myshopify.com"],
    ];
    const { request } = signRequest(provider, { body: BODY, secret: SECRET, timestamp: T, headers });
    const outcome = await shopifyValidates(request.headers, BODY, SECRET);
    expect(outcome).toMatchObject({ valid: true, topic: "ORDERS_CREATE", domain: "hooktape-test.myshopify.com" });
  });

  it("an Events delivery (shopify-hmac-sha256 and the other shopify-* headers, no X- prefix) validates with both", async () => {
    // @shopify/shopify-api 13: WEBHOOK_HEADER_NAMES[WebhookType.Events] — picked when `shopify-hmac-sha256` is present.
    const hmac = getHmac(BODY.toString("utf8"), SECRET);
    const headers: HeaderPairs = [
      ["content-type", "application/json"],
      ["shopify-hmac-sha256", hmac],
      ["shopify-topic", "orders/create"],
      ["shopify-shop-domain", "hooktape-test.myshopify.com"],
      ["shopify-api-version", "2025-10"],
      ["shopify-webhook-id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"],
      ["shopify-event-id", "98880550-7158-44d4-b7cd-2c97c8a091b5"],
    ];
    expect(await shopifyValidates(headers, BODY, SECRET)).toMatchObject({ valid: true, webhookType: "events", topic: "ORDERS_CREATE" });
    expect(verifyOurs(provider, { method: "POST", url: "/webhooks/shopify", headers, body: BODY }, SECRET, T)).toMatchObject({
      valid: true,
      provider: "shopify",
    });
    const wrong = await shopifyValidates(headers, BODY, OTHER_SECRET);
    expect(wrong).toEqual({ valid: false, reason: "invalid_hmac" });
    expect(verifyOurs(provider, { method: "POST", url: "/webhooks/shopify", headers, body: BODY }, OTHER_SECRET, T)).toMatchObject({ valid: false });
  });
});
