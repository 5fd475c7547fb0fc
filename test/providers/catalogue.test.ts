import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { detectProvider, getProvider, providers } from "../../src/providers/registry.js";
import type { Provider, VerifyRequest } from "../../src/providers/types.js";
import { bodyFor, credentialsFor, TEST_URL } from "./keys-for-tests.js";
import { flipByte, headerOf, signedRequest, withoutHeader } from "./helpers.js";

const NOW = 1_795_777_200;
const BODY = JSON.stringify({ id: "evt_1", type: "test", webhookTimestamp: NOW * 1000, data: { amount: 500 } });

function sign(provider: Provider, timestamp = NOW, secret = credentialsFor(provider).signWith): VerifyRequest {
  return signedRequest(provider, { body: bodyFor(provider, BODY), secret, timestamp, id: "msg_catalogue", url: TEST_URL });
}

// Senders whose headers are anyone's (Authorization) or who sign in the body (Wix): named with --provider only.
const NAMED_ONLY = ["chargebee", "postmark", "pipedrive", "okta", "vonage", "wix", "monday"];

const hmac = (algorithm: string, key: string, ...parts: string[]) => {
  const mac = createHmac(algorithm, key);
  for (const p of parts) mac.update(p);
  return mac;
};

describe("the catalogue", () => {
  it("lists at least 80 providers with unique lower-case ids, the ones every user expects included", () => {
    const ids = providers.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(80);
    for (const p of providers) if (p.aliasOf !== undefined) expect(ids).toContain(p.aliasOf);
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

  it("has each provider's documented tolerance and direction", () => {
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
    // An alias is detected as the scheme it shares headers with (WhatsApp's deliveries look exactly like Meta's);
    // a shared secret in Authorization is never attributed to anyone (every Basic-auth sender looks the same).
    if (NAMED_ONLY.includes(provider.id)) expect(detectProvider(signed.headers)).toBeUndefined();
    else expect(detectProvider(signed.headers)?.id).toBe(provider.aliasOf ?? provider.id);
  });

  it("rejects the wrong secret, accepts it next to the right one (rotation)", () => {
    expect(provider.verify(signed, [creds.other], { now: NOW })).toMatchObject({ valid: false, reason: "no_matching_signature" });
    expect(provider.verify(signed, [creds.other, creds.verifyWith], { now: NOW }).valid).toBe(true);
  });

  it("answers no_secret without secrets and throws a TypeError for an empty one", () => {
    // The certificate schemes say which certificate or key id the delivery names, and how to get it.
    const hint = provider.kind === "certificate" ? { hint: expect.stringMatching(/^this delivery was signed with (the certificate at https:|key id )/) } : {};
    expect(provider.verify(signed, [], { now: NOW })).toEqual({ valid: false, provider: provider.id, reason: "no_secret", ...hint });
    expect(() => provider.verify(signed, [""], { now: NOW })).toThrow(TypeError);
  });

  // Mailgun signs only timestamp + token, a token scheme (GitLab) signs nothing, and monday.com's JWT carries no
  // hash of the body: none of them protects the body.
  if (provider.id === "mailgun" || provider.kind === "token" || provider.coversBody === false) {
    it("does not protect the body, as its provider documents: a flipped body byte still verifies", () => {
      expect(provider.verify({ ...signed, body: flipByte(signed.body, 8) }, [creds.verifyWith], { now: NOW }).valid).toBe(true);
    });
  }
  if (!(provider.id === "mailgun" || provider.kind === "token" || provider.coversBody === false)) it("rejects a flipped body byte", () => {
    // Wix's body is the JWT itself: byte 8 is in its protected header, which then no longer parses. SNS's body is
    // its signed message: byte 8 is in the key "Type", which then is missing.
    expect(provider.verify({ ...signed, body: flipByte(signed.body, 8) }, [creds.verifyWith], { now: NOW })).toMatchObject({
      valid: false,
      reason: provider.id === "wix" || provider.id === "sns" ? "malformed_header" : "no_matching_signature",
    });
    if (provider.id === "sns") {
      const messageByte = signed.body.indexOf('"Message" : "') + 16;
      expect(provider.verify({ ...signed, body: flipByte(signed.body, messageByte) }, [creds.verifyWith], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
    }
    if (provider.id === "wix") {
      const payloadByte = signed.body.indexOf(".") + 12;
      expect(provider.verify({ ...signed, body: flipByte(signed.body, payloadByte) }, [creds.verifyWith], { now: NOW })).toMatchObject({ valid: false });
    }
  });

  // Registered only where it applies.

  // Mailgun and SNS carry the signature in the body (their own tests drop it there).
  if (!(provider.headers.length === 0 || provider.id === "mailgun" || provider.id === "sns")) it("reports a dropped signature header as missing_header", () => {
    // GitHub falls back to its legacy X-Hub-Signature, and Plivo to its V2 signature, so both must go.
    const names =
      provider.id === "github" ? ["x-hub-signature-256", "x-hub-signature"] : provider.id === "plivo" ? ["x-plivo-signature-v3", "x-plivo-signature-v2"] : [provider.headers[0] as string];
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
    ["gocardless", "Webhook-Signature", () => hmac("sha256", secret("gocardless"), BODY).digest("hex")],
    ["woocommerce", "X-WC-Webhook-Signature", () => hmac("sha256", secret("woocommerce"), BODY).digest("base64")],
    ["fastspring", "X-FS-Signature", () => hmac("sha256", secret("fastspring"), BODY).digest("base64")],
    ["maxio", "X-Chargify-Webhook-Signature-Hmac-Sha-256", () => hmac("sha256", secret("maxio"), BODY).digest("hex")],
    ["modern-treasury", "X-Signature", () => hmac("sha256", secret("modern-treasury"), BODY).digest("hex")],
    // Orb: ISO 8601 without a zone, meaning UTC.
    ["orb", "X-Orb-Signature", (t) => `v1=${hmac("sha256", secret("orb"), `v1:${new Date(Number(t) * 1000).toISOString().slice(0, -1)}:`, BODY).digest("hex")}`],
    ["bolt", "X-Bolt-Hmac-Sha256", () => hmac("sha256", secret("bolt"), BODY).digest("base64")],
    // Sanity: milliseconds, base64url without padding.
    ["sanity", "sanity-webhook-signature", (t) => `t=${t}000,v1=${hmac("sha256", secret("sanity"), `${t}000.`, BODY).digest("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`],
    ["circleci", "circleci-signature", () => `v1=${hmac("sha256", secret("circleci"), BODY).digest("hex")}`],
    ["buildkite", "X-Buildkite-Signature", (t) => `timestamp=${t},signature=${hmac("sha256", secret("buildkite"), `${t}.`, BODY).digest("hex")}`],
    ["heroku", "Heroku-Webhook-Hmac-SHA256", () => hmac("sha256", secret("heroku"), BODY).digest("base64")],
    ["terraform", "X-TFE-Notification-Signature", () => hmac("sha512", secret("terraform"), BODY).digest("hex")],
    ["jira", "X-Hub-Signature", () => `sha256=${hmac("sha256", secret("jira"), BODY).digest("hex")}`],
    ["launchdarkly", "X-LD-Signature", () => hmac("sha256", secret("launchdarkly"), BODY).digest("hex")],
    ["mongodb-atlas", "X-MMS-Signature", () => hmac("sha1", secret("mongodb-atlas"), BODY).digest("base64")],
    ["dropbox", "X-Dropbox-Signature", () => hmac("sha256", secret("dropbox"), BODY).digest("hex")],
    ["docusign", "X-DocuSign-Signature-1", () => hmac("sha256", secret("docusign"), BODY).digest("base64")],
    ["customerio", "X-CIO-Signature", (t) => hmac("sha256", secret("customerio"), `v0:${t}:`, BODY).digest("hex")],
    ["persona", "Persona-Signature", (t) => `t=${t},v1=${hmac("sha256", secret("persona"), `${t}.`, BODY).digest("hex")}`],
    ["nylas", "X-Nylas-Signature", () => hmac("sha256", secret("nylas"), BODY).digest("hex")],
    ["frameio", "X-Frameio-Signature", (t) => `v0=${hmac("sha256", secret("frameio"), `v0:${t}:`, BODY).digest("hex")}`],
    ["tiktok", "TikTok-Signature", (t) => `t=${t},s=${hmac("sha256", secret("tiktok"), `${t}.`, BODY).digest("hex")}`],
    ["twitter", "x-twitter-webhooks-signature", () => `sha256=${hmac("sha256", secret("twitter"), BODY).digest("base64")}`],
    ["pusher", "X-Pusher-Signature", () => hmac("sha256", secret("pusher"), BODY).digest("hex")],
    ["elevenlabs", "ElevenLabs-Signature", (t) => `t=${t},v0=${hmac("sha256", secret("elevenlabs"), `${t}.`, BODY).digest("hex")}`],
    ["webflow", "x-webflow-signature", (t) => hmac("sha256", secret("webflow"), `${t}000:`, BODY).digest("hex")],
    ["aftership", "aftership-hmac-sha256", () => hmac("sha256", secret("aftership"), BODY).digest("base64")],
    ["recurly", "recurly-signature", (t) => `${t}000,${hmac("sha256", secret("recurly"), `${t}000.`, BODY).digest("hex")}`],
    ["airwallex", "x-signature", (t) => hmac("sha256", secret("airwallex"), `${t}000`, BODY).digest("hex")],
    ["alchemy", "X-Alchemy-Signature", () => hmac("sha256", secret("alchemy"), BODY).digest("hex")],
    ["castle", "X-Castle-Signature", () => hmac("sha256", secret("castle"), BODY).digest("base64")],
    ["whatsapp", "X-Hub-Signature-256", () => `sha256=${hmac("sha256", secret("whatsapp"), BODY).digest("hex")}`],
  ];

  it.each(cases)("%s writes %s as its documentation describes", (id, header, expected) => {
    const provider = getProvider(id) as Provider;
    expect(headerOf(sign(provider), header)).toBe(expected(String(NOW)));
  });

  it("airtable and teams key the HMAC with the base64-decoded secret", () => {
    const key = Buffer.from("test-key-for-airtable");
    const airtable = getProvider("airtable") as Provider;
    const signed = sign(airtable, NOW, key.toString("base64"));
    expect(headerOf(signed, "X-Airtable-Content-MAC")).toBe(`hmac-sha256=${createHmac("sha256", key).update(BODY).digest("hex")}`);
    expect(airtable.verify(signed, ["not base64!"], { now: NOW })).toMatchObject({ valid: false, reason: "malformed_key" });
    const teamsKey = Buffer.from("test-key-for-teams");
    const teams = getProvider("teams") as Provider;
    expect(headerOf(sign(teams, NOW, teamsKey.toString("base64")), "Authorization")).toBe(`HMAC ${createHmac("sha256", teamsKey).update(BODY).digest("base64")}`);
  });

  it("mandrill signs the URL followed by the sorted form fields, like Twilio", () => {
    const mandrill = getProvider("mandrill") as Provider;
    const body = "mandrill_events=%5B%7B%22event%22%3A%22send%22%7D%5D&b=2&a=1";
    const signed = signedRequest(mandrill, { body, secret: secret("mandrill"), timestamp: NOW, url: TEST_URL, headers: [["content-type", "application/x-www-form-urlencoded"]] });
    const expected = hmac("sha1", secret("mandrill"), `${TEST_URL}a1b2mandrill_events[{"event":"send"}]`).digest("base64");
    expect(headerOf(signed, "X-Mandrill-Signature")).toBe(expected);
    expect(mandrill.verify({ ...signed, url: "/webhooks" }, [secret("mandrill")], { now: NOW })).toMatchObject({ reason: "missing_url" });
  });

  it("docusign accepts a match in any of its numbered signature headers (one per active key)", () => {
    const docusign = getProvider("docusign") as Provider;
    const signed = sign(docusign);
    const second = hmac("sha256", "second-key", BODY).digest("base64");
    const req = { ...signed, headers: [...signed.headers, ["X-DocuSign-Signature-2", second]] as Array<[string, string]> };
    expect(docusign.verify(req, ["second-key"], { now: NOW }).valid).toBe(true);
    expect(docusign.verify(req, ["third-key"], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
  });

  it("orb reads its zone-less timestamp as UTC, whatever the machine's time zone", () => {
    const orb = getProvider("orb") as Provider;
    const signed = sign(orb);
    expect(headerOf(signed, "X-Orb-Timestamp")).toBe(new Date(NOW * 1000).toISOString().slice(0, -1));
    expect(orb.timestampOf?.(signed)).toBe(NOW);
  });

  it("recurly and persona accept any of the signatures a key rotation puts in the header", () => {
    const recurly = getProvider("recurly") as Provider;
    const ts = `${NOW}000`;
    const good = hmac("sha256", secret("recurly"), `${ts}.`, BODY).digest("hex");
    const rq = { method: "POST", url: "/", headers: [["recurly-signature", `${ts},${"0".repeat(64)},${good}`]] as Array<[string, string]>, body: Buffer.from(BODY) };
    expect(recurly.verify(rq, [secret("recurly")], { now: NOW }).valid).toBe(true);
    const persona = getProvider("persona") as Provider;
    const pgood = hmac("sha256", secret("persona"), `${NOW}.`, BODY).digest("hex");
    const pq = { method: "POST", url: "/", headers: [["Persona-Signature", `t=${NOW},v1=${"f".repeat(64)} t=${NOW},v1=${pgood}`]] as Array<[string, string]>, body: Buffer.from(BODY) };
    expect(persona.verify(pq, [secret("persona")], { now: NOW }).valid).toBe(true);
  });

  it("mongodb-atlas accepts the hex form one page of its docs shows, next to base64", () => {
    const atlas = getProvider("mongodb-atlas") as Provider;
    const hex = hmac("sha1", secret("mongodb-atlas"), BODY).digest("hex");
    const rq = { method: "POST", url: "/", headers: [["X-MMS-Signature", hex]] as Array<[string, string]>, body: Buffer.from(BODY) };
    expect(atlas.verify(rq, [secret("mongodb-atlas")], { now: NOW }).valid).toBe(true);
    expect(atlas.verify({ ...rq, body: Buffer.from(`${BODY} `) }, [secret("mongodb-atlas")], { now: NOW })).toMatchObject({ reason: "no_matching_signature" });
  });

  it("polar and bigcommerce key Standard Webhooks with the secret's UTF-8 bytes; openai with base64 after whsec_, else UTF-8", () => {
    const sw = (id: string, secretText: string) => headerOf(signedRequest(getProvider(id) as Provider, { body: BODY, secret: secretText, timestamp: NOW, id: "msg_1" }), "webhook-signature");
    const expected = (key: Buffer) => `v1,${createHmac("sha256", key).update(`msg_1.${NOW}.`).update(BODY).digest("base64")}`;
    expect(sw("polar", "polar_whs_abc")).toBe(expected(Buffer.from("polar_whs_abc")));
    expect(sw("bigcommerce", "client-secret")).toBe(expected(Buffer.from("client-secret")));
    expect(sw("openai", "plain text secret")).toBe(expected(Buffer.from("plain text secret")));
    expect(sw("openai", "whsec_c2VjcmV0")).toBe(expected(Buffer.from("secret")));
    expect(sw("lithic", "whsec_c2VjcmV0")).toBe(expected(Buffer.from("secret")));
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
    expect(detect([["X-Hub-Signature", "sha256=a"], ["X-Atlassian-Webhook-Identifier", "1"]])).toBe("jira");
    expect(detect([["X-Signature", "a"], ["X-Topic", "payment_order"]])).toBe("modern-treasury");
    expect(detect([["x-signature", "a"], ["x-timestamp", "1"]])).toBe("airwallex");
    expect(detect([["Webhook-Signature", "a".repeat(64)]])).toBe("gocardless");
    expect(detect([["webhook-id", "m"], ["webhook-timestamp", "1"], ["webhook-signature", "v1,a"]])).toBe("standard-webhooks");
    expect(detect([["Authorization", "HMAC abc="]])).toBe("teams");
    expect(detect([["Authorization", "Bearer abc"]])).toBeUndefined();
  });
});
