// The pieces `check` builds its verdicts from: a fresh event that differs from the original only in its ids,
// and the probe arithmetic that counts how often an event was processed.
import { describe, expect, it } from "vitest";
import { fixedIds, sampleSubject } from "../../src/check/sample-event.js";
import { freshEvent, sameShape } from "../../src/check/fresh-event.js";
import { stateChange, timesProcessed } from "../../src/check/probe.js";
import { getProvider } from "../../src/providers/index.js";
import { messageIdOf, type RequestRecipe } from "../../src/replay/build-request.js";

function recipeOf(providerId: string): RequestRecipe {
  const provider = getProvider(providerId)!;
  const subject = sampleSubject(provider, Date.UTC(2026, 0, 1), fixedIds());
  return {
    method: "POST",
    url: "http://127.0.0.1:1/",
    headers: providerId === "github" ? [...subject.headers, ["X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"]] : subject.headers,
    body: subject.body,
    provider,
    secret: "s",
    messageId: messageIdOf(subject.headers, provider),
    staleMs: 0,
    tamper: null,
    headerSets: [],
    headerDrops: [],
  };
}

describe("freshEvent", () => {
  it("gives the Stripe sample a new event id and keeps every other byte, pretty-printing included", () => {
    const original = recipeOf("stripe");
    const fresh = freshEvent(original);
    const before = original.body.toString("utf8");
    const after = fresh.body.toString("utf8");
    const id = /"id": "(evt_[^"]+)"/.exec(after)?.[1];
    expect(id).toMatch(/^evt_hooktape_\d{8}$/);
    expect(after.replace(id!, "evt_hooktape_1")).toBe(before);
    expect(fresh.messageId).not.toBe(original.messageId);
  });

  it("renews GitHub's delivery header (a UUID stays a UUID) and Twilio's MessageSid, not the AccountSid", () => {
    const github = freshEvent(recipeOf("github"));
    const delivery = github.headers.find(([name]) => name === "X-GitHub-Delivery")?.[1];
    expect(delivery).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(delivery).not.toBe("72d3162e-cc78-11e3-81ab-4c9367dc0958");

    const twilio = recipeOf("twilio");
    const form = new URLSearchParams(freshEvent(twilio).body.toString());
    const was = new URLSearchParams(twilio.body.toString());
    expect(form.get("AccountSid")).toBe(was.get("AccountSid"));
    expect(form.get("MessageSid")).not.toBe(was.get("MessageSid"));
    expect(form.get("MessageSid")).toMatch(/^SMhooktape_\w{8,}$/);
    expect(form.get("Body")).toBe("héllo from hooktape / check");
  });

  it("renews Plivo's CallUUID and each Adyen item's pspReference, every other byte kept", () => {
    const plivo = recipeOf("plivo");
    const form = new URLSearchParams(freshEvent(plivo).body.toString());
    const was = new URLSearchParams(plivo.body.toString());
    expect(form.get("CallUUID")).not.toBe(was.get("CallUUID"));
    expect(form.get("From")).toBe(was.get("From"));

    const adyen = recipeOf("adyen");
    const before = adyen.body.toString("utf8");
    const after = freshEvent(adyen).body.toString("utf8");
    const psp = /"pspReference": "([^"]+)"/.exec(after)?.[1];
    expect(psp).toMatch(/^HOOKTAPE_\d{8}$/);
    expect(after.replace(psp!, "HOOKTAPE_2")).toBe(before);
  });

  it("never hands out the same id twice in a run, even from a one-digit original", () => {
    const ids = new Set(Array.from({ length: 500 }, () => sameShape("evt_1")));
    expect(ids.size).toBe(500);
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
