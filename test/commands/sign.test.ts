import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { validateRequestWithBody as twilioValidateRequestWithBody } from "twilio/lib/webhooks/webhooks.js";
import { afterEach, describe, expect, it } from "vitest";
import { runProgram } from "../helpers/program.js";
import { startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { capturedEvent, storeWith } from "./command-helpers.js";

const stripe = new Stripe("sk_test_unused");
const STRIPE_SECRET = "whsec_e2e_test_only";
const BODY = '{"id":"evt_e2e","object":"event","amount":500}';

const targets: TargetServer[] = [];
afterEach(async () => {
  for (const target of targets.splice(0)) await target.close();
});

function headerLines(stdout: string): Record<string, string> {
  return Object.fromEntries(stdout.trimEnd().split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]));
}

describe("hooktape sign", () => {
  it("prints Name: value lines that stripe-node accepts, for a body from --body", async () => {
    const result = await runProgram(["sign", "--provider", "stripe", "--secret", STRIPE_SECRET, "--body", BODY]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const headers = headerLines(result.stdout);
    expect(Object.keys(headers)).toEqual(["Stripe-Signature", "User-Agent"]);
    expect(stripe.webhooks.constructEvent(BODY, headers["Stripe-Signature"] ?? "", STRIPE_SECRET).id).toBe("evt_e2e");
  });

  it("takes the secret from HOOKTAPE_SECRET_<ID>, the body from stdin, and honours --timestamp and --id", async () => {
    const secret = "whsec_" + Buffer.from("e2e-standard-webhooks-test-only").toString("base64");
    const result = await runProgram(["sign", "--provider", "standard-webhooks", "--timestamp", "1767225600", "--id", "msg_e2e_1", "--json"], {
      env: { HOOKTAPE_SECRET_STANDARD_WEBHOOKS: secret },
      input: BODY,
    });
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { provider: string; headers: Record<string, string> };
    expect(Object.keys(output)).toEqual(["provider", "headers"]);
    expect(output.provider).toBe("standard-webhooks");
    expect(output.headers["webhook-id"]).toBe("msg_e2e_1");
    expect(output.headers["webhook-timestamp"]).toBe("1767225600");
    // The official library checks the time too: it accepts the signature at the signed time only.
    const wh = new Webhook(secret);
    expect(() => wh.verify(BODY, output.headers)).toThrow(/timestamp/i);
    const signature = output.headers["webhook-signature"] ?? "";
    expect(signature).toBe(`v1,${wh.sign("msg_e2e_1", new Date(1767225600 * 1000), BODY).split(",")[1]}`);
  });

  it("defaults --id to a fresh msg_ id for schemes that sign one", async () => {
    const secret = "whsec_" + Buffer.from("e2e-svix").toString("base64");
    const [a, b] = await Promise.all([1, 2].map(() => runProgram(["sign", "--provider", "svix", "--secret", secret, "--body", "{}", "--json"])));
    const idOf = (stdout: string) => (JSON.parse(stdout) as { headers: Record<string, string> }).headers["svix-id"];
    expect(idOf(a?.stdout ?? "")).toMatch(/^msg_[0-9A-Za-z]{27}$/);
    expect(idOf(a?.stdout ?? "")).not.toBe(idOf(b?.stdout ?? ""));
  });

  it("reads --body-file bytes as they are and --header overrides the scheme's own headers", async () => {
    const file = path.join(tempDir(), "order.json");
    writeFileSync(file, BODY + "\n");
    const result = await runProgram([
      "sign", "--provider", "shopify", "--secret", "shpss_e2e", "--body-file", file, "--header", "X-Shopify-Topic: orders/paid", "--header", "X-Extra: 1",
    ]);
    expect(result.code).toBe(0);
    const headers = headerLines(result.stdout);
    expect(headers["X-Shopify-Topic"]).toBe("orders/paid");
    expect(headers["X-Extra"]).toBe("1");
    // Shopify: base64 HMAC-SHA256 of the exact bytes, trailing newline included.
    const expected = (await import("node:crypto")).createHmac("sha256", "shpss_e2e").update(BODY + "\n").digest("base64");
    expect(headers["X-Shopify-Hmac-Sha256"]).toBe(expected);
  });

  it("Twilio JSON: --json adds the URL with bodySHA256, and twilio-node validates it", async () => {
    const result = await runProgram(["sign", "--provider", "twilio", "--secret", "e2e_auth_token", "--body", BODY, "--url", "https://example.com/sms", "--json"]);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { headers: Record<string, string>; url: string };
    const hash = createHash("sha256").update(BODY).digest("hex");
    expect(output.url).toBe(`https://example.com/sms?bodySHA256=${hash}`);
    expect(twilioValidateRequestWithBody("e2e_auth_token", output.headers["X-Twilio-Signature"] ?? "", output.url, BODY)).toBe(true);
  });

  it("--format fixture --out writes a fixture that verify accepts at its signed time", async () => {
    const out = path.join(tempDir(), "stripe.json");
    const result = await runProgram([
      "sign", "--provider", "stripe", "--secret", STRIPE_SECRET, "--body", BODY, "--timestamp", "1767225600", "--path", "/webhooks/stripe", "--format", "fixture", "--out", out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    const fixture = JSON.parse(readFileSync(out, "utf8")) as { request: { url: string; headers: string[][]; body: string }; signedAt: number };
    expect(fixture).toMatchObject({ hooktape: 1, provider: "stripe", signedAt: 1767225600, request: { method: "POST", url: "/webhooks/stripe", body: BODY } });
    expect(readFileSync(out, "utf8")).not.toContain(STRIPE_SECRET);
    const verified = await runProgram(["verify", "--fixture", out, "--secret", STRIPE_SECRET, "--now", "1767225601"]);
    expect(verified.stdout).toBe("valid\n");
    expect(verified.code).toBe(0);
  });

  it("signs a captured event's body and keeps its headers, redacting credentials in a fixture", async () => {
    const body = Buffer.from('{"action":"opened"}');
    const event = capturedEvent({ body, url: "/gh", headers: [["X-GitHub-Event", "issues"], ["Authorization", "Bearer live"]] });
    const db = storeWith([event]);
    const result = await runProgram(["--db", db, "sign", "--provider", "github", "--secret", "gh-e2e", "--event", event.id.slice(0, 12), "--format", "fixture"]);
    expect(result.code).toBe(0);
    const fixture = JSON.parse(result.stdout) as { request: { url: string; headers: Array<[string, string]>; body: string } };
    expect(fixture.request.url).toBe("/gh");
    expect(fixture.request.body).toBe('{"action":"opened"}');
    const headers = Object.fromEntries(fixture.request.headers);
    expect(headers["X-GitHub-Event"]).toBe("issues");
    expect(headers.Authorization).toBe("[redacted]");
    const { verify } = await import("@octokit/webhooks-methods");
    expect(await verify("gh-e2e", fixture.request.body, headers["X-Hub-Signature-256"] ?? "")).toBe(true);
  });

  it.skipIf(!existsSync("/usr/bin/curl"))("--format curl prints a command that delivers the exact bytes with valid headers", async () => {
    const target = await startTargetServer();
    targets.push(target);
    const body = `{"note":"it's \\"quoted\\" $HOME \`x\`"}`;
    const result = await runProgram(["sign", "--provider", "stripe", "--secret", STRIPE_SECRET, "--body", body, "--url", `${target.url}/hook`, "--format", "curl"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^curl -sS --globoff -X POST '/);
    // Async: the target server runs in this process and must keep answering while curl runs.
    await promisify(execFile)("sh", ["-c", result.stdout], { timeout: 10_000 });
    await target.waitFor(1);
    const received = target.received[0];
    expect(received?.url).toBe("/hook");
    expect(received?.body.toString()).toBe(body);
    const signature = received?.headers.find(([name]) => name === "Stripe-Signature")?.[1] ?? "";
    expect(stripe.webhooks.constructEvent(received?.body ?? "", signature, STRIPE_SECRET)).toEqual(JSON.parse(body));
  });

  it("generic hmac: the --hmac-* settings are kept in the fixture's scheme, so verify needs only the secret", async () => {
    const out = path.join(tempDir(), "custom.json");
    const args = ["--hmac-header", "X-Acme-Sig", "--hmac-algorithm", "sha1", "--hmac-encoding", "base64", "--hmac-prefix", ""];
    const result = await runProgram(["sign", "--provider", "hmac", "--secret", "acme-test", "--body", BODY, ...args, "--format", "fixture", "--out", out]);
    expect(result.code).toBe(0);
    const fixture = JSON.parse(readFileSync(out, "utf8")) as { scheme: unknown; request: { headers: Array<[string, string]> } };
    expect(fixture.scheme).toEqual({ header: "X-Acme-Sig", algorithm: "sha1", encoding: "base64", prefix: "" });
    const expected = (await import("node:crypto")).createHmac("sha1", "acme-test").update(BODY).digest("base64");
    expect(Object.fromEntries(fixture.request.headers)["X-Acme-Sig"]).toBe(expected);
    expect(await runProgram(["verify", "--fixture", out, "--secret", "acme-test"])).toMatchObject({ code: 0, stdout: "valid\n" });
    expect(await runProgram(["verify", "--fixture", out, "--secret", "other"])).toMatchObject({ code: 1, stdout: "invalid: the signature does not match (no_matching_signature)\n" });
  });

  it("names the flag and the env var when the secret is missing (exit 2)", async () => {
    const env = { HOOKTAPE_SECRET_STRIPE: "" };
    const stripeResult = await runProgram(["sign", "--provider", "stripe", "--body", "{}"], { env });
    expect(stripeResult.code).toBe(2);
    expect(stripeResult.stderr).toBe("hooktape: no secret for stripe: pass --secret whsec_... or set HOOKTAPE_SECRET_STRIPE\n");
    const sw = await runProgram(["sign", "--provider", "standard-webhooks", "--body", "{}"], { env: { HOOKTAPE_SECRET_STANDARD_WEBHOOKS: "" } });
    expect(sw.stderr).toBe("hooktape: no secret for standard-webhooks: pass --secret whsec_... or set HOOKTAPE_SECRET_STANDARD_WEBHOOKS\n");
    // A secret meant for another provider does not count.
    const other = await runProgram(["sign", "--provider", "stripe", "--secret", "github=abc", "--body", "{}"], { env });
    expect(other.code).toBe(2);
  });
});
