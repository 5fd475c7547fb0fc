import { Webhook as StandardWebhook } from "standardwebhooks";
import Stripe from "stripe";
import { Webhook as SvixWebhook } from "svix/dist/webhook.js";
import { afterEach, describe, expect, it } from "vitest";
import type { CapturedEvent } from "../../src/core/types.js";
import { createDeliveryAgent } from "../../src/forward/index.js";
import { getProvider } from "../../src/providers/index.js";
import { orderItems, parseRetrySpec, planReplay, runReplay, type ReplayOptions } from "../../src/replay/index.js";
import { headerOf, headerRecord } from "../helpers/headers.js";
import { startTargetServer, type Responder, type TargetServer } from "../helpers/target-server.js";
import { endToEndHeaders, recordEvent, replayOptions, tempStore, type TempStore } from "./helpers.js";

const STRIPE_SECRET = "whsec_replay_test_secret";
const SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const stripeSdk = new Stripe("sk_test_hooktape_replay");

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function setup(respond?: Responder): Promise<{ db: TempStore; server: TargetServer }> {
  const db = tempStore();
  const server = await startTargetServer(respond ?? { kind: "answer", status: 200 });
  cleanups.push(() => db.remove(), () => server.close());
  return { db, server };
}

function signed(providerId: string, secret: string, body: string, timestamp: number, headers: Array<[string, string]> = [], id = "msg_captured_1") {
  const provider = getProvider(providerId);
  if (!provider) throw new Error(`no provider ${providerId}`);
  const out = provider.sign({ body: Buffer.from(body), secret, timestamp, id, method: "POST", headers });
  return [...headers, ...out.headers];
}

async function replay(db: TempStore, events: CapturedEvent[], overrides: Partial<ReplayOptions> & { concurrency?: number; speed?: number; secret?: string }) {
  const { concurrency = 1, speed = 1, secret = STRIPE_SECRET, ...rest } = overrides;
  const plan = planReplay(
    events,
    replayOptions(secret, { timeoutMs: 2000, ...rest }),
    { now: Date.now() },
  );
  const agent = createDeliveryAgent(Math.max(concurrency, 1));
  cleanups.push(() => agent.close());
  return { plan, result: await runReplay(plan, { store: db.store, dispatcher: agent, concurrency, speed }) };
}

const STRIPE_BODY = '{\n  "id": "evt_replay_1",\n  "type": "payment_intent.succeeded",\n  "data": {"object": {"id": "pi_1", "amount": 2000, "currency": "usd"}}\n}';

describe("replay delivers what was captured", () => {
  it("sends the captured bytes and headers as they were, in order, duplicates and case kept, and records the attempt", async () => {
    const { db, server } = await setup(() => ({ status: 202, body: "thanks" }));
    const headers: Array<[string, string]> = [
      ["Host", "abc.trycloudflare.com"],
      ["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"],
      ["Content-Type", "application/json; charset=utf-8"],
      ["X-Dup", "one"],
      ["x-dup", "two"],
      ["Content-Length", String(Buffer.byteLength(STRIPE_BODY))],
      ...signed("stripe", STRIPE_SECRET, STRIPE_BODY, 1_700_000_000).slice(0, 1),
    ];
    const event = recordEvent(db.store, { provider: "stripe", headers, body: STRIPE_BODY, url: "/webhooks/stripe?x=1", target: `${server.url}/hooks` });
    const { result } = await replay(db, [event], {});

    expect(server.received).toHaveLength(1);
    const got = server.received[0]!;
    expect(got.method).toBe("POST");
    expect(got.url).toBe("/hooks/webhooks/stripe?x=1");
    expect(got.body.equals(event.body)).toBe(true);
    expect(endToEndHeaders(got.headers)).toEqual(endToEndHeaders(headers));
    expect(result.finals[0]?.status).toBe(202);

    const attempts = db.store.listAttempts(event.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ kind: "replay", attempt: 1, status: 202, target: `${server.url}/hooks/webhooks/stripe?x=1` });
    expect(attempts[0]?.responseBody.toString()).toBe("thanks");
  });

  it("sends identical duplicates at once that keep the captured webhook-id and verify with the standardwebhooks SDK", async () => {
    const { db, server } = await setup();
    const body = '{"type":"invoice.paid","data":{"id":"inv_1"}}';
    const event = recordEvent(db.store, {
      provider: "standard-webhooks",
      headers: signed("standard-webhooks", SW_SECRET, body, 1_700_000_000, [["content-type", "application/json"]]),
      body,
      target: server.url,
    });
    await replay(db, [event], { times: 5, concurrency: 5, resign: true, secret: SW_SECRET });

    expect(server.received).toHaveLength(5);
    const [first, ...rest] = server.received.map((r) => ({ body: r.body.toString("base64"), headers: endToEndHeaders(r.headers) }));
    for (const other of rest) expect(other).toEqual(first);
    for (const received of server.received) {
      expect(headerOf(received.headers, "webhook-id")).toBe("msg_captured_1");
      expect(new StandardWebhook(SW_SECRET).verify(received.body.toString(), headerRecord(received.headers))).toEqual(JSON.parse(body));
    }
    const attempts = db.store.listAttempts(event.id);
    expect(attempts).toHaveLength(5);
    expect(new Set(attempts.map((a) => a.deliveryId)).size).toBe(5);
    expect(attempts.every((a) => a.attempt === 1 && a.kind === "replay")).toBe(true);
  });

  it("applies --set and --header exactly and re-signs so that stripe-node accepts the new body", async () => {
    const { db, server } = await setup();
    const event = recordEvent(db.store, {
      provider: "stripe",
      headers: signed("stripe", STRIPE_SECRET, STRIPE_BODY, 1_700_000_000, [["Content-Type", "application/json"]]),
      body: STRIPE_BODY,
      target: server.url,
    });
    await replay(db, [event], { bodyEdits: [{ op: "set", path: "data.object.amount", value: "0" }], headerSets: [["X-Debug", "1"]] });

    const got = server.received[0]!;
    expect(got.body.toString()).toBe(STRIPE_BODY.replace('"amount": 2000', '"amount": 0'));
    expect(headerOf(got.headers, "x-debug")).toBe("1");
    const verified = stripeSdk.webhooks.constructEvent(got.body, headerOf(got.headers, "stripe-signature") ?? "", STRIPE_SECRET);
    expect((verified.data.object as { amount: number }).amount).toBe(0);
  });

  it("signs --stale 10m with a timestamp ten minutes old: a valid signature that stripe-node rejects as too old", async () => {
    const { db, server } = await setup();
    const event = recordEvent(db.store, { provider: "stripe", headers: signed("stripe", STRIPE_SECRET, STRIPE_BODY, 1_700_000_000), body: STRIPE_BODY, target: server.url });
    const before = Math.floor(Date.now() / 1000);
    await replay(db, [event], { staleMs: 600_000 });

    const got = server.received[0]!;
    const header = headerOf(got.headers, "stripe-signature") ?? "";
    const t = Number(/t=(\d+)/.exec(header)?.[1]);
    expect(t).toBeGreaterThanOrEqual(before - 600);
    expect(t).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 600);
    expect(() => stripeSdk.webhooks.constructEvent(got.body, header, STRIPE_SECRET)).toThrow(/Timestamp outside the tolerance zone/);
    expect(() => stripeSdk.webhooks.constructEvent(got.body, header, STRIPE_SECRET, 3600)).not.toThrow();
  });

  it("breaks only the signature with --tamper signature: same body, stripe-node refuses it", async () => {
    const { db, server } = await setup();
    const event = recordEvent(db.store, { provider: "stripe", headers: signed("stripe", STRIPE_SECRET, STRIPE_BODY, 1_700_000_000), body: STRIPE_BODY, target: server.url });
    await replay(db, [event], { resign: true, tamper: "signature" });
    const got = server.received[0]!;
    expect(got.body.equals(event.body)).toBe(true);
    expect(() => stripeSdk.webhooks.constructEvent(got.body, headerOf(got.headers, "stripe-signature") ?? "", STRIPE_SECRET)).toThrow(
      /No signatures found matching/,
    );
  });
});

describe("retries", () => {
  it("retries on a schedule divided by --speed, re-signed each time with the same svix-id, and records planned times", async () => {
    const { db, server } = await setup((_, index) => ({ status: index < 2 ? 503 : 200 }));
    const body = '{"type":"user.created","data":{"id":"user_1"}}';
    const event = recordEvent(db.store, { provider: "svix", headers: signed("svix", SW_SECRET, body, 1_700_000_000), body, target: server.url });
    const { result } = await replay(db, [event], { retry: parseRetrySpec("exp:1s,2,3"), speed: 10, resign: true, secret: SW_SECRET });

    expect(result.attempts.map((a) => [a.attempt, a.status])).toEqual([[1, 503], [2, 503], [3, 200]]);
    const at = server.received.map((r) => r.at);
    // Waits of 1 s and 2 s at --speed 10: 100 ms and 200 ms, never early, and late by little.
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(95);
    expect(at[1]! - at[0]!).toBeLessThan(220);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(195);
    expect(at[2]! - at[1]!).toBeLessThan(320);
    for (const received of server.received) {
      expect(headerOf(received.headers, "svix-id")).toBe("msg_captured_1");
      expect(() => new SvixWebhook(SW_SECRET).verify(received.body.toString(), headerRecord(received.headers))).not.toThrow();
    }
    const attempts = db.store.listAttempts(event.id);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(new Set(attempts.map((a) => a.deliveryId)).size).toBe(1);
    expect(attempts[0]?.plannedAt).toBeNull();
    for (const a of attempts.slice(1)) {
      expect(a.plannedAt).not.toBeNull();
      expect(a.startedAt - (a.plannedAt ?? 0)).toBeGreaterThanOrEqual(-2);
      expect(a.startedAt - (a.plannedAt ?? 0)).toBeLessThan(60);
    }
  });

  it("adds Slack's retry headers to retries only, gives up after its three retries, and retries a timeout", async () => {
    const { db, server } = await setup((_, index) => (index === 0 ? { status: 200, delayMs: 400 } : { status: 500 }));
    const body = '{"type":"event_callback","event_id":"Ev1"}';
    const event = recordEvent(db.store, { provider: "slack", headers: signed("slack", "slack_secret", body, 1_700_000_000), body, target: server.url });
    const { result } = await replay(db, [event], { retry: parseRetrySpec("slack"), retryProvider: getProvider("slack"), speed: 2000, timeoutMs: 100 });

    expect(result.attempts.map((a) => a.status ?? a.error)).toEqual(["timeout", 500, 500, 500]);
    expect(result.finals[0]?.final).toBe(true);
    expect(server.received.map((r) => [headerOf(r.headers, "x-slack-retry-num") ?? null, headerOf(r.headers, "x-slack-retry-reason") ?? null])).toEqual([
      [null, null],
      ["1", "http_timeout"],
      ["2", "http_error"],
      ["3", "http_error"],
    ]);
    // Without --resign the captured bytes go out on every attempt.
    for (const received of server.received) expect(received.body.equals(event.body)).toBe(true);
  });
});

describe("order", () => {
  it("delivers in the order a seed gives, the same order every time with that seed", async () => {
    const { db, server } = await setup();
    const start = Date.now() - 60_000;
    const events = Array.from({ length: 8 }, (_, i) =>
      recordEvent(db.store, { provider: null, headers: [["Content-Type", "application/json"]], body: `{"n":${i}}`, receivedAt: start + i, target: server.url }),
    );
    const expected = orderItems(events.map((e) => e.body.toString()), "shuffle", 99);
    expect(expected).not.toEqual(events.map((e) => e.body.toString()));

    await replay(db, [...events].reverse(), { order: "shuffle", seed: 99 });
    const firstRun = server.received.map((r) => r.body.toString());
    expect(firstRun).toEqual(expected);
    await replay(db, events, { order: "shuffle", seed: 99 });
    expect(server.received.slice(8).map((r) => r.body.toString())).toEqual(firstRun);
    await replay(db, events, { order: "reverse" });
    expect(server.received.slice(16).map((r) => r.body.toString())).toEqual(events.map((e) => e.body.toString()).reverse());
  });
});

describe("a run that is stopped (Ctrl-C)", () => {
  it("sends nothing new, cuts what is still in flight after the grace period, and records every attempt", async () => {
    // The first request hangs; the others would be answered.
    const { db, server } = await setup((_, index) => (index === 0 ? new Promise(() => undefined) : { status: 200 }));
    const events = [1, 2, 3].map((n) =>
      recordEvent(db.store, { provider: null, headers: [["Content-Type", "application/json"]], body: `{"n":${n}}`, receivedAt: Date.now() + n, target: server.url }),
    );
    const plan = planReplay(events, replayOptions(STRIPE_SECRET, { timeoutMs: 60_000 }), { now: Date.now() });
    const agent = createDeliveryAgent(1);
    cleanups.push(() => agent.close());
    const stop = new AbortController();
    const running = runReplay(plan, { store: db.store, dispatcher: agent, concurrency: 1, speed: 1, signal: stop.signal, inFlightGraceMs: 100 });
    await expect.poll(() => server.received.length).toBe(1);
    stop.abort();
    const started = performance.now();
    const result = await running;
    expect(performance.now() - started).toBeLessThan(2_000); // the grace, not the 60 s timeout
    expect(server.received).toHaveLength(1);
    expect(result.interrupted).toBe(true);
    expect(result.unfinished).toEqual({ notSent: 2, awaitingRetry: 0, cutShort: 1 });
    expect(db.store.listAttempts(events[0]!.id).map((a) => [a.status, a.error])).toEqual([[null, "interrupted"]]);
    expect(db.store.listAttempts(events[1]!.id)).toHaveLength(0);
  });
});
