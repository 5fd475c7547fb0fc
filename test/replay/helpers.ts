// Real SQLite files in temp dirs, events inserted as `listen` would record them.
import { getProvider } from "../../src/providers/index.js";
import { createSecretBook, secretEnvName } from "../../src/secrets/secret-book.js";
import { eventTypeOf } from "../../src/providers/event-type.js";
import type { ReplayOptions } from "../../src/replay/index.js";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newEventId } from "../../src/core/ids.js";
import type { CapturedEvent, HeaderPairs } from "../../src/core/types.js";
import { joinTarget, resolveTarget } from "../../src/forward/index.js";
import { EventStore } from "../../src/store/index.js";

export interface TempStore {
  dir: string;
  file: string;
  store: EventStore;
  remove(): void;
}

export function tempStore(): TempStore {
  const dir = mkdtempSync(join(tmpdir(), "hooktape-replay-"));
  const file = join(dir, "hooktape.db");
  const store = new EventStore(file);
  return {
    dir,
    file,
    store,
    remove: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function recordEvent(
  store: EventStore,
  input: {
    provider: string | null;
    headers: HeaderPairs;
    body: Buffer | string;
    url?: string;
    receivedAt?: number;
    /** `listen`'s target argument (a base URL); the event records it joined with the path, as `listen` does. */
    target?: string | null;
  },
): CapturedEvent {
  const body = typeof input.body === "string" ? Buffer.from(input.body) : input.body;
  const receivedAt = input.receivedAt ?? Date.now();
  const url = input.url ?? "/webhooks";
  const event: CapturedEvent = {
    id: newEventId(receivedAt),
    method: "POST",
    url,
    headers: input.headers,
    body,
    receivedAt,
    remoteAddress: "127.0.0.1",
    via: "local",
    provider: input.provider,
    eventType: eventTypeOf(input.provider === null ? null : getProvider(input.provider), { headers: input.headers, body }),
    verification: { status: "valid", reason: null },
    rejected: null,
    notForwarded: null,
    bodySize: body.length,
    bodySha256: createHash("sha256").update(body).digest("hex"),
    publicUrl: null,
    target: input.target ? joinTarget(resolveTarget(input.target), url) : null,
  };
  store.insertEvent(event);
  return event;
}

/** Header pairs without the ones a hop sets anew (Host, Content-Length, Connection) — what a replay must keep. */
export function endToEndHeaders(headers: HeaderPairs): HeaderPairs {
  const hop = new Set(["host", "content-length", "connection", "transfer-encoding", "keep-alive"]);
  return headers.filter(([name]) => !hop.has(name.toLowerCase()));
}

/** Replay options with nothing changed: exact bytes, once, in capture order; the tests override what they test. */
export function replayOptions(secret: string, overrides: Partial<ReplayOptions> = {}): ReplayOptions {
  return {
    target: null,
    resign: false,
    providerOf: (e) => (e.provider ? (getProvider(e.provider) ?? null) : null),
    secretsOf: (id) => [...createSecretBook({ flagValues: [secret], env: {} }).verifying(id)],
    secretEnvOf: secretEnvName,
    bodyEdits: [],
    headerSets: [],
    headerDrops: [],
    tamper: null,
    staleMs: 0,
    times: 1,
    order: "as-captured",
    seed: 1,
    retry: null,
    timeoutMs: null,
    ...overrides,
  };
}
