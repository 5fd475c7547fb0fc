// The pieces `check` builds its verdicts from: a fresh event that differs from the original in every place its
// provider names events by (and in nothing else that a handler reads), and the probe arithmetic that counts how often
// an event was processed.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixedIds, sampleSubject } from "../../src/check/sample-event.js";
import { freshEvent, sameShape } from "../../src/check/fresh-event.js";
import { stateChange, timesProcessed } from "../../src/check/probe.js";
import { fixtureBody, fixturePath, loadFixtureSync } from "../../src/fixture-files/index.js";
import { getProvider, providers } from "../../src/providers/index.js";
import { dedupValues, describeDedupKey } from "../../src/providers/dedup.js";
import type { Provider } from "../../src/providers/types.js";
import { buildRequest, messageIdOf, type RequestRecipe } from "../../src/replay/build-request.js";
import { fixtureFile, shippedSecrets } from "../fixtures/shipped-secrets.js";

const ORIGIN = "https://hooks.example.com";
const NOW_MS = Date.UTC(2026, 0, 1, 12);
const secrets = shippedSecrets();

function recipeOf(provider: Provider, subject: { method: string; path: string; headers: Array<[string, string]>; body: Buffer }): RequestRecipe {
  return {
    method: subject.method,
    url: ORIGIN + subject.path,
    headers: subject.headers,
    body: subject.body,
    provider,
    secret: secrets.get(provider.id)!.sign,
    messageId: messageIdOf(subject.headers, provider),
    staleMs: 0,
    tamper: null,
    headerSets: [],
    headerDrops: [],
  };
}

function fixtureSubject(provider: Provider) {
  const fixture = loadFixtureSync(fixtureFile(provider.id));
  return { method: fixture.request.method, path: fixturePath(fixture), headers: fixture.request.headers, body: fixtureBody(fixture) };
}

/**
 * Signs the original and two fresh events as `check` sends them, and holds them to the provider's dedup keys: every
 * key the original carries (every key that is not optional must be there) has new values in each fresh event, none
 * shared with the original or with the other fresh event, and each fresh event still verifies.
 */
function expectFreshEverywhere(provider: Provider, recipe: RequestRecipe): void {
  const original = buildRequest(recipe, NOW_MS);
  const fresh = [freshEvent(recipe), freshEvent(recipe)].map((event) => buildRequest(event, NOW_MS));
  const keys = provider.dedup.keys;
  const present = keys.filter((key) => dedupValues(original, key).length > 0);
  expect(keys.filter((key) => key.optional !== true && !present.includes(key)).map(describeDedupKey), "every key that is not optional is on the delivery").toEqual([]);
  if (keys.length > 0) expect(present.length, "at least one key is on the delivery").toBeGreaterThan(0);
  for (const key of present) {
    const before = dedupValues(original, key);
    const [a, b] = fresh.map((request) => dedupValues(request, key)) as [string[], string[]];
    expect(a, describeDedupKey(key)).toHaveLength(before.length);
    expect(b, describeDedupKey(key)).toHaveLength(before.length);
    for (const value of [...a, ...b]) expect(before, `${describeDedupKey(key)} renewed`).not.toContain(value);
    for (const value of a) expect(b, `${describeDedupKey(key)} differs between two fresh events`).not.toContain(value);
  }
  const verifySecret = secrets.get(provider.id)!.verify ?? secrets.get(provider.id)!.sign;
  for (const request of [original, ...fresh]) {
    const verdict = provider.verify(request, [verifySecret], { now: Math.floor(NOW_MS / 1000), url: request.url });
    expect(verdict, `${request.url} verifies`).toMatchObject({ valid: true });
  }
}

describe("freshEvent renews every place each provider names its events by, and the event still verifies", () => {
  it.each(providers.map((provider) => [provider.id, provider] as const))("%s: its sample event", (_id, provider) => {
    expectFreshEverywhere(provider, recipeOf(provider, sampleSubject(provider, NOW_MS)));
  });

  it.each(providers.map((provider) => [provider.id, provider] as const))("%s: its shipped fixture", (_id, provider) => {
    expectFreshEverywhere(provider, recipeOf(provider, fixtureSubject(provider)));
  });

  it("SNS: MessageId in the body (inside the signed string) and x-amz-sns-message-id stay one id", () => {
    const sns = getProvider("sns")!;
    const request = buildRequest(freshEvent(recipeOf(sns, fixtureSubject(sns))), NOW_MS);
    const [body] = dedupValues(request, { json: "MessageId", example: "" });
    expect(body).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(dedupValues(request, { header: "x-amz-sns-message-id", example: "" })).toEqual([body]);
  });

  it("gives the Stripe sample a new event id and keeps every other byte, pretty-printing included", () => {
    const stripe = getProvider("stripe")!;
    const original = recipeOf(stripe, sampleSubject(stripe, NOW_MS, fixedIds()));
    const fresh = freshEvent(original);
    const id = /"id": "(evt_[^"]+)"/.exec(fresh.body.toString("utf8"))?.[1];
    expect(id).toMatch(/^evt_hooktape_\w{8}$/);
    expect(fresh.body.toString("utf8").replace(id!, "evt_hooktape_1")).toBe(original.body.toString("utf8"));
    expect(fresh.messageId).not.toBe(original.messageId);
  });

  it("renews Twilio's MessageSid (keeping its SM) as one new Sid in SmsMessageSid and SmsSid too, not the AccountSid; the form's other fields stay as encoded", () => {
    const twilio = getProvider("twilio")!;
    const original = recipeOf(twilio, sampleSubject(twilio, NOW_MS));
    const fresh = freshEvent(original);
    const [was, now] = [new URLSearchParams(original.body.toString()), new URLSearchParams(fresh.body.toString())];
    expect(now.get("AccountSid")).toBe(was.get("AccountSid"));
    expect(now.get("MessageSid")).not.toBe(was.get("MessageSid"));
    expect(now.get("MessageSid")).toMatch(/^SM[0-9a-f]{32}$/);
    expect([now.get("SmsMessageSid"), now.get("SmsSid")]).toEqual([now.get("MessageSid"), now.get("MessageSid")]);
    const withoutMessageSids = (body: Buffer) => body.toString().replace(/(^|&)(MessageSid|SmsMessageSid|SmsSid)=SM[0-9a-f]+/g, "$1$2=");
    expect(withoutMessageSids(fresh.body)).toBe(withoutMessageSids(original.body));
  });
});

describe("sameShape", () => {
  it("never hands out the same id twice in a run, even from a one-digit original", () => {
    const ids = new Set(Array.from({ length: 500 }, () => sameShape("evt_1")));
    expect(ids.size).toBe(500);
  });

  it("keeps a value's kind: a UUID, a time in its own format, a URL's path, a number's digits", () => {
    expect(sameShape("72d3162e-cc78-11e3-81ab-4c9367dc0958")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sameShape("2026-01-01T00:00:00.000Z")).toMatch(/^2026-01-01T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(sameShape("https://api.calendly.com/scheduled_events/GBGBDC/invitees/AEEF5L5ICBB4MGN2")).toMatch(
      /^https:\/\/api\.calendly\.com\/scheduled_events\/GBGBDC\/invitees\/\w{16}$/,
    );
    expect(sameShape("1626230691572")).toMatch(/^[1-9]\d{12}$/);
  });
});

describe("the probe's arithmetic", () => {
  const unit = stateChange({ orders: 3, ids: ["a", "b", "c"], name: "x" }, { orders: 4, ids: ["a", "b", "c", "d"], name: "y" });

  it("counts numbers and array lengths that moved, not strings", () => {
    expect([...unit]).toEqual(expect.arrayContaining([["$.orders", 1], ["$.ids[]", 1]]));
    expect(unit.size).toBe(2);
  });

  it("says how many events' worth a change is, or null when it does not scale like one event", () => {
    expect(timesProcessed(stateChange({ orders: 4, ids: [] }, { orders: 9, ids: [1, 2, 3, 4, 5] }), unit)).toBe(5);
    expect(timesProcessed(stateChange({ orders: 4, ids: [] }, { orders: 5, ids: [1] }), unit)).toBe(1);
    expect(timesProcessed(stateChange({ orders: 4, ids: [] }, { orders: 4, ids: [] }), unit)).toBe(0);
    expect(timesProcessed(stateChange({ orders: 4, ids: [] }, { orders: 6, ids: [1] }), unit)).toBeNull();
  });

  it("walks a deep probe without overflowing the stack", () => {
    let deep: unknown = { count: 1 };
    let deeper: unknown = { count: 2 };
    for (let i = 0; i < 20_000; i++) {
      deep = { next: deep };
      deeper = { next: deeper };
    }
    expect(stateChange(deep, deeper).size).toBe(1);
  });
});

describe("docs/check.md", () => {
  it("lists, for every provider, the places it names its events by and how its attempts are signed, as its module declares", () => {
    const text = readFileSync(new URL("../../docs/check.md", import.meta.url), "utf8");
    for (const provider of providers) {
      const keys = provider.dedup.keys.length === 0 ? "— (names no event)" : provider.dedup.keys.map((k) => `\`${describeDedupKey(k)}\`${k.optional ? " (some events)" : ""}`).join(", ");
      expect(text).toContain(`| \`${provider.id}\` | ${keys} | ${provider.dedup.attempts === "resigned" ? "signed again" : "same bytes"} |`);
    }
  });
});
