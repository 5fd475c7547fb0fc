// Shared pieces of the SDK cross-checks: look a provider up, sign with it, verify with it, and build the
// "one thing wrong" variants (flipped body byte, wrong secret, stale timestamp) that both sides must reject.
import { afterEach, vi } from "vitest";
import { getProvider } from "../../src/providers/registry.js";
import type { HeaderPairs } from "../../src/core/types.js";
import type { Provider, SignInput, SignOutput, VerifyRequest, VerifyResult } from "../../src/providers/types.js";

/** The provider under test; a missing id is a failure, not a skip (the registry must carry it). */
export function requireProvider(id: string): Provider {
  const provider = getProvider(id);
  if (provider === undefined) throw new Error(`provider "${id}" is not in the registry`);
  return provider;
}

/**
 * Sets the clock SDKs read through `Date.now()` (only Date is faked: timers and promises run as usual).
 * Call `useFrozenClock()` once in a describe block to restore the real clock after each test.
 */
export function freezeClockAt(unixSeconds: number): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(unixSeconds * 1000);
}

export function useFrozenClock(): void {
  afterEach(() => {
    vi.useRealTimers();
  });
}

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

/** A JSON body with non-ASCII text in it, so that an SDK decoding bytes as UTF-8 is exercised too. */
export function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), "utf8");
}

export { headerRecord, headerValue } from "../helpers/headers.js";

/** Replaces (or adds) one header, keeping the order of the others. */
export function withHeader(headers: HeaderPairs, name: string, value: string): HeaderPairs {
  const wanted = name.toLowerCase();
  const out: HeaderPairs = headers.filter(([n]) => n.toLowerCase() !== wanted);
  out.push([name, value]);
  return out;
}

export { flipByte } from "../helpers/bytes.js";

export interface SignedRequest {
  request: VerifyRequest;
  signed: SignOutput;
}

/** Signs with our provider and builds the request a delivery would carry (content-type first, then the signed headers). */
export function signRequest(
  provider: Provider,
  input: Partial<SignInput> & { body: Buffer; secret: string; timestamp: number },
  path = "/webhooks",
): SignedRequest {
  const base: HeaderPairs = input.headers ?? [["content-type", "application/json"]];
  const signed = provider.sign({
    id: input.id ?? "msg_2Lh9KRbcyy2yNw7D8xkl1GAcaNd",
    method: input.method ?? "POST",
    url: input.url,
    headers: base,
    body: input.body,
    secret: input.secret,
    timestamp: input.timestamp,
  });
  const merged: HeaderPairs = base.filter(([n]) => !signed.headers.some(([s]) => s.toLowerCase() === n.toLowerCase()));
  merged.push(...signed.headers);
  return {
    signed,
    request: { method: input.method ?? "POST", url: signed.url ?? input.url ?? path, headers: merged, body: input.body },
  };
}

/** Our verification of a request built by hand (the SDK side signed it). */
export function verifyOurs(
  provider: Provider,
  request: VerifyRequest,
  secret: string,
  now: number,
  url?: string,
): VerifyResult {
  return provider.verify(request, [secret], { now, url });
}

/** Runs an SDK check that signals failure by throwing; returns whether it accepted, and the message when it did not. */
export async function sdkAccepts(check: () => unknown): Promise<{ ok: boolean; error?: string }> {
  try {
    const out = await check();
    if (out === false) return { ok: false, error: "returned false" };
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
