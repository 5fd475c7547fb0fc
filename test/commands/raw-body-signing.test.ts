// `sign --json` gives the body a body-signing scheme sends, and `verify` takes a raw request (its exact body and its
// headers) — together, how a failing signature is debugged without a fixture file.
import { writeFileSync } from "node:fs";
import path from "node:path";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { HmacValidator } from "../helpers/adyen-hmac-validator.js";
import { runProgram } from "../helpers/program.js";
import { tempDir } from "../helpers/temp-dir.js";
import { fixtureFile, shippedSecret } from "../fixtures/shipped-secrets.js";
import { fixtureBody, loadFixture } from "../../src/fixture-files/index.js";

const stripe = new Stripe("sk_test_unused");
const STRIPE_SECRET = "whsec_raw_body_test_secret";

interface SignJson {
  provider: string;
  headers: Record<string, string>;
  body?: string;
  bodyBase64?: string;
}

function headerFlags(headers: Record<string, string>): string[] {
  return Object.entries(headers).flatMap(([name, value]) => ["--header", `${name}: ${value}`]);
}

describe("sign --json for schemes that sign inside the body", () => {
  it.each(["sns", "adyen", "mailgun"])("%s: prints the signed body, which verifies with the printed headers", async (id) => {
    const secret = shippedSecret(id);
    const input = fixtureBody(await loadFixture(fixtureFile(id))).toString("utf8");
    const signed = await runProgram(["sign", "--provider", id, "--secret", secret.sign, "--body", input, "--json"]);
    expect(signed.code, signed.stderr).toBe(0);
    const document = JSON.parse(signed.stdout) as SignJson;
    expect(document.body).toBeDefined();

    const verified = await runProgram(["verify", "--provider", id, "--secret", secret.verify ?? secret.sign, "--body", document.body as string, ...headerFlags(document.headers)]);
    expect(verified.stdout).toBe("valid\n");
    expect(verified.code).toBe(0);
    if (id === "adyen") {
      // Adyen's own library agrees: every item of the printed body carries a valid hmacSignature.
      const items = (JSON.parse(document.body as string) as { notificationItems: Array<{ NotificationRequestItem: Parameters<HmacValidator["validateHMAC"]>[0] }> }).notificationItems;
      for (const { NotificationRequestItem } of items) expect(new HmacValidator().validateHMAC(NotificationRequestItem, secret.sign)).toBe(true);
    }
  });

  it("a header-signed scheme's --json stays headers only (the body is the caller's, unchanged)", async () => {
    const signed = JSON.parse((await runProgram(["sign", "--provider", "stripe", "--secret", STRIPE_SECRET, "--body", "{}", "--json"])).stdout) as SignJson;
    expect(Object.keys(signed)).toEqual(["provider", "headers"]);
  });
});

describe("verify a raw request: --body, --body-file or stdin, with --header", () => {
  const body = JSON.stringify({ id: "evt_raw_1", object: "event", data: { object: { description: "Café ✓ Zoë" } } }, null, 2) + "\n";
  const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret: STRIPE_SECRET });

  it("says valid for the bytes the SDK signed, from a file, from stdin and from --body", async () => {
    const file = path.join(tempDir(), "body.json");
    writeFileSync(file, body);
    const header = ["--header", `Stripe-Signature: ${signature}`, "--header", "Content-Type: application/json"];
    const fromFile = await runProgram(["verify", "--body-file", file, ...header, "--secret", STRIPE_SECRET]);
    expect(fromFile.stdout).toBe("valid\n");
    expect(fromFile.code).toBe(0);
    const fromStdin = await runProgram(["verify", ...header, "--secret", STRIPE_SECRET, "--json"], { input: body });
    expect(JSON.parse(fromStdin.stdout)).toEqual({ valid: true, provider: "stripe", reason: null });
    expect((await runProgram(["verify", "--body", body, ...header, "--secret", STRIPE_SECRET])).code).toBe(0);
  });

  it("says invalid, with the reason, for the body re-serialised, and exit 1", async () => {
    const compact = JSON.stringify(JSON.parse(body));
    const run = await runProgram(["verify", "--body", compact, "--header", `Stripe-Signature: ${signature}`, "--secret", STRIPE_SECRET]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^invalid: .*\(no_matching_signature\)\n$/);
  });

  it("refuses, with one line and exit 2, a raw body without headers or two things to verify", async () => {
    const noHeaders = await runProgram(["verify", "--body", body, "--secret", STRIPE_SECRET]);
    expect(noHeaders.code).toBe(2);
    expect(noHeaders.stderr.trim().split("\n")).toHaveLength(1);
    const both = await runProgram(["verify", "--fixture", fixtureFile("stripe"), "--header", `Stripe-Signature: ${signature}`, "--secret", STRIPE_SECRET]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/Give one thing to verify/);
  });
});
