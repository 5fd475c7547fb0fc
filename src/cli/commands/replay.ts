import { randomInt } from "node:crypto";
import { HooktapeError, badInput } from "../../core/errors.js";
import { isWrongRoute } from "../../core/http-status.js";
import { parseEventFilter, type EventFilterFlags } from "../../core/event-filter.js";
import { parseJsonPath, type BodyEdit } from "../../core/mutate.js";
import type { HeaderPairs } from "../../core/types.js";
import { parseDuration, parseInteger } from "../../core/units.js";
import { createDeliveryAgent, resolveTarget, targetKeepsOwnPath } from "../../forward/index.js";
import { loadProvider } from "../../providers/provider-modules.js";
import { createSecretBook, secretEnvName } from "../../secrets/secret-book.js";
import { eventSignedWith } from "../../providers/event-signature.js";
import {
  parseRetrySpec,
  planReplay,
  runReplay,
  selectEvents,
  type ReplayAttempt,
  type ReplayOrder,
  type ReplayPlan,
  type ReplayResult,
  type ReplaySelector,
  type Tamper,
} from "../../replay/index.js";
import { openStore, outputFor, type GlobalFlags } from "../context.js";
import { parseHeaderFlag, parseSetFlag } from "../edit-flags.js";
import { interrupted, watchInterrupts } from "../interrupt.js";
import { parseProviderFlag } from "../provider-flag.js";
import { createProgress } from "../views/progress.js";
import { formatReplaySummary, replayJson, staleSignatureHints } from "../views/replay-view.js";
import { deliveryErrorInWords } from "../../documents/words.js";
import { hmacSettingsFrom, type HmacFlags } from "./hmac-flags.js";

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

/** What counts as the expected answer: `--expect 400`, `--expect 4xx`, or by default any 2xx. */
export interface Expectation {
  /** As the user wrote it, for messages ("2xx" by default). */
  label: string;
  matches(status: number | null): boolean;
}

/** `--expect 400` or `--expect 4xx`; by default every 2xx passes. `4xx` leaves out 404 and 405 (see isWrongRoute). */
export function parseExpect(text: string | undefined): Expectation {
  if (text === undefined) return { label: "2xx", matches: (status) => status !== null && status >= 200 && status < 300 };
  const value = text.trim().toLowerCase();
  const hundreds = /^([1-5])xx$/.exec(value);
  if (hundreds) {
    const low = Number(hundreds[1]) * 100;
    return { label: value, matches: (status) => status !== null && status >= low && status < low + 100 && !isWrongRoute(status) };
  }
  if (/^[1-5]\d\d$/.test(value)) return { label: value, matches: (status) => status === Number(value) };
  throw badInput(`Invalid --expect "${text}": expected a status (400) or a class (4xx)`);
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
  parseProviderFlag(flags.provider);
  const selector = selectorOf(ids, flags);
  const target = flags.to === undefined ? null : resolveTarget(flags.to, "--to");
  const times = parseInteger(flags.times, "--times", 1, 10_000);
  const concurrency = parseInteger(flags.concurrency, "--concurrency", 1, 1024);
  const bodyEdits: BodyEdit[] = [
    ...(flags.set ?? []).map((text) => ({ op: "set" as const, ...parseSetFlag(text), create: flags.create === true })),
    ...(flags.unset ?? []).map((path) => {
      parseJsonPath(path, "--unset");
      return { op: "unset" as const, path };
    }),
  ];
  const headerSets: HeaderPairs = (flags.header ?? []).map(parseHeaderFlag);
  if (flags.create && bodyEdits.every((edit) => edit.op !== "set")) throw badInput("--create goes with --set: it lets --set add a path that is not in the body");
  const staleMs = flags.stale === undefined ? 0 : parseDuration(flags.stale, "--stale");
  const retry = flags.retry === undefined ? null : parseRetrySpec(flags.retry);
  const speed = parseSpeed(flags.speed);
  const timeoutMs = flags.timeout === undefined ? null : parseInteger(flags.timeout, "--timeout", 1);
  const seed = flags.seed === undefined ? randomInt(0, 2 ** 31) : parseInteger(flags.seed, "--seed", 0, 2 ** 32 - 1);
  const expectation = parseExpect(flags.expect);
  const hmac = hmacSettingsFrom(flags);
  const secrets = createSecretBook({ flagValues: flags.secret ?? [], env: process.env, namedProvider: flags.provider });
  if (flags.seed !== undefined && flags.order !== "shuffle") {
    output.warn(`--seed only orders a shuffle; it does nothing with --order ${flags.order} (add --order shuffle)`);
  }

  const store = openStore(flags);
  const agent = createDeliveryAgent(concurrency);
  try {
    const selection = selectEvents(store, selector);
    // Load the providers this run signs with (each event's, else --provider) and the --retry one, and only those:
    // the catalogue is a hundred modules. One provider object per id for the run; planning stays synchronous.
    const providerIdOf = (event: (typeof selection.events)[number]) => event.provider ?? flags.provider?.toLowerCase();
    const providerIds = [...new Set(selection.events.map(providerIdOf))].filter((id) => id !== undefined);
    const [retryProvider, ...loaded] = await Promise.all([
      retry?.kind === "provider" ? loadProvider(retry.providerId) : undefined,
      ...providerIds.map((id) => loadProvider(id, { hmac })),
    ]);
    const providers = new Map(providerIds.map((id, i) => [id, loaded[i] ?? null]));
    if (selection.skipped.length > 0) {
      output.warn(`${selection.skipped.length} matching event(s) were rejected as too large when captured and have no body; skipped`);
    }
    const plan = planReplay(
      selection.events,
      {
        target,
        resign: flags.resign === true,
        providerOf: (event) => {
          const id = providerIdOf(event);
          return id === undefined ? null : (providers.get(id) ?? null);
        },
        // Each event is re-signed as the provider its headers claimed: an unnamed --secret serves that provider when
        // --provider names it, or when it verifies the event's own signature.
        secretsOf: (providerId, event) =>
          [
            ...secrets.signing(providerId, (secret) => {
              const provider = providers.get(providerId);
              return provider !== undefined && provider !== null && eventSignedWith(provider, event, secret);
            }),
          ],
        secretEnvOf: secretEnvName,
        bodyEdits,
        headerSets,
        headerDrops: flags.dropHeader ?? [],
        tamper: flags.tamper ?? null,
        staleMs,
        times,
        order: flags.order,
        seed,
        retry,
        retryProvider,
        timeoutMs,
      },
      { now: Date.now() },
    );

    const c = output.color;
    for (const { reason } of plan.skipped) output.warn(`not sent: ${reason}`);
    output.info(
      `Replaying ${plan.eventCount} event${plan.eventCount === 1 ? "" : "s"}` +
        (times > 1 ? ` × ${times}` : "") +
        ` to ${destinationsOf(plan)}` +
        (concurrency > 1 ? `, ${concurrency} at a time` : "") +
        (plan.seed !== null ? `, shuffled with seed ${plan.seed} (repeat with --seed ${plan.seed})` : plan.order === "reverse" ? ", newest first" : ""),
    );
    const progress = createProgress();
    progress.update(`Replaying: 0/${plan.deliveries.length} deliveries done`);
    const interrupts = watchInterrupts({
      onFirst: () => {
        progress.stop();
        output.info(`Stopping: nothing new is sent; requests in flight get up to ${IN_FLIGHT_GRACE_MS / 1000} s to finish (Ctrl-C again to quit now)…`);
      },
      onSecond: () => progress.stop(),
    });
    let result: ReplayResult;
    try {
      result = await runReplay(plan, {
        store,
        dispatcher: agent,
        concurrency,
        speed,
        signal: interrupts.signal,
        inFlightGraceMs: IN_FLIGHT_GRACE_MS,
        onEvent: (event) => {
          if (event.type === "attempt") {
            progress.update(`Replaying: ${event.done}/${event.total} deliveries done`);
          } else if (!output.json) {
            const got = event.status !== null ? String(event.status) : deliveryErrorInWords(event.error);
            output.info(c.dim(`${event.eventId} ${event.deliveryId}: ${got}; attempt ${event.attempt} in ${formatWait(event.plannedAt - Date.now())}`));
          }
        },
      });
    } finally {
      progress.stop();
      interrupts.dispose();
    }

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
  } finally {
    await agent.close();
    store.close();
  }
}
