import { describe, expect, it } from "vitest";
import { thrown } from "../helpers/thrown.js";
import type { CapturedEvent } from "../../src/core/types.js";
import { getProvider } from "../../src/providers/index.js";
import { orderItems, parseRetrySpec, planReplay, retryPlanOf, type ReplayOptions } from "../../src/replay/index.js";
import { replayOptions } from "./helpers.js";

const SECRET = "whsec_test_plan";

function event(n: number, overrides: Partial<CapturedEvent> = {}): CapturedEvent {
  const body = Buffer.from(`{"id":"evt_${n}","data":{"object":{"amount":${n}}}}`);
  return {
    id: `01JD000000000000000000000${n}`,
    method: "POST",
    url: "/webhooks/stripe",
    headers: [["Content-Type", "application/json"], ["Stripe-Signature", `t=1,v1=${"0".repeat(64)}`]],
    body,
    receivedAt: 1_700_000_000_000 + n,
    remoteAddress: null,
    via: "local",
    provider: "stripe",
    eventType: null,
    verification: { status: "valid", reason: null },
    rejected: null,
    notForwarded: null,
    bodySize: body.length,
    bodySha256: "",
    publicUrl: null,
    target: "http://127.0.0.1:9/hooks/webhooks/stripe", // as listen records it: its target joined with the path
    ...overrides,
  };
}

function options(overrides: Partial<ReplayOptions> = {}): ReplayOptions {
  return replayOptions(SECRET, overrides);
}


describe("ordering", () => {
  const items = Array.from({ length: 20 }, (_, i) => i);

  it("shuffles reproducibly with a seed, differently with another, and reverses", () => {
    const a = orderItems(items, "shuffle", 42);
    expect(orderItems(items, "shuffle", 42)).toEqual(a);
    expect(a).not.toEqual(items);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(orderItems(items, "shuffle", 43)).not.toEqual(a);
    expect(orderItems(items, "reverse", 0)).toEqual([...items].reverse());
  });

  it("puts duplicates of each event next to each other as captured, and records the seed only for a shuffle", () => {
    const plan = planReplay([event(2), event(1)], options({ times: 2 }), { now: 1_700_000_100_000 });
    expect(plan.deliveries.map((d) => [d.eventId.slice(-1), d.duplicate])).toEqual([["1", 1], ["1", 2], ["2", 1], ["2", 2]]);
    expect(plan.seed).toBeNull();
    expect(planReplay([event(1), event(2)], options({ order: "shuffle", seed: 7 }), { now: 0 }).seed).toBe(7);
  });
});

describe("planning", () => {
  it("gives every duplicate the very same request, signed once, and each its own delivery id", () => {
    const plan = planReplay([event(1)], options({ times: 3, resign: true }), { now: 1_700_000_100_000 });
    const [a, b, c] = plan.deliveries;
    expect(b?.first).toBe(a?.first);
    expect(c?.first).toBe(a?.first);
    expect(new Set(plan.deliveries.map((d) => d.deliveryId)).size).toBe(3);
    expect(a?.first.url).toBe("http://127.0.0.1:9/hooks/webhooks/stripe");
    expect(a?.first.headers.find(([n]) => n === "Stripe-Signature")?.[1]).toMatch(/^t=1700000100,v1=[0-9a-f]{64}$/);
  });

  it("sends to the recorded target as it is (listen stored it joined with the path); --to is an origin or the exact URL", () => {
    const recorded = event(1, { url: "/webhooks/stripe?live=1", target: "http://127.0.0.1:9/hooks/webhooks/stripe?live=1" });
    expect(planReplay([recorded], options(), { now: 0 }).deliveries[0]?.first.url).toBe("http://127.0.0.1:9/hooks/webhooks/stripe?live=1");
    const exact = planReplay([recorded], options({ target: new URL("http://127.0.0.1:7/base") }), { now: 0 });
    expect(exact.deliveries[0]?.first.url).toBe("http://127.0.0.1:7/base");
    const origin = planReplay([recorded], options({ target: new URL("http://127.0.0.1:7") }), { now: 0 });
    expect(origin.deliveries[0]?.first.url).toBe("http://127.0.0.1:7/webhooks/stripe?live=1");
  });

  it("signs --stale with the old timestamp and keeps it on retries", () => {
    const plan = planReplay([event(1)], options({ staleMs: 600_000 }), { now: 1_700_000_600_000 });
    const first = plan.deliveries[0];
    expect(first?.first.headers.find(([n]) => n === "Stripe-Signature")?.[1]).toMatch(/^t=1700000000,/);
    expect(first?.retryRequest(2, "http_error", 1_700_000_660_000).headers.find(([n]) => n === "Stripe-Signature")?.[1]).toMatch(/^t=1700000060,/);
  });

  it("asks for the secret by flag and env var when re-signing without one (exit 2)", () => {
    const error = thrown(() => planReplay([event(1)], options({ resign: true, secretsOf: () => [] }), { now: 0 }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain("--secret stripe=whsec_");
    expect(error.message).toContain("HOOKTAPE_SECRET_STRIPE");
    // A body edit re-signs, so it needs the secret too, and says why.
    const edit = thrown(() => planReplay([event(1)], options({ bodyEdits: [{ op: "unset", path: "id" }], secretsOf: () => [] }), { now: 0 }));
    expect(edit.message).toMatch(/--set\/--unset/);
  });

  it("says there is nothing to replay, and where a target is missing", () => {
    expect(thrown(() => planReplay([], options(), { now: 0 })).message).toBe("no events match");
    expect(thrown(() => planReplay([event(1, { target: null })], options(), { now: 0 })).message).toMatch(/pass --to/);
  });

  it("refuses --tamper timestamp for a scheme without a signed timestamp", () => {
    const github = event(1, { provider: "github", headers: [["X-GitHub-Event", "ping"], ["X-Hub-Signature-256", "sha256=00"]] });
    expect(thrown(() => planReplay([github], options({ tamper: "timestamp" }), { now: 0 })).message).toMatch(/signs no timestamp/);
  });
});

describe("retry schedules", () => {
  it("parses exp:<first>,<factor>,<attempts> into the waits between attempts", () => {
    expect(retryPlanOf(parseRetrySpec("exp:1s,2,4"), null).delaysMs).toEqual([1000, 2000, 4000]);
    expect(retryPlanOf(parseRetrySpec("exp:500ms,3,3"), null).delaysMs).toEqual([500, 1500]);
  });

  it("takes a provider's published schedule with its documentation", () => {
    const svix = retryPlanOf(parseRetrySpec("svix"), null, getProvider("svix"));
    expect(svix.delaysMs).toEqual([5, 300, 1800, 7200, 18_000, 36_000, 36_000].map((s) => s * 1000));
    expect(svix.source).toMatch(/^https:\/\//);
    expect(retryPlanOf(parseRetrySpec("github"), null, getProvider("github")).delaysMs).toEqual([]);
    const slack = retryPlanOf(parseRetrySpec("slack"), null, getProvider("slack"));
    expect(slack.retryHeaders?.(2, "timeout")).toEqual([["X-Slack-Retry-Num", "1"], ["X-Slack-Retry-Reason", "http_timeout"]]);
  });

  it("rejects unknown schedules with exit 2", () => {
    for (const bad of ["nope", "exp:1s,2", "exp:1s,0.5,3", "exp:x,2,3"]) expect(thrown(() => parseRetrySpec(bad)).exitCode).toBe(2);
  });
});
