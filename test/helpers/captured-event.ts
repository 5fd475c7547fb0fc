// A captured event as the capture server records it (its id from the arrival time, the body's size and SHA-256),
// for tests that put events in a store through its real insert path; override what the test is about.
import { createHash } from "node:crypto";
import { newEventId } from "../../src/core/ids.js";
import type { CapturedEvent } from "../../src/core/types.js";
import { eventTypeOf } from "../../src/providers/event-type.js";
import { getProvider } from "../../src/providers/index.js";

export function capturedEvent(overrides: Partial<CapturedEvent> & { body: Buffer }): CapturedEvent {
  const receivedAt = overrides.receivedAt ?? Date.now();
  const provider = overrides.provider === undefined || overrides.provider === null ? undefined : getProvider(overrides.provider);
  return {
    id: newEventId(receivedAt),
    method: "POST",
    url: "/webhooks",
    headers: [],
    receivedAt,
    remoteAddress: "127.0.0.1",
    via: "local",
    provider: null,
    verification: { status: "unverified", reason: "no_secret" },
    rejected: null,
    notForwarded: null,
    // As the capture server reads it: the provider's own rule over the headers and body.
    eventType: eventTypeOf(provider, { headers: overrides.headers ?? [], body: overrides.body }),
    bodySize: overrides.body.length,
    bodySha256: createHash("sha256").update(overrides.body).digest("hex"),
    publicUrl: null,
    target: null,
    ...overrides,
  };
}
