// `--fetch-certs` against a loopback double of the providers' certificate hosts (HOOKTAPE_TEST_CERT_ORIGIN): the
// built CLI's real fetcher, allow-list and verifier, with only the network replaced. The double records every
// request, so a refused URL is proven never to be fetched.
import http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CIRCLE_API_KEY_ENV, createCertificateFetcher, EBAY_TOKEN_ENV, TEST_ORIGIN_ENV } from "../../src/certs/fetch-certificate.js";
import { generateCertificateKey } from "../../src/providers/schemes/certificate.js";
import { circle } from "../../src/providers/circle.js";
import { ebay } from "../../src/providers/ebay.js";
import { paypal } from "../../src/providers/paypal.js";
import { sns, snsJson } from "../../src/providers/sns.js";
import { runProgram } from "../helpers/program.js";
import { tempFixture } from "../commands/command-helpers.js";
import { serveOnLoopback, type Served } from "../helpers/target-server.js";
import { rsaTestKeyPair } from "../helpers/test-keys.js";

const SNS_KEY = generateCertificateKey(sns, undefined, rsaTestKeyPair(4));
const PAYPAL_KEY = generateCertificateKey(paypal, undefined, rsaTestKeyPair(2));
const WEBHOOK_ID = "WH-1AB23456CD789012E-3FG45678HI901234J";

interface Seen {
  host: string;
  path: string;
  authorization?: string;
}
const seen: Seen[] = [];
/** What the double answers, by path: a certificate, or a status and body for the failure cases. */
const routes = new Map<string, { status: number; body: string | Buffer }>();
let double: Served;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  double = await serveOnLoopback(
    http.createServer((req, res) => {
      seen.push({ host: req.headers.host ?? "", path: req.url ?? "", ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      const route = routes.get(req.url ?? "") ?? { status: 404, body: "" };
      res.writeHead(route.status).end(route.body);
    }),
  );
  env = { [TEST_ORIGIN_ENV]: `127.0.0.1:${double.port}`, HOOKTAPE_SECRET_SNS: "", HOOKTAPE_SECRET_PAYPAL: "" };
});
afterAll(async () => {
  await double.close();
});
beforeEach(() => {
  seen.length = 0;
  routes.clear();
});

function snsFixture(overrides: Record<string, string> = {}): { file: string; certUrl: string } {
  const body = snsJson({
    Type: "Notification",
    MessageId: "da41e39f-ea4d-435a-b922-c6aae3915ebe",
    TopicArn: "arn:aws:sns:eu-west-1:123456789012:orders",
    Message: '{"order":7,"note":"café"}',
    Timestamp: "2026-11-27T11:00:00.000Z",
  });
  const signed = sns.sign({ body: Buffer.from(body), secret: SNS_KEY.privateKey, timestamp: 0, id: "m", method: "POST", headers: [] });
  const message = { ...(JSON.parse((signed.body as Buffer).toString()) as Record<string, string>), ...overrides };
  const fixture = { hooktape: 1, provider: "sns", request: { method: "POST", url: "/sns", headers: signed.headers, body: snsJson(message) } };
  return { file: tempFixture(JSON.stringify(fixture)), certUrl: message.SigningCertURL as string };
}

describe("verify --fetch-certs", () => {
  it("fetches the SNS certificate the message names, from its host, and verifies with it", async () => {
    const { file, certUrl } = snsFixture();
    const url = new URL(certUrl);
    routes.set(url.pathname, { status: 200, body: SNS_KEY.certificate as string });
    const result = await runProgram(["verify", "--fixture", file, "--fetch-certs"], { env });
    expect(result.stdout).toBe("valid\n");
    expect(result.code).toBe(0);
    expect(seen).toEqual([{ host: "sns.eu-west-1.amazonaws.com", path: url.pathname }]);
    // Without --fetch-certs nothing is fetched, and the message says what to do.
    const offline = await runProgram(["verify", "--fixture", file], { env });
    expect(offline.code).toBe(2);
    expect(offline.stderr).toBe(`hooktape: no key for sns: this delivery was signed with the certificate at ${certUrl}; pass its certificate with --secret, or add --fetch-certs\n`);
    expect(seen).toHaveLength(1);
  });

  it("refuses a certificate URL off the provider's hosts, with and without --fetch-certs, and never fetches it", async () => {
    for (const certUrl of ["https://evil.example.com/SimpleNotificationService-1.pem", "https://sns.eu-west-1.amazonaws.com.evil.example/x.pem", "http://sns.eu-west-1.amazonaws.com/x.pem"]) {
      const { file } = snsFixture({ SigningCertURL: certUrl });
      routes.set(new URL(certUrl).pathname, { status: 200, body: SNS_KEY.certificate as string });
      for (const extra of [["--fetch-certs"], ["--secret", SNS_KEY.certificate as string]]) {
        const result = await runProgram(["--json", "verify", "--fixture", file, ...extra], { env });
        expect(result.code).toBe(1);
        const verdict = JSON.parse(result.stdout) as { valid: boolean; reason: string; hint: string };
        expect(verdict).toMatchObject({ valid: false, provider: "sns", reason: "malformed_header" });
        expect(verdict.hint).toMatch(/^SigningCertURL refused: /);
      }
    }
    expect(seen).toEqual([]);
  });

  it("says why a fetch failed: not found, not a certificate, too large", async () => {
    const { file, certUrl } = snsFixture();
    const path = new URL(certUrl).pathname;
    for (const [route, hint] of [
      [{ status: 404, body: "" }, `${certUrl} answered 404`],
      [{ status: 200, body: "<html>hello</html>" }, `${certUrl} did not return a PEM certificate`],
      [{ status: 200, body: Buffer.alloc(70 * 1024, 0x41) }, `${certUrl} is larger than 65536 bytes: not a certificate`],
    ] as const) {
      routes.set(path, route);
      const result = await runProgram(["--json", "verify", "--fixture", file, "--fetch-certs"], { env });
      expect(result.code).toBe(1);
      expect((JSON.parse(result.stdout) as { hint: string }).hint).toContain(hint);
    }
  });

  it("PayPal: the webhook id from --secret, the certificate from PAYPAL-CERT-URL", async () => {
    const body = Buffer.from('{"id":"WH-58D329510W468432D","event_type":"PAYMENT.CAPTURE.COMPLETED","summary":"€ 7.47 — Zoë"}');
    const signed = paypal.sign({ body, secret: `${WEBHOOK_ID}:${PAYPAL_KEY.privateKey}`, timestamp: 1_795_777_200, id: "69cd13f0-d67a-11e5-baa3-778b53f4ae55", method: "POST", headers: [] });
    const file = tempFixture(JSON.stringify({ hooktape: 1, provider: "paypal", request: { method: "POST", url: "/paypal", headers: signed.headers, body: body.toString() } }));
    const certUrl = new URL(signed.headers.find(([n]) => n === "PAYPAL-CERT-URL")?.[1] ?? "");
    routes.set(certUrl.pathname, { status: 200, body: PAYPAL_KEY.certificate as string });
    const ok = await runProgram(["verify", "--fixture", file, "--fetch-certs", "--secret", WEBHOOK_ID], { env });
    expect(ok.stdout).toBe("valid\n");
    expect(seen).toEqual([{ host: "api.sandbox.paypal.com", path: certUrl.pathname }]);
    const otherWebhook = await runProgram(["verify", "--fixture", file, "--fetch-certs", "--secret", "WH-SOMEONE-ELSE"], { env });
    expect(otherWebhook.code).toBe(1);
    // The webhook id alone, without --fetch-certs: exit 2, saying how to give the certificate.
    const noFetch = await runProgram(["verify", "--fixture", file, "--secret", WEBHOOK_ID], { env });
    expect(noFetch.code).toBe(2);
    expect(noFetch.stderr).toBe('hooktape: the secret holds only the webhook id: add --fetch-certs, or give "<webhook id>:<certificate>"\n');
  });
});

describe("the fetcher", () => {
  const reference = (url: string) => ({ kind: "certificate" as const, value: url, fetchUrl: url });

  it("fetches a URL once per run, and refuses non-loopback test origins and off-host URLs", async () => {
    const url = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-once.pem";
    routes.set("/SimpleNotificationService-once.pem", { status: 200, body: SNS_KEY.certificate as string });
    const fetcher = createCertificateFetcher(env);
    const [a, b] = await Promise.all([fetcher.fetch(sns, reference(url)), fetcher.fetch(sns, reference(url))]);
    expect(a).toEqual({ ok: true, key: SNS_KEY.certificate });
    expect(b).toEqual(a);
    expect(await fetcher.fetch(sns, reference(url))).toEqual(a);
    expect(seen).toHaveLength(1);
    // The test origin can point at loopback only; the allow-list is checked on the real URL first either way.
    expect(await createCertificateFetcher({ [TEST_ORIGIN_ENV]: "10.0.0.1:80" }).fetch(sns, reference(url))).toEqual({
      ok: false,
      reason: `${TEST_ORIGIN_ENV} must be a loopback address and port (127.0.0.1:<port>), not 10.0.0.1:80`,
    });
    expect(await fetcher.fetch(paypal, reference("https://paypal.com.evil.example/cert"))).toEqual({ ok: false, reason: "--fetch-certs refused https://paypal.com.evil.example/cert is not on paypal.com" });
    expect(await fetcher.fetch(circle, reference("https://api.circle.com/v1/other"))).toEqual({
      ok: false,
      reason: "--fetch-certs refused https://api.circle.com/v1/other is not /v2/notifications/publicKey/<key id>",
    });
    expect(seen).toHaveLength(1);
  });

  it("looks Circle's key up by id on api.circle.com, with the API key when one is set", async () => {
    const key = generateCertificateKey(circle);
    const request = circle.sign({ body: Buffer.from('{"notificationType":"webhooks.test"}'), secret: key.privateKey, timestamp: 0, id: "x", method: "POST", headers: [] });
    const delivery = { method: "POST", url: "/", headers: request.headers, body: Buffer.from('{"notificationType":"webhooks.test"}') };
    const ref = circle.keyReferenceOf(delivery);
    expect(ref).toEqual({ kind: "key id", value: key.keyId, fetchUrl: `https://api.circle.com/v2/notifications/publicKey/${key.keyId}` });
    routes.set(`/v2/notifications/publicKey/${key.keyId}`, { status: 200, body: JSON.stringify({ data: { id: key.keyId, algorithm: "ECDSA_SHA_256", publicKey: key.publicKey, createDate: "2026-11-27T11:00:00Z" } }) });
    const fetched = await createCertificateFetcher({ ...env, [CIRCLE_API_KEY_ENV]: "TEST_API_KEY:abc:def" }).fetch(circle, ref as NonNullable<typeof ref>);
    expect(fetched).toEqual({ ok: true, key: key.publicKey });
    expect(seen).toEqual([{ host: "api.circle.com", path: `/v2/notifications/publicKey/${key.keyId}`, authorization: "Bearer TEST_API_KEY:abc:def" }]);
    expect(circle.verify(delivery, [key.publicKey], { now: 0 }).valid).toBe(true);
    // A key id that is not a UUID's characters never becomes a URL.
    expect(circle.keyReferenceOf({ ...delivery, headers: [...request.headers.filter(([n]) => n !== "X-Circle-Key-Id"), ["X-Circle-Key-Id", "../../v1/x"]] })).toMatchObject({ fetchUrl: null });
  });

  it("looks eBay's key up with an application token, and says so when there is none", async () => {
    const key = generateCertificateKey(ebay);
    const body = Buffer.from('{\n  "metadata": {"topic": "MARKETPLACE_ACCOUNT_DELETION"},\n  "notification": {"data": {"username": "zoë"}}\n}');
    const signed = ebay.sign({ body, secret: key.privateKey, timestamp: 0, id: "x", method: "POST", headers: [] });
    const file = tempFixture(JSON.stringify({ hooktape: 1, provider: "ebay", request: { method: "POST", url: "/ebay", headers: signed.headers, body: body.toString() } }));
    routes.set(`/commerce/notification/v1/public_key/${key.keyId}`, {
      status: 200,
      body: JSON.stringify({ key: `-----BEGIN PUBLIC KEY-----${key.publicKey}-----END PUBLIC KEY-----`, algorithm: "ECDSA", digest: "SHA1" }),
    });
    const noToken = await runProgram(["--json", "verify", "--fixture", file, "--fetch-certs"], { env: { ...env, HOOKTAPE_SECRET_EBAY: "", [EBAY_TOKEN_ENV]: "" } });
    expect(noToken.code).toBe(1);
    expect((JSON.parse(noToken.stdout) as { hint: string }).hint).toContain(`eBay's key API needs an application token: set ${EBAY_TOKEN_ENV}`);
    expect(seen).toEqual([]);
    const ok = await runProgram(["verify", "--fixture", file, "--fetch-certs"], { env: { ...env, HOOKTAPE_SECRET_EBAY: "", [EBAY_TOKEN_ENV]: "v^1.1#i^1#test-token" } });
    expect(ok.stdout).toBe("valid\n");
    expect(seen).toEqual([{ host: "api.ebay.com", path: `/commerce/notification/v1/public_key/${key.keyId}`, authorization: "Bearer v^1.1#i^1#test-token" }]);
    // The token never reaches the output.
    expect(ok.stdout + ok.stderr + noToken.stdout + noToken.stderr).not.toContain("test-token");
  });
});

describe("the key APIs' credentials", () => {
  it("are kept from child processes (--on-url commands, cloudflared), like HOOKTAPE_SECRET_*", async () => {
    const { withoutSecrets } = await import("../../src/core/child-env.js");
    const clean = withoutSecrets({ PATH: "/usr/bin", [CIRCLE_API_KEY_ENV]: "TEST_API_KEY:a:b", [EBAY_TOKEN_ENV]: "v^1.1#token", HOOKTAPE_SECRET_SNS: "x" });
    expect(clean).toEqual({ PATH: "/usr/bin" });
  });
});
