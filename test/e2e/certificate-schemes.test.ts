// The certificate schemes end to end with the built CLI: `keygen` makes the key (and certificate), `sign` signs a
// delivery, `listen` records a valid verdict and forwards it, `replay --resign` re-signs it for a handler that
// verifies with the provider's own SDK (sns-validator; eBay's event-notification-nodejs-sdk). The SDKs' key
// lookups are the only stand-ins: sns-validator's https.get is routed to a loopback server holding the certificate
// keygen printed, and eBay's key-by-id API answers from the keys keygen printed. listen and the first replay are
// spawned (one listen, holding both providers' keys, serves the two keygen-to-SDK tests); keygen, sign and the other
// replays run the same program in process.
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { createRequire } from "node:module";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TEST_ORIGIN_ENV } from "../../src/certs/fetch-certificate.js";
import { runCli, startListen, type ListenProcess } from "../helpers/cli.js";
import { runProgram } from "../helpers/program.js";
import { sharedListen } from "../helpers/listen-session.js";
import { tempDir } from "../helpers/temp-dir.js";
import { send, serveOnLoopback, type Served } from "../helpers/target-server.js";

const require = createRequire(import.meta.url);
type SnsCallback = (error: Error | null) => void;
const MessageValidator = require("sns-validator") as new () => { validate(message: string, cb: SnsCallback): void };
const ebayClient = require("event-notification-nodejs-sdk/lib/client.js") as { getPublicKey: (kid: string, config: unknown) => Promise<unknown> };
const ebayValidator = require("event-notification-nodejs-sdk/lib/validator.js") as {
  validateSignature(message: unknown, signature: string, config: unknown): Promise<boolean>;
};

interface Key {
  privateKey: string;
  publicKey: string;
  certificate: string | null;
  keyId: string;
}

/** Certificates by path (what sns.<region>.amazonaws.com would serve) and eBay keys by id: filled from keygen's output. */
const certificates = new Map<string, string>();
const ebayKeys = new Map<string, string>();
const certRequests: string[] = [];
let certHost: Served;
let handler: Served;
const verdicts: Array<{ provider: string; status: number }> = [];

beforeAll(async () => {
  certHost = await serveOnLoopback(
    http.createServer((req, res) => {
      // hooktape's own fetcher says who it is; the handler's SDK fetches the same certificates.
      if (String(req.headers["user-agent"]).startsWith("hooktape")) certRequests.push(`${req.headers.host ?? ""}${req.url ?? ""}`);
      const pem = certificates.get(req.url ?? "");
      res.writeHead(pem === undefined ? 404 : 200).end(pem ?? "");
    }),
  );
  vi.spyOn(https, "get").mockImplementation(((url: string, callback: (res: http.IncomingMessage) => void) => {
    const target = new URL(url);
    return http.get({ host: "127.0.0.1", port: certHost.port, path: target.pathname, headers: { host: target.host } }, callback);
  }) as unknown as typeof https.get);
  const realLookup = ebayClient.getPublicKey;
  ebayClient.getPublicKey = async (kid) => {
    const key = ebayKeys.get(kid);
    if (key === undefined) throw new Error(`Public key retrieval failed with 404 for ${kid}`);
    return { key: `-----BEGIN PUBLIC KEY-----${key}-----END PUBLIC KEY-----`, algorithm: "ECDSA", digest: "SHA1" };
  };
  cleanups.push(() => {
    ebayClient.getPublicKey = realLookup;
  });

  // A handler as its provider's docs show it: SNS verifies the raw text with sns-validator, eBay the parsed JSON
  // body with its SDK's validator. 200 when the SDK accepts, 403 when it does not.
  handler = await serveOnLoopback(
    http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const answer = (provider: string, ok: boolean) => {
          verdicts.push({ provider, status: ok ? 200 : 403 });
          res.writeHead(ok ? 200 : 403).end(ok ? "ok" : "forbidden");
        };
        if (req.url === "/sns") {
          new MessageValidator().validate(body, (error) => answer("sns", error === null));
        } else if (req.url === "/ebay") {
          let parsed: unknown;
          try {
            parsed = JSON.parse(body);
          } catch {
            answer("ebay", false);
            return;
          }
          ebayValidator.validateSignature(parsed, String(req.headers["x-ebay-signature"] ?? ""), {}).then(
            (ok) => answer("ebay", ok),
            () => answer("ebay", false),
          );
        } else {
          res.writeHead(404).end();
        }
      });
    }),
  );
});

let cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  vi.restoreAllMocks();
  await handler.close();
  await certHost.close();
});
let perTest: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of perTest.reverse()) await cleanup();
  perTest = [];
});

async function keygen(provider: string): Promise<Key> {
  const result = await runProgram(["keygen", "--provider", provider, "--json"]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Key;
}

interface Fixture {
  request: { headers: Array<[string, string]>; body: string };
}

async function signFixture(provider: string, secret: string, body: string): Promise<Fixture> {
  const signed = await runProgram(["sign", "--provider", provider, "--secret", secret, "--body", body, "--format", "fixture"]);
  expect(signed.stderr).toBe("");
  expect(signed.code).toBe(0);
  return JSON.parse(signed.stdout) as Fixture;
}

// The providers' keys, made once before the tests: the listen the keygen-to-SDK tests share verifies with what each
// provider's side shows of them (the certificate for SNS, the public key for eBay).
const keys = new Map<string, Key>();
beforeAll(async () => {
  for (const provider of ["sns", "ebay"]) keys.set(provider, await keygen(provider));
});
const keyed = sharedListen({
  args: ({ db }) => [
    handler.url,
    "--no-tunnel",
    "--db",
    db,
    ...["sns", "ebay"].flatMap((provider) => ["--secret", `${provider}=${keys.get(provider)?.certificate ?? keys.get(provider)?.publicKey}`]),
  ],
});

async function listenTo(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ listen: ListenProcess; db: string }> {
  const db = path.join(tempDir(), "hooktape.db");
  const listen = await startListen([`${handler.url}`, "--no-tunnel", "--db", db, ...args], env);
  perTest.push(() => listen.stop("SIGKILL"));
  return { listen, db };
}

const SNS_BODY = JSON.stringify(
  {
    Type: "Notification",
    MessageId: "da41e39f-ea4d-435a-b922-c6aae3915ebe",
    TopicArn: "arn:aws:sns:eu-west-1:123456789012:orders",
    Subject: "Commande reçue — Zoë",
    Message: '{"order":7,"note":"café crème"}',
    Timestamp: "2026-11-27T11:00:00.000Z",
    UnsubscribeURL: "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:eu-west-1:123456789012:orders:1",
  },
  null,
  2,
);
const EBAY_BODY = JSON.stringify(
  {
    metadata: { topic: "MARKETPLACE_ACCOUNT_DELETION", schemaVersion: "1.0", deprecated: false },
    notification: { notificationId: "49feeaeb_33f7e043", eventDate: "2026-11-27T11:00:00.000Z", publishDate: "2026-11-27T11:00:00.210Z", publishAttemptCount: 1, data: { username: "zoë_test", userId: "ma8vp1jySJC" } },
  },
  null,
  2,
);

describe.each([
  ["sns", SNS_BODY],
  ["ebay", EBAY_BODY],
] as const)("%s: keygen -> sign -> listen -> replay --resign -> the SDK", (provider, body) => {
  it("records a valid verdict, forwards what the SDK accepts, and re-signs so that it accepts again, and refuses one re-signed by another key", async () => {
    const key = keys.get(provider) as Key;
    if (provider === "sns") expect(key.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
    else ebayKeys.set(key.keyId, key.publicKey);
    const fixture = await signFixture(provider, key.privateKey, body);
    if (provider === "sns") {
      const certUrl = new URL((JSON.parse(fixture.request.body) as { SigningCertURL: string }).SigningCertURL);
      certificates.set(certUrl.pathname, key.certificate as string);
    }

    // listen verifies with what the provider's side shows: the certificate (SNS) or the public key (eBay).
    const db = keyed.db;
    const sent = await send(`${keyed.proc.ready.url}/${provider}`, { headers: fixture.request.headers, body: fixture.request.body });
    expect(sent.status).toBe(200);
    const record = (await keyed.eventAt(`/${provider}`)) as { id: string; provider: string; verification: { status: string } };
    expect(record).toMatchObject({ provider, verification: { status: "valid" } });
    expect(verdicts.at(-1)).toEqual({ provider, status: 200 });

    // The private key is never stored: the database files (the write-ahead log too: listen is still running) hold
    // neither it nor any part of its base64.
    const { existsSync, readFileSync } = await import("node:fs");
    for (const file of [db, `${db}-wal`].filter((name) => existsSync(name))) {
      expect(readFileSync(file).toString("latin1")).not.toContain(key.privateKey.split("\n")[2] as string);
    }

    const resigned = await runCli(["replay", record.id, "--resign", "--secret", `${provider}=${key.privateKey}`, "--db", db]);
    expect(resigned.stderr + resigned.stdout, resigned.stderr + resigned.stdout).not.toMatch(/error/i);
    expect(resigned.code).toBe(0);
    expect(verdicts.at(-1)).toEqual({ provider, status: 200 });

    // Re-signed by someone else's key (its certificate or key id unknown to the SDK's lookup): the SDK refuses.
    const stranger = await keygen(provider);
    const forged = await runProgram(["replay", record.id, "--resign", "--secret", `${provider}=${stranger.privateKey}`, "--db", db, "--expect", "403"]);
    expect(forged.code).toBe(0);
    expect(verdicts.at(-1)).toEqual({ provider, status: 403 });

    // The README's forgeries, without re-signing: a changed signature and a changed signed value are refused (SNS
    // signs fields of its body: a change to its last string, UnsubscribeURL, would prove nothing).
    for (const tamper of ["signature", "body"]) {
      const tampered = await runProgram(["replay", record.id, "--db", db, "--tamper", tamper, "--expect", "4xx"]);
      expect(tampered.stderr, `--tamper ${tamper}`).not.toMatch(/error|tamper|add --resign/i);
      expect(tampered.code, `--tamper ${tamper}`).toBe(0);
      expect(verdicts.at(-1), `--tamper ${tamper}`).toEqual({ provider, status: 403 });
    }
  });
});

describe("listen --fetch-certs", () => {
  it("fetches the SNS certificate a delivery names once per run and records valid verdicts without a --secret", async () => {
    const key = await keygen("sns");
    const fixture = await signFixture("sns", key.privateKey, SNS_BODY);
    const certUrl = new URL((JSON.parse(fixture.request.body) as { SigningCertURL: string }).SigningCertURL);
    certificates.set(certUrl.pathname, key.certificate as string);
    const before = certRequests.length;
    const { listen } = await listenTo(["--fetch-certs"], { [TEST_ORIGIN_ENV]: `127.0.0.1:${certHost.port}`, HOOKTAPE_SECRET_SNS: "" });
    for (let i = 0; i < 2; i++) {
      expect((await send(`${listen.ready.url}/sns`, { headers: fixture.request.headers, body: fixture.request.body })).status).toBe(200);
    }
    await listen.waitForEvents(2);
    const records = listen.records.filter((item) => item.type === "event") as Array<{ verification: { status: string } }>;
    expect(records.map((r) => r.verification.status)).toEqual(["valid", "valid"]);
    expect(certRequests.slice(before)).toEqual([`${certUrl.host}${certUrl.pathname}`]);
    expect(await listen.stop("SIGTERM")).toBe(0);
  });

  it("without a key or --fetch-certs, records the event unverified with the certificate it names", async () => {
    const key = await keygen("sns");
    const fixture = await signFixture("sns", key.privateKey, SNS_BODY);
    const certUrl = (JSON.parse(fixture.request.body) as { SigningCertURL: string }).SigningCertURL;
    certificates.set(new URL(certUrl).pathname, key.certificate as string);
    const before = certRequests.length;
    const { listen, db } = await listenTo([], { [TEST_ORIGIN_ENV]: `127.0.0.1:${certHost.port}`, HOOKTAPE_SECRET_SNS: "" });
    expect((await send(`${listen.ready.url}/sns`, { headers: fixture.request.headers, body: fixture.request.body })).status).toBe(200);
    await listen.waitForEvents(1);
    const record = listen.records.find((item) => item.type === "event") as { id: string; verification: { status: string; reason: string } };
    expect(record.verification).toMatchObject({ status: "unverified", reason: "no_secret" });
    expect(certRequests.length).toBe(before);
    expect(await listen.stop("SIGTERM")).toBe(0);
    // `events show` gives the hint: which certificate signed, and how to get it.
    const shown = await runProgram(["events", "show", record.id, "--db", db]);
    expect(shown.stdout).toContain(`signature sns · no secret — this delivery was signed with the certificate at ${certUrl}; pass its certificate with --secret, or add --fetch-certs\n`);
  });
});
