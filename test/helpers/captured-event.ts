// A captured event as the capture server records it (its id from the arrival time, the body's size and SHA-256),
// for tests that put events in a store through its real insert path; override what the test is about.
import { createHash } from "node:crypto";
import { newEventId } from "../../src/core/ids.js";
import type { CapturedEvent } from "../../src/core/types.js";

export function capturedEvent(overrides: Partial<CapturedEvent> & { body: Buffer }): CapturedEvent {
  const receivedAt = overrides.receivedAt ?? Date.now();
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
    bodySize: overrides.body.length,
    bodySha256: createHash("sha256").update(overrides.body).digest("hex"),
    publicUrl: null,
    target: null,
    ...overrides,
  };
}
