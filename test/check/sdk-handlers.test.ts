// `hooktape check` (the built CLI, with --probe) against handlers written with the providers' own SDKs for the three
// providers whose correct handlers it used to fail: Amazon SNS (sns-validator, dedup by MessageId — inside SNS's
// signed string), Vonage (@vonage/jwt, dedup by message_uuid) and Postmark (Basic credentials, dedup by MessageID).
// Each must pass every check. sns-validator fetches the certificate at SigningCertURL: its https.get is routed to a
// loopback server holding the certificate of the test key, the only stand-in (the real one is on AWS).
import http from "node:http";
import https from "node:https";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { generateCertificateKey } from "../../src/providers/schemes/certificate.js";
import { sns } from "../../src/providers/sns.js";
import { startCorrectHandler, type HandledProvider } from "../handlers/correct-handler.js";
import { serveOnLoopback, type Served } from "../helpers/target-server.js";
import { runProgram } from "../helpers/program.js";

interface CheckJson {
  passed: boolean;
  results: Array<{ test: string; outcome: string; reason: string | null }>;
}

// A key of this file's own, not the shared pool's: the handler's SDK (sns-validator) keeps the certificates it fetched,
// by URL (which names the key), for the life of the process, and this file checks that it fetches.
const snsKey = generateCertificateKey(sns);
let certificates: Served;
const certificateRequests: string[] = [];

beforeAll(async () => {
  certificates = await serveOnLoopback(
    http.createServer((req, res) => {
      certificateRequests.push(`${req.headers.host ?? ""}${req.url ?? ""}`);
      res.writeHead(200, { "content-type": "application/x-pem-file" }).end(snsKey.certificate ?? "");
    }),
  );
  vi.spyOn(https, "get").mockImplementation(((url: string, callback: (res: http.IncomingMessage) => void) => {
    const target = new URL(url);
    return http.get({ host: "127.0.0.1", port: certificates.port, path: target.pathname, headers: { host: target.host } }, callback);
  }) as unknown as typeof https.get);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await certificates.close();
});

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

describe("check passes correct handlers written with the providers' SDKs", () => {
  it.each<[HandledProvider, string, string[]]>([
    // SNS repeats a message's bytes on a retry: no re-signed attempt to send. Vonage signs a new token per request.
    ["sns", snsKey.privateKey, ["signature-dedup", "stale-timestamp", "rotation", "forged-later-item"]],
    ["vonage", "hooktape-check-vonage-signature-secret", ["stale-timestamp", "rotation", "forged-later-item"]],
    // Basic credentials cover no body and no time.
    ["postmark", "hooktape:check-postmark-password", ["signature-dedup", "tampered-body", "stale-timestamp", "rotation", "forged-later-item"]],
  ])("%s: every check passes or says why it does not apply, exit 0", async (provider, secret, skipped) => {
    const handler = await startCorrectHandler(provider, secret);
    cleanups.push(() => handler.close());
    // The handler does its work before it answers: --settle 0ms reads the probe once after each answer.
    const run = await runProgram(["check", "--to", handler.url, "--provider", provider, "--probe", `${handler.url}/state`, "--settle", "0ms", "--json"], {
      env: { [`HOOKTAPE_SECRET_${provider.toUpperCase()}`]: secret },
    });
    const report = JSON.parse(run.stdout) as CheckJson;
    expect(report.results.filter((r) => r.outcome === "fail" || r.outcome === "inconclusive")).toEqual([]);
    expect(report.results.filter((r) => r.outcome === "skip").map((r) => r.test)).toEqual(skipped);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    // The valid delivery, the burst's event, the retry's (and no rotation: none of them signs twice): three events,
    // each processed once, every state check judged by the probe.
    expect(new Set(handler.processed).size).toBe(3);
    expect(handler.processed).toHaveLength(3);
    expect(report.results.filter((r) => ["duplicate-state", "concurrent-state", "retry-state"].includes(r.test)).map((r) => r.outcome)).toEqual(["pass", "pass", "pass"]);
  });

  it("sns: the handler's SDK fetched each certificate from the SNS host the delivery named", () => {
    expect(certificateRequests.length).toBeGreaterThan(0);
    expect(certificateRequests.every((request) => /^sns\.eu-west-1\.amazonaws\.com\/SimpleNotificationService-\w+\.pem$/.test(request))).toBe(true);
  });
});
