import { describe, expect, it } from "vitest";
import { discord } from "../../src/providers/discord.js";
import { generateKeyPair } from "../../src/providers/keys.js";
import { sendgrid } from "../../src/providers/sendgrid.js";
import { flipByte, headerOf, signedRequest, withHeader, withoutHeader } from "./helpers.js";

// SendGrid's SDK test vector: sendgrid/sendgrid-nodejs packages/eventwebhook/src/eventwebhook.spec.js
const SG_PUBLIC = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==";
const SG_SIGNATURE = "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=";
const SG_TIMESTAMP = "1588788367";
const SG_BODY = JSON.stringify({ category: "example_payload", event: "test_event", message_id: "message_id" });
const sgRequest = {
  method: "POST",
  url: "/sendgrid",
  headers: [
    ["X-Twilio-Email-Event-Webhook-Signature", SG_SIGNATURE],
    ["X-Twilio-Email-Event-Webhook-Timestamp", SG_TIMESTAMP],
  ] as Array<[string, string]>,
  body: Buffer.from(SG_BODY),
};

describe("sendgrid (ECDSA P-256)", () => {
  it("accepts the SDK's test vector with the dashboard-form key", () => {
    expect(sendgrid.verify(sgRequest, [SG_PUBLIC], { now: 1588788367 })).toEqual({ valid: true, provider: "sendgrid", signedAt: 1588788367 });
  });

  it("rejects the SDK's negative cases: other key, other payload, other signature, other timestamp", () => {
    const otherKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==";
    expect(sendgrid.verify(sgRequest, [otherKey], { now: 0 })).toMatchObject({ reason: "no_matching_signature" });
    expect(sendgrid.verify({ ...sgRequest, body: Buffer.from("payload") }, [SG_PUBLIC], { now: 0 })).toMatchObject({ reason: "no_matching_signature" });
    const badSig = SG_SIGNATURE.replace("NH2j", "NH3j");
    expect(sendgrid.verify(withHeader(sgRequest, "X-Twilio-Email-Event-Webhook-Signature", badSig), [SG_PUBLIC], { now: 0 })).toMatchObject({ valid: false });
    expect(sendgrid.verify(withHeader(sgRequest, "X-Twilio-Email-Event-Webhook-Timestamp", "timestamp"), [SG_PUBLIC], { now: 0 })).toMatchObject({ reason: "no_matching_signature" });
  });

  it("accepts the same key as a PEM", () => {
    const pem = `-----BEGIN PUBLIC KEY-----\n${SG_PUBLIC.slice(0, 64)}\n${SG_PUBLIC.slice(64)}\n-----END PUBLIC KEY-----\n`;
    expect(sendgrid.verify(sgRequest, [pem], { now: 0 }).valid).toBe(true);
  });

  it("signs with a generated key pair and verifies with the dashboard-form public key", () => {
    const pair = generateKeyPair("sendgrid");
    expect(pair.publicKey).toMatch(/^MFkw/);
    const signed = signedRequest(sendgrid, { body: SG_BODY, secret: pair.privateKey, timestamp: 1_800_000_000 });
    expect(sendgrid.verify(signed, [pair.publicKey], { now: 1_800_000_000 }).valid).toBe(true);
    expect(sendgrid.verify({ ...signed, body: flipByte(signed.body) }, [pair.publicKey], { now: 0 })).toMatchObject({ reason: "no_matching_signature" });
  });

  it("reports a missing header and an unusable key", () => {
    expect(sendgrid.verify(withoutHeader(sgRequest, "X-Twilio-Email-Event-Webhook-Timestamp"), [SG_PUBLIC], { now: 0 })).toMatchObject({ reason: "missing_header" });
    const bad = sendgrid.verify(sgRequest, ["not-a-key"], { now: 0 });
    expect(bad).toMatchObject({ valid: false, reason: "malformed_key" });
    expect(bad.valid || bad.hint).toMatch(/MFkw/);
  });
});

// RFC 8032 section 7.1, TEST 1: the empty message. Through Discord's scheme that is an empty timestamp and body.
const RFC_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const RFC_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const RFC_SIGNATURE =
  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

describe("discord (Ed25519)", () => {
  it("signs and verifies RFC 8032's test 1 with a raw hex seed and the 64-hex public key", () => {
    const out = discord.sign({ body: Buffer.alloc(0), secret: RFC_SEED, timestamp: 0, id: "x", method: "POST", headers: [] });
    // Discord signs timestamp + body; with timestamp "0" the message is "0", so check the key pair instead:
    const req = { method: "POST", url: "/i", headers: [["X-Signature-Ed25519", RFC_SIGNATURE], ["X-Signature-Timestamp", ""]] as Array<[string, string]>, body: Buffer.alloc(0) };
    expect(discord.verify(req, [RFC_PUBLIC], { now: 0 })).toEqual({ valid: true, provider: "discord" });
    expect(discord.verify({ ...req, headers: out.headers, body: Buffer.alloc(0) }, [RFC_PUBLIC], { now: 0 }).valid).toBe(true);
    // The 128-hex tweetnacl form (seed + public key) is the same key.
    const again = discord.sign({ body: Buffer.alloc(0), secret: RFC_SEED + RFC_PUBLIC, timestamp: 0, id: "x", method: "POST", headers: [] });
    expect(again.headers).toEqual(out.headers);
  });

  it("round-trips with a generated pair and rejects a changed timestamp or body", () => {
    const pair = generateKeyPair("discord");
    expect(pair.publicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(pair.privateKey).toContain("BEGIN PRIVATE KEY");
    const signed = signedRequest(discord, { body: '{"type":1}', secret: pair.privateKey, timestamp: 1_800_000_000 });
    expect(headerOf(signed, "X-Signature-Ed25519")).toMatch(/^[0-9a-f]{128}$/);
    expect(discord.verify(signed, [pair.publicKey], { now: 1_900_000_000 })).toEqual({ valid: true, provider: "discord", signedAt: 1_800_000_000 });
    expect(discord.verify(withHeader(signed, "X-Signature-Timestamp", "1800000001"), [pair.publicKey], { now: 0 })).toMatchObject({ reason: "no_matching_signature" });
    expect(discord.verify({ ...signed, body: flipByte(signed.body) }, [pair.publicKey], { now: 0 })).toMatchObject({ reason: "no_matching_signature" });
    expect(discord.verify(withHeader(signed, "X-Signature-Ed25519", "zz"), [pair.publicKey], { now: 0 })).toMatchObject({ reason: "malformed_header" });
  });

  it("accepts a rotated key list and refuses a private key where the public one is expected", () => {
    const a = generateKeyPair("discord");
    const b = generateKeyPair("discord");
    const signed = signedRequest(discord, { body: "{}", secret: b.privateKey, timestamp: 1 });
    expect(discord.verify(signed, [a.publicKey, b.publicKey], { now: 1 }).valid).toBe(true);
    const wrong = discord.verify(signed, [b.privateKey], { now: 1 });
    expect(wrong).toMatchObject({ valid: false, reason: "malformed_key" });
    expect(wrong.valid || wrong.hint).toMatch(/public/);
  });
});
