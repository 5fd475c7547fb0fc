import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runProgram } from "../helpers/program.js";
import { fixtureFile, shippedSecret } from "../fixtures/shipped-secrets.js";
import { capturedEvent, storeWith, tempFixture } from "./command-helpers.js";

const STRIPE = shippedSecret("stripe").verify ?? "";
const SIGNED_AT = (JSON.parse(readFileSync(fixtureFile("stripe"), "utf8")) as { signedAt: number }).signedAt;

function stripeHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

describe("hooktape verify --fixture", () => {
  it("prints valid and exits 0 at the signed time (--now); detects the provider when the fixture names none", async () => {
    const result = await runProgram(["verify", "--fixture", fixtureFile("stripe"), "--secret", STRIPE, "--now", String(SIGNED_AT + 10)]);
    expect(result).toMatchObject({ code: 0, stdout: "valid\n", stderr: "" });
    const anonymous = JSON.parse(readFileSync(fixtureFile("stripe"), "utf8")) as Record<string, unknown>;
    const file = tempFixture(JSON.stringify({ ...anonymous, provider: null }));
    const detected = await runProgram(["verify", "--fixture", file, "--secret", STRIPE, "--now", String(SIGNED_AT), "--json"]);
    expect(JSON.parse(detected.stdout)).toEqual({ valid: true, provider: "stripe", reason: null });
  });

  it("a shipped fixture checked now is too old, with a hint on stderr; --tolerance accepts it", async () => {
    const stale = await runProgram(["verify", "--fixture", fixtureFile("stripe"), "--secret", STRIPE]);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe("invalid: signed too long ago (timestamp_too_old)\n");
    expect(stale.stderr).toMatch(/^hint: signed \d+ (s|minutes?|hours?|days?) ago — a replay/); // human units, not 28915487s
    const tolerant = await runProgram(["verify", "--fixture", fixtureFile("stripe"), "--secret", STRIPE, "--tolerance", "3650d"]);
    expect(tolerant).toMatchObject({ code: 0, stdout: "valid\n" });
  });

  it("a changed body or a wrong secret is invalid (exit 1), with the reason in --json", async () => {
    const fixture = JSON.parse(readFileSync(fixtureFile("stripe"), "utf8")) as { request: { body: string } };
    fixture.request.body = fixture.request.body.replace('"amount": 2000', '"amount": 2001');
    const tampered = await runProgram(["verify", "--fixture", tempFixture(JSON.stringify(fixture)), "--secret", STRIPE, "--now", String(SIGNED_AT), "--json"]);
    expect(tampered.code).toBe(1);
    const output = JSON.parse(tampered.stdout) as Record<string, unknown>;
    expect(output).toMatchObject({ valid: false, provider: "stripe", reason: "no_matching_signature" });
    expect(String(output.hint)).toMatch(/re-serialised/);
    const wrong = await runProgram(["verify", "--fixture", fixtureFile("stripe"), "--secret", "whsec_wrong", "--now", String(SIGNED_AT)]);
    expect(wrong).toMatchObject({ code: 1, stdout: "invalid: the signature does not match (no_matching_signature)\n" });
    // Rotation: any of several secrets.
    const rotated = await runProgram(["verify", "--fixture", fixtureFile("stripe"), "--secret", "whsec_wrong", "--secret", STRIPE, "--now", String(SIGNED_AT)]);
    expect(rotated.code).toBe(0);
  });

  it("verifies URL-signing fixtures over their URL, and over --url", async () => {
    const secret = shippedSecret("twilio").verify ?? "";
    const ok = await runProgram(["verify", "--fixture", fixtureFile("twilio"), "--secret", secret]);
    expect(ok).toMatchObject({ code: 0, stdout: "valid\n" });
    const elsewhere = await runProgram(["verify", "--fixture", fixtureFile("twilio"), "--secret", secret, "--url", "https://other.example.com/webhooks/twilio"]);
    expect(elsewhere).toMatchObject({ code: 1, stdout: "invalid: the signature does not match (no_matching_signature)\n" });
  });

  it("exit 2 with one line for a missing secret, an unknown provider or a malformed fixture", async () => {
    const noSecret = await runProgram(["verify", "--fixture", fixtureFile("github")], { env: { HOOKTAPE_SECRET_GITHUB: "" } });
    expect(noSecret).toMatchObject({ code: 2, stdout: "", stderr: "hooktape: no secret for github: pass --secret <secret> or set HOOKTAPE_SECRET_GITHUB\n" });
    const discord = await runProgram(["verify", "--fixture", fixtureFile("discord")], { env: { HOOKTAPE_SECRET_DISCORD: "" } });
    expect(discord.stderr).toBe("hooktape: no secret for discord: pass --secret <public key as the Discord Interactions dashboard shows it> or set HOOKTAPE_SECRET_DISCORD\n");
    const unknown = tempFixture(JSON.stringify({ hooktape: 1, provider: null, request: { method: "POST", url: "/", headers: [["x-nothing", "1"]], body: "{}" } }));
    const undetected = await runProgram(["verify", "--fixture", unknown, "--secret", "x"]);
    expect(undetected).toMatchObject({ code: 2, stderr: "hooktape: Cannot tell the provider from the headers; pass --provider <id> (see `hooktape providers`)\n" });
    const broken = tempFixture('{"hooktape":1,"provider":"stripe","request":{"method":"POST","url":"/","headers":[["a","1"],["b"]],"body":""}}', "broken.json");
    const malformed = await runProgram(["verify", "--fixture", broken, "--secret", "x"]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toBe(`hooktape: ${broken}: request.headers[1] must be a [name, value] pair\n`);
  });

  it("reads a Discord public key as the dashboard shows it, and says which key forms it expects when one is wrong", async () => {
    const { verify } = shippedSecret("discord");
    const ok = await runProgram(["verify", "--fixture", fixtureFile("discord"), "--secret", verify ?? "", "--now", String(SIGNED_AT)]);
    expect(ok).toMatchObject({ code: 0, stdout: "valid\n" });
    const bad = await runProgram(["verify", "--fixture", fixtureFile("discord"), "--secret", "not-a-key", "--now", String(SIGNED_AT)]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^hooktape: Unusable Ed25519 public key: expected a 64-hex-character Ed25519 public key \(as Discord shows it\).*\n$/);
  });
});

describe("hooktape verify --event", () => {
  it("checks a captured event at the time it was received, unless --now says otherwise", async () => {
    const receivedAt = Date.now() - 3 * 86_400_000;
    const timestamp = Math.floor(receivedAt / 1000) - 2;
    const body = '{"id":"evt_old"}';
    const event = capturedEvent({ body: Buffer.from(body), receivedAt, headers: [["Stripe-Signature", stripeHeader("whsec_ev", timestamp, body)]], provider: "stripe" });
    const db = storeWith([event]);
    const atReceipt = await runProgram(["--db", db, "verify", "--event", event.id, "--secret", "whsec_ev"]);
    expect(atReceipt).toMatchObject({ code: 0, stdout: "valid\n" });
    const now = await runProgram(["--db", db, "verify", "--event", event.id, "--secret", "whsec_ev", "--now", String(Math.floor(Date.now() / 1000))]);
    expect(now).toMatchObject({ code: 1, stdout: "invalid: signed too long ago (timestamp_too_old)\n" });
  });

  it("uses the public URL a tunnelled event arrived on for URL-signing schemes", async () => {
    const body = "Body=hi&From=%2B15005550006";
    const url = "https://abc.trycloudflare.com/sms";
    const signature = createHmac("sha1", "tw_token").update(url + "Bodyhi" + "From+15005550006").digest("base64");
    const event = capturedEvent({
      body: Buffer.from(body),
      url: "/sms",
      via: "tunnel",
      publicUrl: "https://abc.trycloudflare.com",
      provider: "twilio",
      headers: [["Content-Type", "application/x-www-form-urlencoded"], ["X-Twilio-Signature", signature]],
    });
    const db = storeWith([event]);
    const result = await runProgram(["--db", db, "verify", "--event", event.id, "--secret", "tw_token"]);
    expect(result).toMatchObject({ code: 0, stdout: "valid\n" });
  });

  it("an unknown event id is exit 2", async () => {
    const db = storeWith([]);
    const result = await runProgram(["--db", db, "verify", "--event", "01JD3XK2AAAAAAAAAAAAAAAAAA", "--secret", "x"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^hooktape: No event 01JD3XK2AAAAAAAAAAAAAAAAAA in .*\n$/);
  });
});
