import { badInput } from "../core/errors.js";
import { parseHeaderLine } from "../core/headers.js";
import type { BodyEdit } from "../core/mutate.js";
import type { HeaderPairs, ReplayableEvent } from "../core/types.js";
import { parseDuration, parseInteger } from "../core/units.js";
import { resolveTarget } from "../forward/index.js";
import type { Provider } from "../providers/types.js";
import type { Tamper } from "./build-request.js";
import { parseExpectation, type Expectation } from "./expectation.js";
import type { ReplayOrder } from "./order.js";
import type { ReplayOptions } from "./plan.js";
import { parseRetrySpec, type RetrySpec } from "./schedule.js";

/**
 * What a user asks of one replay, read by one rule whether it comes from `replay`'s flags or the inspector's
 * replay JSON: only the way each surface spells an option, its limits, and how it writes body edits differ.
 */
export interface ReplayChoices {
  /** null: each event's first forwarding target. */
  target: URL | null;
  /** Deliveries of each event (identical duplicates). */
  times: number;
  /** Requests in flight at once. */
  concurrency: number;
  bodyEdits: BodyEdit[];
  headerSets: HeaderPairs;
  headerDrops: string[];
  tamper: Tamper | null;
  /** Sign with a timestamp this far in the past, in ms (0: none). */
  staleMs: number;
  retry: RetrySpec | null;
  /** Per attempt; null: the provider's own deadline. */
  timeoutMs: number | null;
  expectation: Expectation;
}

/** The options as text, as each surface receives them (absent: the default). */
export interface ReplayChoiceTexts {
  to?: string | undefined;
  times?: string | undefined;
  concurrency?: string | undefined;
  header?: readonly string[] | undefined;
  dropHeader?: readonly string[] | undefined;
  tamper?: string | undefined;
  stale?: string | undefined;
  retry?: string | undefined;
  timeout?: string | undefined;
  expect?: string | undefined;
}

/** How a surface spells its options in messages (`--drop-header` or `dropHeaders`), and the most it allows. */
export interface ReplaySurface {
  optionName(key: keyof ReplayChoiceTexts): string;
  maxTimes: number;
  maxConcurrency: number;
  maxTimeoutMs: number;
}

const TAMPERS: readonly Tamper[] = ["signature", "body", "timestamp"];

/** Reads every option before anything is opened or sent, so bad input is refused with nothing done. */
export function parseReplayChoices(texts: ReplayChoiceTexts, bodyEdits: BodyEdit[], surface: ReplaySurface): ReplayChoices {
  const name = surface.optionName;
  const tamper = texts.tamper;
  if (tamper !== undefined && !TAMPERS.includes(tamper as Tamper)) throw badInput(`Invalid ${name("tamper")} "${tamper}": expected signature, body or timestamp`);
  return {
    target: texts.to === undefined || texts.to === "" ? null : resolveTarget(texts.to, name("to")),
    times: parseInteger(texts.times ?? "1", name("times"), 1, surface.maxTimes),
    concurrency: parseInteger(texts.concurrency ?? "1", name("concurrency"), 1, surface.maxConcurrency),
    bodyEdits,
    headerSets: (texts.header ?? []).map((line) => parseHeaderLine(line, name("header"))),
    headerDrops: [...(texts.dropHeader ?? [])],
    tamper: (tamper as Tamper | undefined) ?? null,
    staleMs: texts.stale === undefined ? 0 : parseDuration(texts.stale, name("stale")),
    retry: texts.retry === undefined ? null : parseRetrySpec(texts.retry),
    timeoutMs: texts.timeout === undefined ? null : parseInteger(texts.timeout, name("timeout"), 1, surface.maxTimeoutMs),
    expectation: parseExpectation(texts.expect, name("expect")),
  };
}

/** How a run signs and orders what it sends: the part of the plan's options that is not the user's edits. */
export interface ReplayRunSettings<E extends ReplayableEvent> {
  resign: boolean;
  order: ReplayOrder;
  seed: number;
  providerOf: ReplayOptions<E>["providerOf"];
  secretsOf: ReplayOptions<E>["secretsOf"];
  secretEnvOf: ReplayOptions<E>["secretEnvOf"];
  /** The provider `--retry <provider>` names, loaded by the caller. */
  retryProvider: Provider | undefined;
}

/** The replay plan's options from what the user chose and how this run signs. */
export function replayOptionsOf<E extends ReplayableEvent>(choices: ReplayChoices, run: ReplayRunSettings<E>): ReplayOptions<E> {
  return {
    target: choices.target,
    resign: run.resign,
    providerOf: run.providerOf,
    secretsOf: run.secretsOf,
    secretEnvOf: run.secretEnvOf,
    bodyEdits: choices.bodyEdits,
    headerSets: choices.headerSets,
    headerDrops: choices.headerDrops,
    tamper: choices.tamper,
    staleMs: choices.staleMs,
    times: choices.times,
    order: run.order,
    seed: run.seed,
    retry: choices.retry,
    retryProvider: run.retryProvider,
    timeoutMs: choices.timeoutMs,
  };
}
