import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { providers } from "../../src/providers/registry.js";
import type { Provider, VerifyRequest } from "../../src/providers/types.js";
import { credentialsFor, TEST_URL } from "./keys-for-tests.js";
import { signedRequest } from "./helpers.js";

const NOW = 1_795_777_200;

/** Arbitrary bodies a provider can carry: bytes, except where the scheme needs JSON in the body. */
function bodies(provider: Provider): fc.Arbitrary<Buffer> {
  if (provider.id === "linear") {
    return fc.jsonValue().map((data) => Buffer.from(JSON.stringify({ data, webhookTimestamp: NOW * 1000 })));
  }
  // Hygraph signs the body as UTF-8 text (its SDK receives a string): bodies are text, as Hygraph sends JSON.
  if (provider.id === "hygraph") return fc.string({ unit: "grapheme", maxLength: 300 }).filter((t) => !t.includes("\uFFFD")).map((t) => Buffer.from(t));
  if (provider.id === "mailgun") return fc.dictionary(fc.string(), fc.jsonValue()).map((o) => Buffer.from(JSON.stringify({ "event-data": o })));
  return fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes));
}

function sign(provider: Provider, body: Buffer): VerifyRequest {
  return signedRequest(provider, { body, secret: credentialsFor(provider).signWith, timestamp: NOW, id: "msg_prop", url: TEST_URL });
}

function verify(provider: Provider, request: VerifyRequest) {
  return provider.verify(request, [credentialsFor(provider).verifyWith], { now: NOW, url: request.url.startsWith("http") ? undefined : TEST_URL });
}

const RUNS = { numRuns: 40 };

describe.each(providers.map((p) => [p.id, p] as const))("%s properties", (_id, provider) => {
  it("sign -> verify round-trips for arbitrary bodies", () => {
    fc.assert(
      fc.property(bodies(provider), (body) => {
        expect(verify(provider, sign(provider, body))).toMatchObject({ valid: true, provider: provider.id });
      }),
      RUNS,
    );
  });

  // Mailgun signs timestamp + token only, and GitLab's token signs nothing: the body is not protected there.
  // Mandrill signs the decoded form fields, not the bytes: `+` and a space, or two invalid UTF-8 bytes, decode alike
  // (its own property below changes a field instead). Plivo V3 signs the parameters too (its property below).
  // Registered only where it applies.
  if (!(provider.id === "mailgun" || provider.id === "mandrill" || provider.id === "plivo" || provider.kind === "token" || provider.coversBody === false)) it("rejects any single-byte change of the body", () => {
    fc.assert(
      fc.property(bodies(provider).filter((b) => b.length > 0), fc.nat(), fc.integer({ min: 1, max: 255 }), (body, at, delta) => {
        const signed = sign(provider, body);
        const changed = Buffer.from(signed.body);
        const index = at % changed.length;
        changed[index] = ((changed[index] as number) + delta) % 256;
        expect(verify(provider, { ...signed, body: changed }).valid).toBe(false);
      }),
      RUNS,
    );
  });

  // Mailgun's signature lives in the body (covered by its own test).
  // Registered only where it applies.
  // Wix's signature is the body itself (a JWT), changed by the property above.
  if (!(provider.id === "mailgun" || provider.id === "wix")) it("rejects any single-character change of the signature itself", () => {
    const signatureHeader = provider.headers[0] as string;
    fc.assert(
      fc.property(bodies(provider), fc.nat(), fc.constantFrom(..."0159aAfFzZ+/=,.;: -_v"), (body, at, replacement) => {
        const signed = sign(provider, body);
        const position = signed.headers.findIndex(([name]) => name.toLowerCase() === signatureHeader);
        const value = signed.headers[position]?.[1] as string;
        // The signature itself: the longest run of signature characters in the header (the header's syntax
        // around it, e.g. Stripe's `t=...,`, tolerates what the SDKs tolerate, such as an empty `,,` item).
        const runs = [...value.matchAll(/[A-Za-z0-9+/=_-]+/g)].sort((a, b) => b[0].length - a[0].length);
        const run = runs[0] as RegExpMatchArray;
        const index = (run.index as number) + (at % run[0].length);
        fc.pre(value[index] !== replacement);
        const headers = signed.headers.map(([n, v], i): [string, string] => [n, i === position ? v.slice(0, index) + replacement + v.slice(index + 1) : v]);
        expect(verify(provider, { ...signed, headers }).valid).toBe(false);
      }),
      RUNS,
    );
  });
});

describe("plivo V3: POST parameters as signed", () => {
  const plivo = providers.find((p) => p.id === "plivo") as Provider;
  const field = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 });
  const form: Array<[string, string]> = [["content-type", "application/x-www-form-urlencoded"]];
  const signForm = (body: Buffer) => signedRequest(plivo, { body, secret: "plivo-token", timestamp: NOW, id: "nonce_prop", url: TEST_URL, headers: form });
  it("rejects a change to any parameter's name or value, and accepts the parameters in another order", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(field, field), { minLength: 1, maxLength: 5, selector: ([name]) => name }), fc.nat(), field, (pairs, at, replacement) => {
        const signed = signForm(Buffer.from(new URLSearchParams(pairs).toString()));
        const check = (body: string) => plivo.verify({ ...signed, body: Buffer.from(body) }, ["plivo-token"], { now: NOW, url: TEST_URL }).valid;
        expect(check(new URLSearchParams([...pairs].reverse()).toString())).toBe(true);
        const index = at % pairs.length;
        const [name, value] = pairs[index] as [string, string];
        fc.pre(replacement !== value && replacement !== name);
        expect(check(new URLSearchParams(pairs.map((pair, i): [string, string] => (i === index ? [name, replacement] : pair))).toString())).toBe(false);
        expect(check(new URLSearchParams(pairs.map((pair, i): [string, string] => (i === index ? [replacement, value] : pair))).toString())).toBe(false);
      }),
      RUNS,
    );
  });
});

describe("mandrill: form fields as signed", () => {
  const mandrill = providers.find((p) => p.id === "mandrill") as Provider;
  const field = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 });
  it("rejects a change to any field's name or value, and accepts the fields in another order", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(field, field), { minLength: 1, maxLength: 5, selector: ([name]) => name }), fc.nat(), field, (pairs, at, replacement) => {
        const body = Buffer.from(new URLSearchParams(pairs).toString());
        const signed = sign(mandrill, body);
        const reordered = Buffer.from(new URLSearchParams([...pairs].reverse()).toString());
        expect(verify(mandrill, { ...signed, body: reordered }).valid).toBe(true);
        const index = at % pairs.length;
        const [name, value] = pairs[index] as [string, string];
        fc.pre(replacement !== value);
        const changed = pairs.map((pair, i): [string, string] => (i === index ? [name, replacement] : pair));
        expect(verify(mandrill, { ...signed, body: Buffer.from(new URLSearchParams(changed).toString()) }).valid).toBe(false);
      }),
      RUNS,
    );
  });
});

describe("verify never throws for a bad request", () => {
  const headerValue = fc.oneof(fc.string(), fc.constantFrom("", " ", "t=,v1=", "v1,", "sha256=", "ts=1;h1=", "v0=zz", "=", ",,,", "MEUC"));
  it.each(providers.map((p) => [p.id, p] as const))("%s returns a result for arbitrary header values, bodies and URLs", (_id, provider) => {
    const creds = credentialsFor(provider);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...provider.headers, "content-type", "user-agent"), headerValue), { maxLength: 6 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.oneof(fc.constant("/hook"), fc.webUrl(), fc.string()),
        (headers, body, url) => {
          const result = provider.verify({ method: "POST", url, headers, body: Buffer.from(body) }, [creds.verifyWith], { now: NOW, url: undefined });
          expect(result.provider).toBe(provider.id);
          expect(result.valid).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});
