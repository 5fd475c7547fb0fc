import http from "node:http";
import https from "node:https";
import { X509Certificate } from "node:crypto";
import { certificateUrlRefusal, type KeyReference } from "../providers/certificate.js";

// `--fetch-certs`: the real certificate a PayPal or Amazon SNS delivery names, fetched from the provider's own hosts
// only (providers/certificate.ts `certificateUrlRefusal`: https, sns.<region>.amazonaws.com[.cn] and a .pem path,
// or *.paypal.com), before any connection is made. Bounded: 64 KiB, 5 s, no redirects; one fetch per URL per run
// (the promise is kept in memory). Circle's and eBay's keys come from APIs that need the account's credentials, so
// they are never fetched: the verdict says where to get the key instead.
//
// Tests never reach the internet: HOOKTAPE_TEST_CERT_ORIGIN=127.0.0.1:<port> (test-only) sends the request, after
// the host check on the real URL, as plain HTTP to that loopback port, with the real host in the Host header. It
// accepts a loopback address only, so it can point the fetcher at a local double and nowhere else, and it cannot
// let a URL through that the host check refused.

export const TEST_ORIGIN_ENV = "HOOKTAPE_TEST_CERT_ORIGIN";
const MAX_BYTES = 64 * 1024;
const TIMEOUT_MS = 5_000;

export type FetchOutcome = { ok: true; certificate: string } | { ok: false; reason: string };

export interface CertificateFetcher {
  fetch(providerId: string, reference: KeyReference): Promise<FetchOutcome>;
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

function get(url: URL, origin: Origin | null): Promise<FetchOutcome> {
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
        const text = Buffer.concat(chunks).toString("utf8");
        try {
          new X509Certificate(text);
          resolve({ ok: true, certificate: text });
        } catch {
          resolve({ ok: false, reason: `${url.href} did not return a PEM certificate` });
        }
      });
      res.on("error", (error) => resolve({ ok: false, reason: `${url.href}: ${error.message}` }));
    };
    const options = { timeout: TIMEOUT_MS, headers: { "user-agent": "hooktape (--fetch-certs)" } };
    const request = origin
      ? http.get({ ...options, host: origin.host, port: origin.port, path: url.pathname + url.search, headers: { ...options.headers, host: url.host } }, onResponse)
      : https.get(url, options, onResponse);
    request.on("timeout", () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on("error", (error: NodeJS.ErrnoException) => resolve({ ok: false, reason: `could not fetch ${url.href}: ${error.code ?? error.message}` }));
  });
}

/** A fetcher for one run: each URL is fetched at most once, and every URL is host-checked first. */
export function createCertificateFetcher(env: NodeJS.ProcessEnv): CertificateFetcher {
  const cache = new Map<string, Promise<FetchOutcome>>();
  return {
    fetch(providerId, reference) {
      if (reference.fetchUrl === null) {
        return Promise.resolve({ ok: false, reason: `--fetch-certs fetches certificate URLs (PayPal, Amazon SNS); ${reference.kind} ${reference.value} is looked up with your account's API credentials` });
      }
      const refusal = certificateUrlRefusal(providerId, reference.fetchUrl);
      if (refusal !== null) return Promise.resolve({ ok: false, reason: `--fetch-certs refused ${refusal}` });
      const origin = testOrigin(env);
      if (typeof origin === "string") return Promise.resolve({ ok: false, reason: origin });
      const url = new URL(reference.fetchUrl);
      let pending = cache.get(url.href);
      if (pending === undefined) {
        pending = get(url, origin);
        cache.set(url.href, pending);
      }
      return pending;
    },
  };
}
