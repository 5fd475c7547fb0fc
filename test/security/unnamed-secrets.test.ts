// Which provider a secret serves. A secret given without a provider's name (`--secret <s>`) is the secret of the
// provider --provider names; without --provider it only verifies. Anything keyed with a secret — a handshake's answer,
// a re-signed replay or send, a registered hook — uses only secrets given for that provider by name.
import { createHmac, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { getProvider } from "../../src/providers/index.js";
import { runProgram } from "../helpers/program.js";
import { listenSession, sharedListen } from "../helpers/listen-session.js";
import { send } from "../helpers/target-server.js";
import { stripeVerifies } from "../helpers/stripe-verifies.js";
import { tempDir } from "../helpers/temp-dir.js";

const MAILGUN_KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
const STRIPE_SECRET = "whsec_unnamed_secret_test_only_5f2a";
const stripe = new Stripe("sk_test_unnamed_secrets");
const session = listenSession();
// `listen --secret whsec_…` (unnamed): what two tests below ask of it, each on a path of its own.
const unnamedStripeSecret = sharedListen({ args: ({ db }) => ["--no-tunnel", "--db", db, "--secret", STRIPE_SECRET] });

/** The stranger's move: ask for the X CRC answer to a token of their choosing; null when none came back. */
async function crcAnswer(url: string, token: string): Promise<string | null> {
  const answer = await send(`${url}/?crc_token=${encodeURIComponent(token)}`, { method: "GET" });
  try {
    const parsed = JSON.parse(answer.body.toString("utf8")) as { response_token?: unknown };
    return typeof parsed.response_token === "string" ? parsed.response_token.replace(/^sha256=/, "") : null;
  } catch {
    return null;
  }
}

/** A Mailgun event as Mailgun posts it (JSON, pretty-printed), signed with whatever signature the stranger has. */
function mailgunEvent(timestamp: string, token: string, signatureHex: string): string {
  const event = {
    signature: { timestamp, token, signature: signatureHex },
    "event-data": { event: "delivered", id: "Ase-forged", recipient: "client@example.com", message: { headers: { subject: "Facture réglée ✓" } } },
  };
  return JSON.stringify(event, null, 2);
}

describe("a handshake answer is keyed only with a secret given for that provider by name", () => {
  it("listen --secret <Mailgun key>: a crafted ?crc_token= gets no HMAC, so no Mailgun event can be forged with it", async () => {
    const listen = await session.listen(["--no-tunnel", "--db", path.join(tempDir(), "h.db"), "--secret", MAILGUN_KEY]);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const token = randomBytes(25).toString("hex");
    const answer = await crcAnswer(listen.ready.url, timestamp + token);
    // Mailgun signs hex HMAC-SHA256(key, timestamp + token): the CRC answer is that HMAC in base64.
    const forgedSignature = answer === null ? "" : Buffer.from(answer, "base64").toString("hex");
    expect(forgedSignature).not.toBe(createHmac("sha256", MAILGUN_KEY).update(timestamp + token).digest("hex"));

    await send(`${listen.ready.url}/mailgun`, {
      headers: [["User-Agent", "mailgun/treq-16.12.0"], ["Content-Type", "application/json"]],
      body: mailgunEvent(timestamp, token, forgedSignature),
    });
    await listen.waitForEvents(2);
    const events = listen.records.filter((record) => record.type === "event") as Array<{ provider: string | null; verification: { status: string } }>;
    expect(events[1]).toMatchObject({ provider: "mailgun" });
    expect(events[1]?.verification.status).not.toBe("valid");
    const warnings = listen.records.filter((record) => record.type === "warning").map((record) => String(record.message));
    expect(warnings).toContain(
      "X (Twitter) CRC not answered: no X consumer secret named for twitter (an unnamed --secret never answers a handshake); pass --secret twitter=<consumer secret> or set HOOKTAPE_SECRET_TWITTER",
    );
  });

  it("listen --secret whsec_…: ?crc_token=<t>.null yields no Stripe-Signature for the body null", async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const answer = await crcAnswer(unnamedStripeSecret.proc.ready.url, `${timestamp}.null`);
    const header = `t=${timestamp},v1=${answer === null ? "" : Buffer.from(answer, "base64").toString("hex")}`;
    // Stripe's own SDK is the judge of whether that is a valid delivery of the body `null`.
    expect(() => stripeVerifies("null", header, STRIPE_SECRET, 300)).toThrow();
  });

  it("the same secret named for the provider (twitter=, or --provider twitter) answers the CRC as X expects", async () => {
    const consumerSecret = "x-consumer-secret-named-test";
    const expected = createHmac("sha256", consumerSecret).update("crc-token-from-x").digest("base64");
    for (const args of [["--secret", `twitter=${consumerSecret}`], ["--provider", "twitter", "--secret", consumerSecret]]) {
      const listen = await session.listen(["--no-tunnel", "--db", path.join(tempDir(), "h.db"), ...args]);
      expect(await crcAnswer(listen.ready.url, "crc-token-from-x")).toBe(expected);
    }
  });

  it("Zoom's url_validation, signed with the secret token, is answered only when that secret is named zoom=", async () => {
    const zoomSecret = "zoom-secret-token-named-test";
    const body = JSON.stringify({ payload: { plainToken: "qgg8vlvZRS6UYooatFL8Aw" }, event_ts: Date.now(), event: "endpoint.url_validation" });
    const signed = getProvider("zoom")!.sign({ body: Buffer.from(body), secret: zoomSecret, timestamp: Math.floor(Date.now() / 1000), id: "x", method: "POST", headers: [] });
    const headers: HeaderPairs = [["Content-Type", "application/json; charset=utf-8"], ...signed.headers];

    const unnamed = await session.listen(["--no-tunnel", "--db", path.join(tempDir(), "h.db"), "--secret", zoomSecret]);
    const refused = await send(`${unnamed.ready.url}/zoom`, { headers, body });
    expect(refused.body.toString()).not.toContain("encryptedToken");

    const named = await session.listen(["--no-tunnel", "--db", path.join(tempDir(), "h.db"), "--secret", `zoom=${zoomSecret}`]);
    const answered = JSON.parse((await send(`${named.ready.url}/zoom`, { headers, body })).body.toString()) as { encryptedToken: string };
    expect(answered.encryptedToken).toBe(createHmac("sha256", zoomSecret).update("qgg8vlvZRS6UYooatFL8Aw").digest("hex"));
  });
});

describe("re-signing signs for the provider an event or fixture names only with a secret named for it", () => {
  /** A stranger's delivery that claims to be GitLab: its X-Gitlab-Token header is a token scheme's secret itself. */
  // A listen with no secret at all, where the two replays below find their events, each sent to a path of its own.
  const capturing = sharedListen({ args: ({ db }) => ["--no-tunnel", "--db", db] });

  async function captureFakeGitlabEvent(): Promise<{ db: string; id: string }> {
    await send(`${capturing.proc.ready.url}/gitlab`, {
      headers: [["X-Gitlab-Event", "Push Hook"], ["X-Gitlab-Token", "guess"], ["Content-Type", "application/json"]],
      body: JSON.stringify({ object_kind: "push", ref: "refs/heads/main", user_name: "Zoë" }, null, 2),
    });
    const record = (await capturing.eventAt("/gitlab")) as { id: string; provider: string };
    expect(record.provider).toBe("gitlab");
    return { db: capturing.db, id: record.id };
  }

  it("replay --resign --secret whsec_… of an event claiming to be GitLab sends nothing: the Stripe secret never becomes an X-Gitlab-Token", async () => {
    const { db, id } = await captureFakeGitlabEvent();
    const handler = await session.target();
    const replay = await runProgram(["--db", db, "replay", id, "--resign", "--secret", STRIPE_SECRET, "--to", handler.url]);
    expect(replay.code).toBe(2);
    expect(replay.stderr.trim()).toBe("hooktape: no secret for gitlab to re-sign (--resign): pass --secret gitlab=<token> or set HOOKTAPE_SECRET_GITLAB");
    expect(handler.received).toEqual([]);

    // Named, the secret is used as asked.
    const named = await runProgram(["--db", db, "replay", id, "--resign", "--secret", "gitlab=the-gitlab-token", "--to", handler.url]);
    expect(named.code).toBe(0);
    expect(handler.received[0]?.headers).toContainEqual(["X-Gitlab-Token", "the-gitlab-token"]);
  });

  it("replay --resign --secret whsec_… of a genuine Stripe event: the unnamed secret verifies its signature, so it re-signs it", async () => {
    const db = capturing.db;
    const body = JSON.stringify({ id: "evt_genuine", object: "event", type: "invoice.paid", data: { object: { customer_name: "Zoë" } } }, null, 2);
    // Signed a minute ago, so that a re-signed copy differs from it whenever the replay runs.
    const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret: STRIPE_SECRET, timestamp: Math.floor(Date.now() / 1000) - 60 });
    await send(`${capturing.proc.ready.url}/stripe`, { headers: [["Content-Type", "application/json"], ["Stripe-Signature", signature]], body });
    const id = String((await capturing.eventAt("/stripe")).id);
    const handler = await session.target();
    const replay = await runProgram(["--db", db, "replay", id, "--resign", "--secret", "whsec_some_other_endpoint", "--secret", STRIPE_SECRET, "--to", handler.url]);
    expect(replay.code).toBe(0);
    const resent = handler.received[0];
    const header = resent?.headers.find(([name]) => name.toLowerCase() === "stripe-signature")?.[1] ?? "";
    expect(header).not.toBe(signature);
    expect(() => stripeVerifies(resent?.body ?? "", header, STRIPE_SECRET)).not.toThrow();
  });

  it("send --resign: an unnamed secret signs a fixture's provider under --provider, or when it verifies the fixture's signature", async () => {
    const handler = await session.target();
    const fixture = path.join(tempDir(), "stripe.json");
    const body = JSON.stringify({ id: "evt_unnamed", object: "event", type: "invoice.paid", data: { object: { customer_name: "Zoë" } } }, null, 2);
    writeFileSync(fixture, JSON.stringify({ hooktape: 1, provider: "stripe", request: { method: "POST", url: "/stripe", headers: [["Content-Type", "application/json"]], body } }));
    const refused = await runProgram(["send", fixture, "--to", handler.url, "--resign", "--secret", STRIPE_SECRET]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe("hooktape: no secret for stripe: pass --secret stripe=whsec_... or set HOOKTAPE_SECRET_STRIPE");
    expect(handler.received).toEqual([]);

    for (const args of [["--secret", `stripe=${STRIPE_SECRET}`], ["--provider", "stripe", "--secret", STRIPE_SECRET]]) {
      const sent = await runProgram(["send", fixture, "--to", handler.url, "--resign", ...args]);
      expect(sent.code).toBe(0);
    }
    // A fixture signed with this very secret (sign --format fixture) proves it is Stripe's; one signed with another
    // key proves nothing.
    for (const [signingSecret, expected] of [[STRIPE_SECRET, 0], ["whsec_another_key", 2]] as const) {
      const signedFixture = path.join(tempDir(), "signed.json");
      expect((await runProgram(["sign", "--provider", "stripe", "--secret", signingSecret, "--body", body, "--path", "/stripe", "--format", "fixture", "--out", signedFixture])).code).toBe(0);
      const sent = await runProgram(["send", signedFixture, "--to", handler.url, "--resign", "--secret", STRIPE_SECRET]);
      expect(sent.code).toBe(expected);
    }
    expect(handler.received).toHaveLength(3);
    for (const received of handler.received) {
      const signature = received.headers.find(([name]) => name.toLowerCase() === "stripe-signature")?.[1] ?? "";
      expect(() => stripeVerifies(received.body, signature, STRIPE_SECRET, 300)).not.toThrow();
    }
  });

  it("listen --secret <s> still verifies whatever provider is detected: a verdict is all it yields", async () => {
    const body = JSON.stringify({ id: "evt_verify", object: "event", type: "charge.succeeded", data: { object: { description: "Café" } } }, null, 2);
    const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret: STRIPE_SECRET });
    await send(`${unnamedStripeSecret.proc.ready.url}/stripe`, { headers: [["Content-Type", "application/json"], ["Stripe-Signature", signature]], body });
    expect(await unnamedStripeSecret.eventAt("/stripe")).toMatchObject({ provider: "stripe", verification: { status: "valid" } });
  });
});
