import { createHash } from "node:crypto";
import { badInput } from "../core/errors.js";
import { parseJsonPath, type BodyEdit } from "../core/mutate.js";
import type { CapturedEvent, HeaderPairs } from "../core/types.js";
import { REDACTED } from "../core/redact.js";
import { getProvider, TOKEN_HEADERS, type Provider } from "../providers/index.js";
import { secretHeadersOf } from "../providers/verification.js";
import {
  parseReplayChoices,
  planReplay,
  replayOptionsOf,
  type ReplayChoices,
  type ReplayPlan,
  type ReplaySurface,
} from "../replay/index.js";

/** What hooktape was started with to sign: the page never sees a secret, only whether one exists. */
export interface SigningContext {
  providerOf(event: CapturedEvent): Provider | null;
  /** The secrets to sign as a provider with; for re-signing `event` (as captured), those that verify it count too. */
  secretsOf(providerId: string, event?: CapturedEvent): string[];
  secretEnvOf(providerId: string): string;
}

/** `POST /api/events/<id>/replay`: `replay`'s options as JSON, read by the same rules as its flags. */
export interface ReplayRequest extends ReplayChoices {
  /** null: re-sign when the body or headers are edited and a secret is at hand. */
  resign: boolean | null;
  /** A whole new body, replacing the captured bytes before the edits. */
  body: Buffer | null;
  /** Send what this preview showed, byte for byte (its signature and timestamp included). */
  preview: string | null;
}

const KEYS = new Set(["preview", "to", "times", "concurrency", "resign", "set", "unset", "headers", "dropHeaders", "body", "tamper", "stale", "expect", "retry", "timeout"]);

/** The JSON keys, as the page spells them, and the most one replay from the page may ask for. */
const PAGE_SURFACE: ReplaySurface = {
  optionName: (key) => (key === "header" ? "headers" : key === "dropHeader" ? "dropHeaders" : key),
  maxTimes: 1000,
  maxConcurrency: 64,
  maxTimeoutMs: 600_000,
};

export function parseReplayRequest(input: unknown): ReplayRequest {
  if (input === null || typeof input !== "object" || Array.isArray(input)) throw badInput("The replay options must be a JSON object");
  const options = input as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) throw badInput(`Unknown replay option "${key}"; expected ${[...KEYS].join(", ")}`);
  }
  const text = (key: string): string | undefined => {
    const value = options[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number") return String(value);
    if (typeof value !== "string") throw badInput(`Invalid "${key}": expected a string`);
    return value;
  };
  const strings = (key: string): string[] => {
    const value = options[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) throw badInput(`Invalid "${key}": expected an array of strings`);
    return value as string[];
  };
  const set = options.set;
  if (set !== undefined && (set === null || typeof set !== "object" || Array.isArray(set))) {
    throw badInput('Invalid "set": expected an object of {"json.path": value}');
  }
  const bodyEdits: BodyEdit[] = [
    ...Object.entries((set ?? {}) as Record<string, unknown>).map(([path, value]) => {
      parseJsonPath(path, "set");
      return { op: "set" as const, path, value: JSON.stringify(value) };
    }),
    ...strings("unset").map((path) => {
      parseJsonPath(path, "unset");
      return { op: "unset" as const, path };
    }),
  ];
  const resign = options.resign;
  if (resign !== undefined && resign !== null && typeof resign !== "boolean") throw badInput('Invalid "resign": expected true or false');
  const body = options.body;
  if (body !== undefined && body !== null && typeof body !== "string") throw badInput('Invalid "body": expected the whole new body as text');
  const choices = parseReplayChoices(
    {
      to: text("to"),
      times: text("times"),
      concurrency: text("concurrency"),
      header: strings("headers"),
      dropHeader: strings("dropHeaders"),
      tamper: text("tamper"),
      stale: text("stale"),
      retry: text("retry"),
      timeout: text("timeout"),
      expect: text("expect"),
    },
    bodyEdits,
    PAGE_SURFACE,
  );
  return {
    ...choices,
    resign: typeof resign === "boolean" ? resign : null,
    body: typeof body === "string" ? Buffer.from(body, "utf8") : null,
    preview: text("preview") ?? null,
  };
}

/** Whether hooktape holds a secret to re-sign this event with (the page says so before anything is sent). */
export function canResign(event: CapturedEvent, signing: SigningContext): boolean {
  const provider = signing.providerOf(event);
  return provider !== null && signing.secretsOf(provider.id, event).length > 0;
}

/**
 * The replay engine's plan for one event and the page's options. A whole new `body` replaces the captured bytes
 * before planning (the engine then mutates and signs as for `replay --set`); an edited request is re-signed
 * unless `resign: false` is asked for, when hooktape has the secret.
 */
export function planFromRequest(
  event: CapturedEvent,
  request: ReplayRequest,
  signing: SigningContext,
  now: number,
): { plan: ReplayPlan; resigned: boolean } {
  const edited = request.body !== null || request.bodyEdits.length > 0 || request.headerSets.length > 0 || request.headerDrops.length > 0;
  const resign = request.resign ?? (edited && canResign(event, signing));
  // The engine re-signs a --set/--unset or --stale request whatever `resign` says.
  const resigned = resign || request.bodyEdits.length > 0 || request.staleMs > 0;
  const source: CapturedEvent =
    request.body === null
      ? event
      : { ...event, body: request.body, bodySize: request.body.length, bodySha256: createHash("sha256").update(request.body).digest("hex") };
  const plan = planReplay(
    [source],
    replayOptionsOf(request, {
      resign,
      order: "as-captured",
      seed: 0,
      providerOf: signing.providerOf,
      // Judged on the event as captured, not on a body the page replaced.
      secretsOf: (providerId) => signing.secretsOf(providerId, event),
      secretEnvOf: signing.secretEnvOf,
      retryProvider: request.retry?.kind === "provider" ? getProvider(request.retry.providerId) : undefined,
    }),
    { now },
  );
  return { plan, resigned };
}

/** What the page shows instead of a header value that is a secret. */
export const SET_BY_HOOKTAPE = "[set by hooktape]";

/**
 * The headers of a replay's request as the page may see them (`POST /api/events/<id>/preview`). A header whose value
 * is a secret — a token scheme's token (GitLab's X-Gitlab-Token, Okta's Authorization), Basic credentials, any
 * Authorization re-signing put there — shows as `[set by hooktape]`: the page never holds a secret, and the real
 * value is added in this process when the replay is sent. A value the page itself asked for, and the stored
 * `[redacted]`, are shown as they are.
 */
export function headersShownOf(headers: HeaderPairs, provider: Provider | null, request: ReplayRequest): HeaderPairs {
  const secretNames = new Set([...TOKEN_HEADERS, ...secretHeadersOf(provider).map((name) => name.toLowerCase())]);
  const asked = new Set(request.headerSets.map(([name, value]) => `${name.toLowerCase()}\n${value}`));
  return headers.map(([name, value]) => {
    const lower = name.toLowerCase();
    if (!secretNames.has(lower) || value === REDACTED || asked.has(`${lower}\n${value}`)) return [name, value];
    return [name, SET_BY_HOOKTAPE];
  });
}
