import { describe, expect, it } from "vitest";
import { runProgram } from "../helpers/program.js";
import { tempFixture } from "./command-helpers.js";

describe("hooktape providers", () => {
  it("--json prints the catalogue in exactly the documented shape, with the required providers", async () => {
    const result = await runProgram(["providers", "--json"]);
    expect(result.code).toBe(0);
    const list = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(list.length).toBeGreaterThanOrEqual(30);
    for (const entry of list) expect(Object.keys(entry)).toEqual(["id", "name", "headers", "kind", "toleranceSec", "secretForm"]);
    const ids = list.map((entry) => entry.id);
    for (const id of ["stripe", "github", "standard-webhooks", "svix", "shopify", "slack", "twilio", "square", "paddle", "linear", "discord", "sendgrid", "hmac"]) {
      expect(ids).toContain(id);
    }
    expect(list.find((entry) => entry.id === "stripe")).toMatchObject({ id: "stripe", name: "Stripe", headers: ["stripe-signature"], kind: "hmac", toleranceSec: 300 });
    expect(list.find((entry) => entry.id === "discord")).toMatchObject({ kind: "ed25519" });
    expect(list.find((entry) => entry.id === "sendgrid")).toMatchObject({ kind: "ecdsa" });
    expect(list.find((entry) => entry.id === "linear")).toMatchObject({ toleranceSec: 60 });
  });

  it("--json says what --secret takes for every provider, with an example of that form", async () => {
    const list = JSON.parse((await runProgram(["providers", "--json"])).stdout) as Array<{ id: string; secretForm: { form: string; sign: string; verify: string; example: string } }>;
    for (const entry of list) {
      expect(entry.secretForm.sign.length, entry.id).toBeGreaterThan(5);
      expect(entry.secretForm.verify.length, entry.id).toBeGreaterThan(5);
      expect(entry.secretForm.example.length, entry.id).toBeGreaterThan(5);
    }
    const form = (id: string) => list.find((entry) => entry.id === id)?.secretForm;
    expect(form("postmark")).toMatchObject({ form: "basic-credentials", example: expect.stringMatching(/^[^:\s]+:[^:\s]+$/) });
    expect(form("gitlab")).toMatchObject({ form: "token" });
    expect(form("stripe")).toMatchObject({ form: "shared-secret", example: expect.stringMatching(/^whsec_/) });
    expect(form("discord")).toMatchObject({ form: "ed25519-key-pair", example: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(form("sendgrid")).toMatchObject({ form: "ecdsa-key-pair" });
    expect(form("wix")).toMatchObject({ form: "rsa-key-pair", sign: expect.stringContaining("hooktape keygen --provider wix") });
    expect(form("paypal")).toMatchObject({ form: "certificate", example: expect.stringMatching(/^<webhook id>:/) });

    // The example is a value `--secret` really takes: a Basic-auth example signs a request the same example verifies.
    const example = form("postmark")?.example as string;
    const signed = await runProgram(["sign", "--provider", "postmark", "--secret", example, "--body", "{}", "--json"]);
    expect(signed.code, signed.stderr).toBe(0);
    const headers = (JSON.parse(signed.stdout) as { headers: Record<string, string> }).headers;
    expect(headers.Authorization).toBe(`Basic ${Buffer.from(example).toString("base64")}`);
  });

  it("prints a table for people, one provider per line", async () => {
    const result = await runProgram(["providers"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+KIND\s+TOLERANCE\s+HEADERS$/);
    expect(lines.find((line) => line.startsWith("paddle "))).toMatch(/^paddle\s+Paddle.*\s+hmac\s+5s\s+paddle-signature$/);
  });
});

describe("hooktape keygen", () => {
  it.each([
    ["discord", /^[0-9a-f]{64}$/],
    ["sendgrid", /^MFkw[A-Za-z0-9+/]+=*$/],
    ["wix", /^MIIBIjAN[A-Za-z0-9+/]+=*$/],
  ])("prints a %s test pair whose private key signs what the public key verifies", async (provider, publicForm) => {
    const keygen = await runProgram(["keygen", "--provider", provider, "--json"]);
    expect(keygen.code).toBe(0);
    const pair = JSON.parse(keygen.stdout) as { privateKey: string; publicKey: string };
    expect(Object.keys(pair)).toEqual(["privateKey", "publicKey"]);
    expect(pair.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(pair.publicKey).toMatch(publicForm);

    const signed = await runProgram(["sign", "--provider", provider, "--secret", pair.privateKey, "--body", '{"type":1}', "--format", "fixture"]);
    expect(signed.code).toBe(0);
    const file = tempFixture(signed.stdout);
    const verified = await runProgram(["verify", "--fixture", file, "--secret", pair.publicKey]);
    expect(verified.stdout).toBe("valid\n");
    expect(verified.code).toBe(0);
    const other = JSON.parse((await runProgram(["keygen", "--provider", provider, "--json"])).stdout) as { publicKey: string };
    const wrong = await runProgram(["verify", "--fixture", file, "--secret", other.publicKey]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/^invalid: /);
  });

  it.each([
    ["paypal", "WH-1AB23456CD789012E:"],
    ["sns", ""],
    ["circle", ""],
    ["ebay", ""],
  ])("prints a %s test key (and certificate) that signs what its certificate or public key verifies", async (provider, webhookId) => {
    const keygen = await runProgram(["keygen", "--provider", provider, "--json"]);
    expect(keygen.code).toBe(0);
    const key = JSON.parse(keygen.stdout) as { privateKey: string; publicKey: string; certificate: string | null; keyId: string };
    expect(Object.keys(key)).toEqual(["privateKey", "publicKey", "certificate", "keyId"]);
    expect(key.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(key.keyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    const rsa = provider === "paypal" || provider === "sns";
    if (rsa) expect(key.certificate).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    else expect(key.certificate).toBeNull();
    const body =
      provider === "sns"
        ? JSON.stringify({ Type: "Notification", MessageId: "m-1", TopicArn: "arn:aws:sns:us-east-1:123456789012:t", Message: "héllo", Timestamp: "2026-11-27T11:00:00.000Z" }, null, 2)
        : '{"type":"zoë"}';
    const signed = await runProgram(["sign", "--provider", provider, "--secret", webhookId + key.privateKey, "--body", body, "--format", "fixture"]);
    expect(signed.stderr).toBe("");
    expect(signed.code).toBe(0);
    const file = tempFixture(signed.stdout);
    const shown = webhookId + (key.certificate ?? key.publicKey);
    const verified = await runProgram(["verify", "--fixture", file, "--secret", shown]);
    expect(verified.stdout).toBe("valid\n");
    expect(verified.code).toBe(0);
    // Without a key: exit 2, naming the certificate or key id the delivery names and --fetch-certs.
    const none = await runProgram(["verify", "--fixture", file], { env: { [`HOOKTAPE_SECRET_${provider.toUpperCase()}`]: "" } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(rsa ? /signed with the certificate at https:\/\/.*--fetch-certs/ : new RegExp(`signed with key id ${key.keyId}`));
    const other = JSON.parse((await runProgram(["keygen", "--provider", provider, "--json"])).stdout) as { publicKey: string; certificate: string | null };
    const wrong = await runProgram(["verify", "--fixture", file, "--secret", webhookId + (other.certificate ?? other.publicKey)]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/^invalid: /);
  });

  it("prints both keys with labels for people", async () => {
    const result = await runProgram(["keygen", "--provider", "discord"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Private key.*\n-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n\nPublic key.*\n[0-9a-f]{64}\n$/);
  });

  it.each([
    [["keygen", "--provider", "stripe"], "hooktape: stripe signs with a shared secret (hmac), not a key pair; keygen is for discord, sendgrid, telnyx, wix, paypal, sns, circle, ebay\n"],
    [["keygen", "--provider", "nope"], 'hooktape: Unknown --provider "nope"; keygen is for discord, sendgrid, telnyx, wix, paypal, sns, circle, ebay\n'],
  ])("refuses %j with one line and exit 2", async (args, message) => {
    const result = await runProgram(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(message);
    expect(result.stdout).toBe("");
  });
});
