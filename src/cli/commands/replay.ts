import { randomInt } from "node:crypto";
import { HooktapeError, badInput } from "../../core/errors.js";
import { isWrongRoute } from "../../core/http-status.js";
import { parseEventFilter, type EventFilterFlags } from "../../core/event-filter.js";
import { parseJsonPath, type BodyEdit } from "../../core/mutate.js";
import { parseInteger } from "../../core/units.js";
import { createDeliveryAgent, targetKeepsOwnPath } from "../../forward/index.js";
import { loadProvider } from "../../providers/provider-modules.js";
import { createSecretBook, secretEnvName, type SecretBook } from "../../secrets/secret-book.js";
import { eventSignedWith } from "../../providers/event-signature.js";
import {
  parseReplayChoices,
  planReplay,
  replayOptionsOf,
  runReplay,
  selectEvents,
  type ReplayAttempt,
  type ReplayOrder,
  type ReplayPlan,
  type ReplayResult,
  type ReplayChoices,
  type ReplayRunSettings,
  type ReplaySelector,
  type ReplaySurface,
  type RunOptions,
  type Tamper,
} from "../../replay/index.js";
import type { ReplayableEvent } from "../../core/types.js";
import { openStore, outputFor, type GlobalFlags } from "../context.js";
import type { Output } from "../views/output.js";
import { parseSetFlag } from "../edit-flags.js";
import { interrupted, watchInterrupts } from "../interrupt.js";
import { parseProviderFlag } from "../provider-flag.js";
import { createProgress } from "../views/progress.js";
import { formatReplaySummary, replayJson, staleSignatureHints } from "../views/replay-view.js";
import { deliveryErrorInWords } from "../../documents/words.js";
import { hmacSettingsFrom, type HmacFlags } from "./hmac-flags.js";
import { compileWasmWithBaselineOnly } from "../../core/wasm-compiler.js";

// Sends a few requests and exits: WebAssembly compiled by the baseline compiler only.
compileWasmWithBaselineOnly();

export interface ReplayFlags extends GlobalFlags, HmacFlags, EventFilterFlags {
  last?: string | boolean;
  to?: string;
  resign?: boolean;
  secret?: string[];
  times: string;
  concurrency: string;
  set?: string[];
  create?: boolean;
  unset?: string[];
  header?: string[];
  dropHeader?: string[];
  tamper?: Tamper;
  stale?: string;
  retry?: string;
  speed: string;
  timeout?: string;
  order: ReplayOrder;
  seed?: string;
  expect?: string;
}

/** A wait as the retry lines show it: `0.25s`, `45s`, `5m`, `3h`, `2d`. */
function formatWait(ms: number): string {
  const sec = Math.max(0, ms) / 1000;
  if (sec < 10) return `${sec.toFixed(2)}s`;
  if (sec < 120) return `${Math.round(sec)}s`;
  if (sec < 2 * 3600) return `${Math.round(sec / 60)}m`;
  if (sec < 2 * 86_400) return `${Math.round(sec / 3600)}h`;
  return `${Math.round(sec / 86_400)}d`;
}

/** `replay`'s flags as its messages spell them, and the most a run from the terminal may ask for. */
const CLI_SURFACE: ReplaySurface = {
  optionName: (key) => `--${key.replace(/[A-Z]/g, (upper) => `-${upper.toLowerCase()}`)}`,
  maxTimes: 10_000,
  maxConcurrency: 1024,
  maxTimeoutMs: Number.MAX_SAFE_INTEGER,
};

/** After Ctrl-C, how long requests already sent may take to answer before they are cut short. */
const IN_FLIGHT_GRACE_MS = 5_000;

function parseSpeed(text: string): number {
  const speed = Number(text);
  if (!Number.isFinite(speed) || speed <= 0) throw badInput(`Invalid --speed "${text}": expected a number above 0, e.g. --speed 3600 (an hour per second)`);
  return speed;
}

function selectorOf(ids: readonly string[], flags: ReplayFlags): ReplaySelector {
  const filterFlags = [flags.path, flags.type, flags.verification, flags.status, flags.since, flags.limit];
  const hasFilter = flags.last !== undefined || filterFlags.some((f) => f !== undefined);
  if (ids.length > 0) {
    if (hasFilter) throw badInput("Give event ids or selectors (--last, --since, --status, ...), not both");
    return { kind: "ids", ids };
  }
  if (!hasFilter && flags.provider === undefined) {
    throw badInput("Which events? Give ids (hooktape replay 01JD3...), --last [n], or filters such as --provider stripe --since 1h");
  }
  const last = flags.last === undefined ? undefined : flags.last === true ? "1" : String(flags.last);
  if (last !== undefined && flags.limit !== undefined) throw badInput("--last and --limit both set how many events; use one");
  const filter = parseEventFilter({ ...flags, limit: last ?? flags.limit }, Date.now(), 0);
  if (last !== undefined && filter.limit === 0) throw badInput(`Invalid --last "${last}": expected 1 or more`);
  return { kind: "filter", filter };
}

/** The URL(s) a plan sends to, as the handler will see them: one URL, or the first and how many others. */
function destinationsOf(plan: ReplayPlan): string {
  const urls = [...new Set(plan.deliveries.map((d) => d.first.url))];
  const [first] = urls;
  if (urls.length <= 1) return first ?? "";
  return `${first} and ${urls.length - 1} other URL${urls.length === 2 ? "" : "s"}`;
}

export async function runReplayCommand(ids: string[], flags: ReplayFlags): Promise<void> {
  const output = outputFor(flags);
  // Parse every flag before touching the database, so bad input is exit 2 with nothing sent.
  const { selector, choices, speed, seed, hmac, secrets } = parseReplayFlags(ids, flags, output);
  const store = openStore(flags);
  const agent = createDeliveryAgent(choices.concurrency);
  try {
    const selection = selectEvents(store, selector);
    if (selection.skipped.length > 0) {
      output.warn(`${selection.skipped.length} matching event(s) were rejected as too large when captured and have no body; skipped`);
    }
    const signing = await loadRunSigning(selection.events, flags, choices, hmac, secrets);
    const plan = planReplay(selection.events, replayOptionsOf(choices, { resign: flags.resign === true, order: flags.order, seed, ...signing }), {
      now: Date.now(),
    });
    for (const { reason } of plan.skipped) output.warn(`not sent: ${reason}`);
    output.info(describeRun(plan, choices));
    const result = await sendWithProgress(plan, { store, dispatcher: agent, concurrency: choices.concurrency, speed }, output);
    reportOutcome(plan, result, choices, output);
  } finally {
    await agent.close();
    store.close();
  }
}

/** Every flag read and checked: which events, what to do with them, how fast, and the shuffle's seed. */
function parseReplayFlags(ids: readonly string[], flags: ReplayFlags, output: Output) {
  parseProviderFlag(flags.provider);
  const selector = selectorOf(ids, flags);
  const bodyEdits: BodyEdit[] = [
    ...(flags.set ?? []).map((text) => ({ op: "set" as const, ...parseSetFlag(text), create: flags.create === true })),
    ...(flags.unset ?? []).map((path) => {
      parseJsonPath(path, "--unset");
      return { op: "unset" as const, path };
    }),
  ];
  const choices = parseReplayChoices(flags, bodyEdits, CLI_SURFACE);
  if (flags.create && bodyEdits.every((edit) => edit.op !== "set")) throw badInput("--create goes with --set: it lets --set add a path that is not in the body");
  const speed = parseSpeed(flags.speed);
  const seed = flags.seed === undefined ? randomInt(0, 2 ** 31) : parseInteger(flags.seed, "--seed", 0, 2 ** 32 - 1);
  const hmac = hmacSettingsFrom(flags);
  const secrets = createSecretBook({ flagValues: flags.secret ?? [], env: process.env, namedProvider: flags.provider });
  if (flags.seed !== undefined && flags.order !== "shuffle") {
    output.warn(`--seed only orders a shuffle; it does nothing with --order ${flags.order} (add --order shuffle)`);
  }
  return { selector, choices, speed, seed, hmac, secrets };
}

/**
 * How this run signs: the providers it signs with (each event's, else --provider) and the --retry one, loaded and
 * only those — the catalogue is a hundred modules. One provider object per id for the run; planning stays synchronous.
 */
async function loadRunSigning(
  events: readonly ReplayableEvent[],
  flags: ReplayFlags,
  choices: ReplayChoices,
  hmac: ReturnType<typeof hmacSettingsFrom>,
  secrets: SecretBook,
): Promise<Omit<ReplayRunSettings<ReplayableEvent>, "resign" | "order" | "seed">> {
  const providerIdOf = (event: ReplayableEvent) => event.provider ?? flags.provider?.toLowerCase();
  const providerIds = [...new Set(events.map(providerIdOf))].filter((id) => id !== undefined);
  const retry = choices.retry;
  const [retryProvider, ...loaded] = await Promise.all([
    retry?.kind === "provider" ? loadProvider(retry.providerId) : undefined,
    ...providerIds.map((id) => loadProvider(id, { hmac })),
  ]);
  const providers = new Map(providerIds.map((id, i) => [id, loaded[i] ?? null]));
  return {
    providerOf: (event) => {
      const id = providerIdOf(event);
      return id === undefined ? null : (providers.get(id) ?? null);
    },
    // Each event is re-signed as the provider its headers claimed: an unnamed --secret serves that provider when
    // --provider names it, or when it verifies the event's own signature.
    secretsOf: (providerId, event) => [
      ...secrets.signing(providerId, (secret) => {
        const provider = providers.get(providerId);
        return provider !== undefined && provider !== null && eventSignedWith(provider, event, secret);
      }),
    ],
    secretEnvOf: secretEnvName,
    retryProvider,
  };
}

/** The line that says what is about to be sent: how many, where, how many at a time, in what order. */
function describeRun(plan: ReplayPlan, choices: ReplayChoices): string {
  const { times, concurrency } = choices;
  return (
    `Replaying ${plan.eventCount} event${plan.eventCount === 1 ? "" : "s"}` +
    (times > 1 ? ` × ${times}` : "") +
    ` to ${destinationsOf(plan)}` +
    (concurrency > 1 ? `, ${concurrency} at a time` : "") +
    (plan.seed !== null ? `, shuffled with seed ${plan.seed} (repeat with --seed ${plan.seed})` : plan.order === "reverse" ? ", newest first" : "")
  );
}

/** Runs the plan with a progress line and each scheduled retry shown; the first Ctrl-C stops sending, the second quits. */
async function sendWithProgress(plan: ReplayPlan, run: Pick<RunOptions, "store" | "dispatcher" | "concurrency" | "speed">, output: Output): Promise<ReplayResult> {
  const progress = createProgress();
  progress.update(`Replaying: 0/${plan.deliveries.length} deliveries done`);
  const interrupts = watchInterrupts({
    onFirst: () => {
      progress.stop();
      output.info(`Stopping: nothing new is sent; requests in flight get up to ${IN_FLIGHT_GRACE_MS / 1000} s to finish (Ctrl-C again to quit now)…`);
    },
    onSecond: () => progress.stop(),
  });
  try {
    return await runReplay(plan, {
      ...run,
      signal: interrupts.signal,
      inFlightGraceMs: IN_FLIGHT_GRACE_MS,
      onEvent: (event) => {
        if (event.type === "attempt") {
          progress.update(`Replaying: ${event.done}/${event.total} deliveries done`);
        } else if (!output.json) {
          const got = event.status !== null ? String(event.status) : deliveryErrorInWords(event.error);
          output.info(output.color.dim(`${event.eventId} ${event.deliveryId}: ${got}; attempt ${event.attempt} in ${formatWait(event.plannedAt - Date.now())}`));
        }
      },
    });
  } finally {
    progress.stop();
    interrupts.dispose();
  }
}

/** Prints the summary (or the --json document) and turns the result into the exit status: 130, 1, or 0. */
function reportOutcome(plan: ReplayPlan, result: ReplayResult, choices: ReplayChoices, output: Output): void {
  const c = output.color;
  const { target, expectation } = choices;
  const passes = (attempt: ReplayAttempt) => expectation.matches(attempt.status);
  if (output.json) output.document(replayJson(plan, result, passes));
  else {
    for (const line of formatReplaySummary(plan, result, c, passes, target === null ? "recorded" : targetKeepsOwnPath(target) ? "own-path" : "exact")) output.line(line);
    for (const hint of staleSignatureHints(plan, result, passes, Math.floor(Date.now() / 1000))) output.info(`${c.yellow("hint:")} ${hint}`);
  }
  if (result.interrupted) {
    const { notSent, awaitingRetry, cutShort } = result.unfinished;
    throw interrupted(
      `${result.finals.length - cutShort} of ${plan.deliveries.length} deliveries finished` +
        (cutShort > 0 ? `, ${cutShort} cut short without an answer` : "") +
        (notSent > 0 ? `, ${notSent} not sent` : "") +
        (awaitingRetry > 0 ? `, ${awaitingRetry} waiting for a retry dropped` : "") +
        "; every attempt made is recorded",
    );
  }
  const failed = result.finals.filter((final) => !passes(final)).length;
  const notSent = plan.skipped.length > 0 ? `; ${plan.skipped.length} selected event${plan.skipped.length === 1 ? " was" : "s were"} not sent (see above)` : "";
  if (failed === 0 && notSent !== "") {
    throw new HooktapeError("negative", `${plan.deliveries.length} deliveries sent as expected${notSent}`);
  }
  if (failed > 0) {
    const wrongRoute = result.finals.filter((final) => isWrongRoute(final.status));
    const why = wrongRoute.length > 0 ? ` (${wrongRoute.length} answered ${wrongRoute[0]?.status}: the route is wrong, not a rejection)` : "";
    throw new HooktapeError("negative", `${failed} of ${result.finals.length} deliveries did not end with ${expectation.label}${why}${notSent}`);
  }
}
