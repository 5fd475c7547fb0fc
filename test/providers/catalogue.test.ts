import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { detectProvider, getProvider, providers } from "../../src/providers/registry.js";
import type { Provider, VerifyRequest } from "../../src/providers/types.js";
import { credentialsFor, TEST_URL } from "./keys-for-tests.js";
import { flipByte, headerOf, signedRequest, withoutHeader } from "./helpers.js";

const NOW = 1_795_777_200;
const BODY = JSON.stringify({ id: "evt_1", type: "test", webhookTimestamp: NOW * 1000, data: { amount: 500 } });

function sign(provider: Provider, timestamp = NOW, secret = credentialsFor(provider).signWith): VerifyRequest {
  return signedRequest(provider, { body: BODY, secret, timestamp, id: "msg_catalogue", url: TEST_URL });
}

const hmac = (algorithm: string, key: string, ...parts: string[]) => {
  const mac = createHmac(algorithm, key);
  for (const p of parts) mac.update(p);
  return mac;
};

describe("the catalogue", () => {
  it("lists at least 30 providers with unique lower-case ids, the SPEC's required ones included", () => {
    const ids = providers.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(30);
    for (const id of ["stripe", "github", "standard-webhooks", "svix", "shopify", "slack", "twilio", "square", "paddle", "linear", "discord", "sendgrid", "hmac"]) {
      expect(ids).toContain(id);
    }
    for (const p of providers) {
      expect(p.id).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(p.docs).toMatch(/^https:\/\//);
      expect(p.retry.docs).toMatch(/^https:\/\//);
      expect(p.deadlineMs).toBeGreaterThan(0);
      expect(p.headers.every((h) => h === h.toLowerCase())).toBe(true);
    }
  });

  it("has the SPEC's tolerances and directions", () => {
    const tolerance = (id: string) => [getProvider(id)?.toleranceSec, getProvider(id)?.rejectsFuture];
    expect(tolerance("stripe")).toEqual([300, false]);
    expect(tolerance("slack")).toEqual([300, false]);
    expect(tolerance("standard-webhooks")).toEqual([300, true]);
    expect(tolerance("svix")).toEqual([300, true]);
    expect(tolerance("paddle")).toEqual([5, false]);
    expect(tolerance("linear")).toEqual([60, true]);
    expect(getProvider("github")?.retry.delaysSec).toEqual([]);
    expect(getProvider("github")?.deadlineMs).toBe(10_000);
    // Deadlines as the providers document them (`check` says "gives up after"), or marked as hooktape's assumption.
    const deadline = (id: string) => [getProvider(id)?.deadlineMs, getProvider(id)?.deadlinePublished === true];
    expect(deadline("github")).toEqual([10_000, true]);
    expect(deadline("slack")).toEqual([3_000, true]);
    expect(deadline("line")).toEqual([2_000, true]);
    expect(deadline("sentry")).toEqual([1_000, true]);
    expect(deadline("stripe")).toEqual([30_000, false]);
    expect(deadline("sendgrid")).toEqual([10_000, false]);
    expect(getProvider("svix")?.retry.delaysSec).toEqual([5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
  });

  it("builds the generic scheme from settings only for `hmac`", () => {
    const custom = getProvider("hmac", { hmac: { header: "X-Custom" } });
    expect(custom?.headers).toEqual(["x-custom"]);
    expect(getProvider("github", { hmac: { header: "X-Custom" } })?.id).toBe("github");
    expect(getProvider("nope")).toBeUndefined();
  });
});

describe.each(providers.map((p) => [p.id, p] as const))("%s: one change at a time", (_id, provider) => {
  const creds = credentialsFor(provider);
  const signed = sign(provider);

  it("verifies what it signs, and detects it", () => {
    const result = provider.verify(signed, [creds.verifyWith], { now: NOW });
    expect(result).toMatchObject({ valid: true, provider: provider.id });
    // Clerk and Resend send Svix's headers, so they are detected as svix; every other provider as itself.
    if (provider.id !== "clerk" && provider.id !== "resend") expect(detectProvider(signed.headers)?.id).toBe(provider.id);
  });

  it("rejects the wrong secret, accepts it next to the right one (rotation)", () => {
    expect(provider.verify(signed, [creds.other], { now: NOW })).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect(provider.verify(signed, [creds.other, creds.verifyWith], { now: NOW }).valid).toBe(true);
  });

  it("answers no_secret without secrets and throws a TypeError for an empty one", () => {
    expect(provider.verify(signed, [], { now: NOW })).toEqual({ valid: false, provider: provider.id, reason: "no_secret" });
    expect(() => provider.verify(signed, [""], { now: NOW })).toThrow(TypeError);
  });

  // Mailgun signs only timestamp + token, and a token scheme (GitLab) signs nothing: neither protects the body.
  if (provider.id === "mailgun" || provider.kind === "token") {
    it("does not protect the body, as its provider documents: a flipped body byte still verifies", () => {
      expect(provider.verify({ ...signed, body: flipByte(signed.body, 8) }, [creds.verifyWith], { now: NOW }).valid).toBe(true);
    });
  }
  if (!(provider.id === "mailgun" || provider.kind === "token")) it("rejects a flipped body byte", () => {
    expect(provider.verify({ ...signed, body: flipByte(signed.body, 8) }, [creds.verifyWith], { now: NOW })).toMatchObject({
      valid: false,
      reason: "no_matching_signature",
    });
  });

  // Registered only where it applies.

  if (!(provider.headers.length === 0 || provider.id === "mailgun")) it("reports a dropped signature header as missing_header", () => {
    // GitHub falls back to its legacy X-Hub-Signature, so both must go.
    const names = provider.id === "github" ? ["x-hub-signature-256", "x-hub-signature"] : [provider.headers[0] as string];
    const dropped = names.reduce((req, name) => withoutHeader(req, name), signed);
    expect(provider.verify(dropped, [creds.verifyWith], { now: NOW })).toMatchObject({ valid: false, reason: "missing_header" });
  });

  // Registered only where it applies.

  if (!(provider.toleranceSec === null)) it("rejects a stale timestamp just past its tolerance, accepts one just inside", () => {
    const tolerance = provider.toleranceSec as number;
    if (provider.id === "linear") {
      // Linear's timestamp is in the body, which signing never rewrites: check the clock instead.
      expect(provider.verify(signed, [creds.verifyWith], { now: NOW + tolerance + 1 })).toMatchObject({ reason: "timestamp_too_old" });
      expect(provider.verify(signed, [creds.verifyWith], { now: NOW + tolerance }).valid).toBe(true);
      return;
    }
    const stale = sign(provider, NOW - tolerance - 1);
    expect(provider.verify(stale, [creds.verifyWith], { now: NOW })).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    expect(provider.verify(sign(provider, NOW - tolerance), [creds.verifyWith], { now: NOW }).valid).toBe(true);
    expect(provider.verify(stale, [creds.verifyWith], { now: NOW, toleranceSec: tolerance + 10 }).valid).toBe(true);
    expect(provider.timestampOf?.(stale)).toBe(NOW - tolerance - 1);
  });

  // Registered only where it applies.

  if (!(provider.toleranceSec === null || provider.id === "linear")) it("handles future timestamps in the provider's direction", () => {
    const future = sign(provider, NOW + (provider.toleranceSec as number) + 60);
    const result = provider.verify(future, [creds.verifyWith], { now: NOW });
    if (provider.rejectsFuture) expect(result).toMatchObject({ valid: false, reason: "timestamp_too_new" });
    else expect(result.valid).toBe(true);
  });
});

// The wire format of each declarative entry, recomputed independently from its documentation.
describe("wire formats as documented", () => {
  const secret = (id: string) => `test_secret_${id}`;
  const cases: Array<[id: string, header: string, expected: (ts: string) => string]> = [
    ["shopify", "X-Shopify-Hmac-Sha256", () => hmac("sha256", secret("shopify"), BODY).digest("base64")],
    ["square", "x-square-hmacsha256-signature", () => hmac("sha256", secret("square"), TEST_URL, BODY).digest("base64")],
    ["paddle", "Paddle-Signature", (t) => `ts=${t};h1=${hmac("sha256", secret("paddle"), `${t}:`, BODY).digest("hex")}`],
    ["linear", "Linear-Signature", () => hmac("sha256", secret("linear"), BODY).digest("hex")],
    ["line", "x-line-signature", () => hmac("sha256", secret("line"), BODY).digest("base64")],
    ["razorpay", "X-Razorpay-Signature", () => hmac("sha256", secret("razorpay"), BODY).digest("hex")],
    ["hubspot", "X-HubSpot-Signature-v3", (t) => hmac("sha256", secret("hubspot"), "POST", TEST_URL, BODY, `${t}000`).digest("base64")],
    ["mux", "Mux-Signature", (t) => `t=${t},v1=${hmac("sha256", secret("mux"), `${t}.`, BODY).digest("hex")}`],
    ["workos", "WorkOS-Signature", (t) => `t=${t}000, v1=${hmac("sha256", secret("workos"), `${t}000.`, BODY).digest("hex")}`],
    ["zoom", "x-zm-signature", (t) => `v0=${hmac("sha256", secret("zoom"), `v0:${t}:`, BODY).digest("hex")}`],
    ["intercom", "X-Hub-Signature", () => `sha1=${hmac("sha1", secret("intercom"), BODY).digest("hex")}`],
    ["typeform", "Typeform-Signature", () => `sha256=${hmac("sha256", secret("typeform"), BODY).digest("base64")}`],
    ["gitlab", "X-Gitlab-Token", () => secret("gitlab")],
    ["bitbucket", "X-Hub-Signature", () => `sha256=${hmac("sha256", secret("bitbucket"), BODY).digest("hex")}`],
    ["twitch", "Twitch-Eventsub-Message-Signature", (t) => `sha256=${hmac("sha256", secret("twitch"), "msg_catalogue", new Date(Number(t) * 1000).toISOString(), BODY).digest("hex")}`],
    ["meta", "X-Hub-Signature-256", () => `sha256=${hmac("sha256", secret("meta"), BODY).digest("hex")}`],
    ["lemonsqueezy", "X-Signature", () => hmac("sha256", secret("lemonsqueezy"), BODY).digest("hex")],
    ["calendly", "Calendly-Webhook-Signature", (t) => `t=${t},v1=${hmac("sha256", secret("calendly"), `${t}.`, BODY).digest("hex")}`],
    ["sentry", "Sentry-Hook-Signature", () => hmac("sha256", secret("sentry"), BODY).digest("hex")],
    ["vercel", "x-vercel-signature", () => hmac("sha1", secret("vercel"), BODY).digest("hex")],
    ["asana", "X-Hook-Signature", () => hmac("sha256", secret("asana"), BODY).digest("hex")],
    ["zendesk", "X-Zendesk-Webhook-Signature", (t) => hmac("sha256", secret("zendesk"), new Date(Number(t) * 1000).toISOString(), BODY).digest("base64")],
    ["coinbase", "X-CC-Webhook-Signature", () => hmac("sha256", secret("coinbase"), BODY).digest("hex")],
    ["xero", "x-xero-signature", () => hmac("sha256", secret("xero"), BODY).digest("base64")],
    ["webex", "X-Spark-Signature", () => hmac("sha1", secret("webex"), BODY).digest("hex")],
    ["trello", "X-Trello-Webhook", () => hmac("sha1", secret("trello"), BODY, TEST_URL).digest("base64")],
    ["pagerduty", "X-PagerDuty-Signature", () => `v1=${hmac("sha256", secret("pagerduty"), BODY).digest("hex")}`],
    ["box", "box-signature-primary", (t) => hmac("sha256", secret("box"), BODY, new Date(Number(t) * 1000).toISOString()).digest("base64")],
  ];

  it.each(cases)("%s writes %s as its documentation describes", (id, header, expected) => {
    const provider = getProvider(id) as Provider;
    expect(headerOf(sign(provider), header)).toBe(expected(String(NOW)));
  });

  it("shopify carries the headers @shopify/shopify-api requires", () => {
    const out = sign(getProvider("shopify") as Provider);
    for (const h of ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id"]) expect(headerOf(out, h)).toBeTruthy();
  });

  it("keeps a header the caller already set instead of the default (GitHub's event name)", () => {
    const out = getProvider("github")?.sign({ body: Buffer.from(BODY), secret: "s", timestamp: NOW, id: "d", method: "POST", headers: [["x-github-event", "issues"]] });
    expect(out && headerOf(out, "X-GitHub-Event")).toBe("issues");
  });

  it("pagerduty and paddle accept any of several signatures in the header", () => {
    const pd = getProvider("pagerduty") as Provider;
    const good = hmac("sha256", secret("pagerduty"), BODY).digest("hex");
    const req = { method: "POST", url: "/", headers: [["X-PagerDuty-Signature", `v1=${"0".repeat(64)},v1=${good}`]] as Array<[string, string]>, body: Buffer.from(BODY) };
    expect(pd.verify(req, [secret("pagerduty")], { now: NOW }).valid).toBe(true);
    const pa = getProvider("paddle") as Provider;
    const h1 = hmac("sha256", secret("paddle"), `${NOW}:`, BODY).digest("hex");
    const preq = { method: "POST", url: "/", headers: [["Paddle-Signature", `ts=${NOW};h1=${"f".repeat(64)};h1=${h1}`]] as Array<[string, string]>, body: Buffer.from(BODY) };
    expect(pa.verify(preq, [secret("paddle")], { now: NOW }).valid).toBe(true);
  });

  it("box accepts a secret matching the secondary signature (key rotation)", () => {
    const box = getProvider("box") as Provider;
    const signed = sign(box);
    const ts = headerOf(signed, "box-delivery-timestamp") as string;
    const secondary = hmac("sha256", "second-key", BODY, ts).digest("base64");
    const req = { ...signed, headers: [...signed.headers, ["box-signature-secondary", secondary]] as Array<[string, string]> };
    expect(box.verify(req, ["second-key"], { now: NOW }).valid).toBe(true);
    expect(box.verify(req, ["third-key"], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
  });

  it("box refuses a delivery dated even a second after now, as box-node-sdk does", () => {
    const box = getProvider("box") as Provider;
    const signed = sign(box);
    expect(box.verify(signed, [secret("box")], { now: NOW - 1 })).toMatchObject({ valid: false, reason: "timestamp_too_new" });
    expect(box.verify(signed, [secret("box")], { now: NOW + 600 }).valid).toBe(true);
  });

  it("URL-signing schemes answer missing_url without the URL and reject another URL", () => {
    for (const id of ["square", "hubspot", "trello"]) {
      const provider = getProvider(id) as Provider;
      const signed = sign(provider);
      const local = { ...signed, url: "/webhooks/test?x=1" };
      expect(provider.verify(local, [secret(id)], { now: NOW })).toMatchObject({ reason: "missing_url" });
      expect(provider.verify(local, [secret(id)], { now: NOW, url: TEST_URL }).valid).toBe(true);
      expect(provider.verify(local, [secret(id)], { now: NOW, url: TEST_URL.replace("x=1", "x=2") })).toMatchObject({ reason: "no_matching_signature" });
    }
  });

  it("mailgun writes its signature into the body and checks timestamp + token", () => {
    const mailgun = getProvider("mailgun") as Provider;
    const signed = sign(mailgun);
    const sig = (JSON.parse(signed.body.toString()) as { signature: { timestamp: string; token: string; signature: string } }).signature;
    expect(sig.timestamp).toBe(String(NOW));
    expect(sig.signature).toBe(hmac("sha256", secret("mailgun"), sig.timestamp + sig.token).digest("hex"));
    const forged = Buffer.from(signed.body.toString().replace(sig.token, "f".repeat(50)));
    expect(mailgun.verify({ ...signed, body: forged }, [secret("mailgun")], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
    expect(mailgun.verify({ ...signed, body: Buffer.from("{}") }, [secret("mailgun")], { now: NOW })).toMatchObject({ reason: "missing_header" });
  });

  it("detects shared-header senders apart: GitHub, Meta, Bitbucket, Intercom, Lemon Squeezy, generic", () => {
    const detect = (headers: Array<[string, string]>) => detectProvider(headers)?.id;
    expect(detect([["X-Hub-Signature-256", "sha256=a"], ["X-GitHub-Event", "push"]])).toBe("github");
    expect(detect([["X-Hub-Signature-256", "sha256=a"]])).toBe("meta");
    expect(detect([["X-Hub-Signature", "sha256=a"], ["X-Event-Key", "repo:push"]])).toBe("bitbucket");
    expect(detect([["X-Hub-Signature", "sha1=a"], ["User-Agent", "Intercom-Webhook-Client/1.0"]])).toBe("intercom");
    expect(detect([["X-Signature", "a"], ["X-Event-Name", "order_created"]])).toBe("lemonsqueezy");
    expect(detect([["X-Signature", "sha256=a"]])).toBe("hmac");
    expect(detect([["svix-id", "m"], ["svix-timestamp", "1"], ["svix-signature", "v1,a"]])).toBe("svix");
    expect(detect([["content-type", "application/json"]])).toBeUndefined();
  });
});
