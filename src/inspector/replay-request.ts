import { createHash } from "node:crypto";
import { badInput } from "../core/errors.js";
import { parseJsonPath, type BodyEdit } from "../core/mutate.js";
import type { CapturedEvent, HeaderPairs } from "../core/types.js";
import { parseDuration, parseInteger } from "../core/units.js";
import { resolveTarget } from "../forward/index.js";
import { REDACTED } from "../core/redact.js";
import { getProvider, TOKEN_HEADERS, type Provider } from "../providers/index.js";
import { secretHeadersOf } from "../providers/verification.js";
import { parseRetrySpec, planReplay, type ReplayPlan, type RetrySpec, type Tamper } from "../replay/index.js";

/** What hooktape was started with to sign: the page never sees a secret, only whether one exists. */
export interface SigningContext {
  providerOf(event: CapturedEvent): Provider | null;
  /** The secrets to sign as a provider with; for re-signing `event` (as captured), those that verify it count too. */
  secretsOf(providerId: string, event?: CapturedEvent): string[];
  secretEnvOf(providerId: string): string;
}

/** `POST /api/events/<id>/replay`: `replay`'s options as JSON, checked like the flags. */
export interface ReplayRequest {
  to: URL | null;
  times: number;
  concurrency: number;
  /** null: re-sign when the body or headers are edited and a secret is at hand. */
  resign: boolean | null;
  bodyEdits: BodyEdit[];
  headerSets: HeaderPairs;
  headerDrops: string[];
  body: Buffer | null;
  tamper: Tamper | null;
  staleMs: number;
  retry: RetrySpec | null;
  timeoutMs: number | null;
  expect: (status: number | null) => boolean;
  /** Send what this preview showed, byte for byte (its signature and timestamp included). */
  preview: string | null;
}

const KEYS = new Set(["preview", "to", "times", "concurrency", "resign", "set", "unset", "headers", "dropHeaders", "body", "tamper", "stale", "expect", "retry", "timeout"]);

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
  const to = text("to");
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
  const tamper = text("tamper");
  if (tamper !== undefined && !["signature", "body", "timestamp"].includes(tamper)) {
    throw badInput(`Invalid "tamper": expected signature, body or timestamp`);
  }
  const resign = options.resign;
  if (resign !== undefined && resign !== null && typeof resign !== "boolean") throw badInput('Invalid "resign": expected true or false');
  const body = options.body;
  if (body !== undefined && body !== null && typeof body !== "string") throw badInput('Invalid "body": expected the whole new body as text');
  const stale = text("stale");
  const retry = text("retry");
  const timeout = text("timeout");
  return {
    to: to === undefined || to === "" ? null : resolveTarget(to, "to"),
    times: parseInteger(text("times") ?? "1", "times", 1, 1000),
    concurrency: parseInteger(text("concurrency") ?? "1", "concurrency", 1, 64),
    resign: typeof resign === "boolean" ? resign : null,
    bodyEdits,
    headerSets: strings("headers").map(parseHeaderLine),
    headerDrops: strings("dropHeaders"),
    body: typeof body === "string" ? Buffer.from(body, "utf8") : null,
    tamper: (tamper as Tamper | undefined) ?? null,
    staleMs: stale === undefined ? 0 : parseDuration(stale, "stale"),
    retry: retry === undefined ? null : parseRetrySpec(retry),
    timeoutMs: timeout === undefined ? null : parseInteger(timeout, "timeout", 1, 600_000),
    expect: expectOf(text("expect")),
    preview: text("preview") ?? null,
  };
}

/** `"X-Debug: 1"` -> ["X-Debug", "1"]: a token for the name, and no line break in the value (a header cannot carry one). */
function parseHeaderLine(text: string): [string, string] {
  const colon = text.indexOf(":");
  const name = colon > 0 ? text.slice(0, colon).trim() : "";
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw badInput(`Invalid header "${text}": expected "Name: value", e.g. "X-Debug: 1"`);
  const value = text.slice(colon + 1).trim();
  if (/[\r\n\0]/.test(value)) throw badInput(`Invalid header "${name}": the value contains a line break`);
  return [name, value];
}

/** `expect`: a status (400) or a class (4xx); by default any 2xx passes, as `replay --expect`. */
function expectOf(text: string | undefined): (status: number | null) => boolean {
  if (text === undefined) return (status) => status !== null && status >= 200 && status < 300;
  const value = text.trim().toLowerCase();
  const hundreds = /^([1-5])xx$/.exec(value);
  if (hundreds) {
    const low = Number(hundreds[1]) * 100;
    return (status) => status !== null && status >= low && status < low + 100;
  }
  if (/^[1-5]\d\d$/.test(value)) return (status) => status === Number(value);
  throw badInput(`Invalid "expect" "${text}": expected a status (400) or a class (4xx)`);
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
    {
      target: request.to,
      resign,
      providerOf: signing.providerOf,
      // Judged on the event as captured, not on a body the page replaced.
      secretsOf: (providerId) => signing.secretsOf(providerId, event),
      secretEnvOf: signing.secretEnvOf,
      bodyEdits: request.bodyEdits,
      headerSets: request.headerSets,
      headerDrops: request.headerDrops,
      tamper: request.tamper,
      staleMs: request.staleMs,
      times: request.times,
      order: "as-captured",
      seed: 0,
      retry: request.retry,
      retryProvider: request.retry?.kind === "provider" ? getProvider(request.retry.providerId) : undefined,
      timeoutMs: request.timeoutMs,
    },
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
