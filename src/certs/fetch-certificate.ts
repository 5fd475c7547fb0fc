import http from "node:http";
import https from "node:https";
import { createPublicKey, X509Certificate } from "node:crypto";
import type { CertificateScheme, KeyReference } from "../providers/schemes/certificate.js";
import type { Provider } from "../providers/types.js";

// `--fetch-certs`: the real certificate or public key a delivery names, fetched from the provider's own hosts only
// (each certificate scheme's `refuseKeyUrl`: SNS https://sns.<region>.amazonaws.com[.cn]/….pem, PayPal
// https://*.paypal.com, Circle's and eBay's key-by-id API paths), checked before any connection is made. Bounded:
// 64 KiB, 5 s, no redirects; one fetch per URL per run (the promise is kept in memory). Circle's key API takes an
// optional API key (HOOKTAPE_CIRCLE_API_KEY), eBay's needs an application token (HOOKTAPE_EBAY_TOKEN): sent as a
// Bearer header to those hosts only, never printed or stored.
//
// Tests never reach the internet: HOOKTAPE_TEST_CERT_ORIGIN=127.0.0.1:<port> (test-only) sends the request, after
// the host check on the real URL, as plain HTTP to that loopback port, with the real host in the Host header. It
// accepts a loopback address only, so it can point the fetcher at a local double and nowhere else, and it cannot
// let a URL through that the host check refused.

export const TEST_ORIGIN_ENV = "HOOKTAPE_TEST_CERT_ORIGIN";
export const CIRCLE_API_KEY_ENV = "HOOKTAPE_CIRCLE_API_KEY";
export const EBAY_TOKEN_ENV = "HOOKTAPE_EBAY_TOKEN";
const MAX_BYTES = 64 * 1024;
const TIMEOUT_MS = 5_000;

/** The fetched key in a form `--secret` takes: a PEM certificate, a base64 DER public key or a PEM public key. */
export type FetchOutcome = { ok: true; key: string } | { ok: false; reason: string };

export interface CertificateFetcher {
  fetch(provider: Provider & CertificateScheme, reference: KeyReference): Promise<FetchOutcome>;
}

interface Origin {
  host: string;
  port: number;
}

function testOrigin(env: NodeJS.ProcessEnv): Origin | null | string {
  const value = env[TEST_ORIGIN_ENV];
  if (value === undefined || value === "") return null;
  const match = /^(127\.0\.0\.1|\[::1\]|localhost):(\d{1,5})$/.exec(value);
  if (!match) return `${TEST_ORIGIN_ENV} must be a loopback address and port (127.0.0.1:<port>), not ${value}`;
  return { host: match[1] === "[::1]" ? "::1" : (match[1] as string), port: Number(match[2]) };
}

/** What each provider's answer holds, read into a key `--secret` takes; null when it is not one. */
function readAnswer(providerId: string, text: string): string | null {
  try {
    if (providerId === "circle" || providerId === "ebay") {
      const json = JSON.parse(text) as { data?: { publicKey?: unknown }; key?: unknown };
      const key = providerId === "circle" ? json.data?.publicKey : json.key;
      if (typeof key !== "string") return null;
      // Parsed here only to refuse an answer that is no key; the verifier reads it again in its own forms.
      if (key.includes("-----BEGIN")) createPublicKey(key.replace(/(-----BEGIN [A-Z ]+-----)(.*)(-----END [A-Z ]+-----)/s, (_m, a: string, b: string, c: string) => `${a}\n${b.replace(/\s+/g, "")}\n${c}`));
      else createPublicKey({ key: Buffer.from(key, "base64"), format: "der", type: "spki" });
      return key;
    }
    new X509Certificate(text);
    return text;
  } catch {
    return null;
  }
}

function get(providerId: string, url: URL, origin: Origin | null, authorization: string | null): Promise<FetchOutcome> {
  return new Promise((resolve) => {
    const onResponse = (res: http.IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve({ ok: false, reason: `${url.href} answered ${res.statusCode ?? "nothing"}` });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BYTES) {
          res.destroy();
          resolve({ ok: false, reason: `${url.href} is larger than ${MAX_BYTES} bytes: not a certificate` });
          return;
        }
        chunks.push(chunk);
      });
      res.on("end", () => {
        const key = readAnswer(providerId, Buffer.concat(chunks).toString("utf8"));
        const what = providerId === "circle" || providerId === "ebay" ? "a public key" : "a PEM certificate";
        resolve(key === null ? { ok: false, reason: `${url.href} did not return ${what}` } : { ok: true, key });
      });
      res.on("error", (error) => resolve({ ok: false, reason: `${url.href}: ${error.message}` }));
    };
    const headers: Record<string, string> = { "user-agent": "hooktape (--fetch-certs)", ...(authorization === null ? {} : { authorization }) };
    const request = origin
      ? http.get({ timeout: TIMEOUT_MS, host: origin.host, port: origin.port, path: url.pathname + url.search, headers: { ...headers, host: url.host } }, onResponse)
      : https.get(url, { timeout: TIMEOUT_MS, headers }, onResponse);
    request.on("timeout", () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on("error", (error: NodeJS.ErrnoException) => resolve({ ok: false, reason: `could not fetch ${url.href}: ${error.code ?? error.message}` }));
  });
}

/** The Authorization header a key API takes, or a reason it cannot be asked. */
function credentialsFor(providerId: string, env: NodeJS.ProcessEnv): string | null | { missing: string } {
  if (providerId === "circle") {
    const key = env[CIRCLE_API_KEY_ENV];
    return key ? `Bearer ${key}` : null;
  }
  if (providerId === "ebay") {
    const token = env[EBAY_TOKEN_ENV];
    return token ? `Bearer ${token}` : { missing: `eBay's key API needs an application token: set ${EBAY_TOKEN_ENV} (client credentials grant), or pass the public key with --secret` };
  }
  return null;
}

/** A fetcher for one run: each URL is fetched at most once, and every URL is host-checked first. */
export function createCertificateFetcher(env: NodeJS.ProcessEnv): CertificateFetcher {
  const cache = new Map<string, Promise<FetchOutcome>>();
  return {
    fetch(provider, reference) {
      const providerId = provider.id;
      if (reference.fetchUrl === null) return Promise.resolve({ ok: false, reason: `--fetch-certs cannot look up ${reference.kind} ${reference.value}` });
      const refusal = provider.refuseKeyUrl(reference.fetchUrl);
      if (refusal !== null) return Promise.resolve({ ok: false, reason: `--fetch-certs refused ${refusal}` });
      const origin = testOrigin(env);
      if (typeof origin === "string") return Promise.resolve({ ok: false, reason: origin });
      const authorization = credentialsFor(providerId, env);
      if (authorization !== null && typeof authorization === "object") return Promise.resolve({ ok: false, reason: authorization.missing });
      const url = new URL(reference.fetchUrl);
      let pending = cache.get(url.href);
      if (pending === undefined) {
        pending = get(providerId, url, origin, authorization);
        cache.set(url.href, pending);
      }
      return pending;
    },
  };
}
