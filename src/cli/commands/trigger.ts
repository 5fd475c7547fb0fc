import { existsSync, readFileSync } from "node:fs";
import { HooktapeError, badInput } from "../../core/errors.js";
import { parseJsonPath, type BodyEdit } from "../../core/mutate.js";
import { redactNamed } from "../../core/redact.js";
import { parseInteger } from "../../core/units.js";
import { encodeBody, FIXTURE_VERSION, redactHeaders, serializeFixture, type Fixture } from "../../fixture-files/index.js";
import { createDeliveryAgent, resolveTarget, sendUrlFor } from "../../forward/index.js";
import { loadProvider } from "../../providers/provider-modules.js";
import { secretExample } from "../../providers/secrets.js";
import { createSecretBook, secretEnvName } from "../../secrets/secret-book.js";
import type { Provider } from "../../providers/types.js";
import { secretHeadersOf } from "../../providers/verification.js";
import { defaultDatabasePath, type EventStore, type ListenRun } from "../../store/index.js";
import { closestNames } from "../../trigger/closest-names.js";
import { loadTriggerCatalogue, type TriggerCatalogue } from "../../trigger/catalogue.js";
import { buildTriggerRequest, sendTrigger, type TriggerDestination, type TriggerOutcome } from "../../trigger/send-trigger.js";
import { openStore, outputFor, type GlobalFlags } from "../context.js";
import { parseSetFlag } from "../edit-flags.js";
import { writeOutputFile } from "../output-file.js";
import type { Output } from "../views/output.js";
import { deliveryErrorInWords } from "../../documents/words.js";
import { compileWasmWithBaselineOnly } from "../../core/wasm-compiler.js";

// Sends a few requests and exits: WebAssembly compiled by the baseline compiler only.
compileWasmWithBaselineOnly();

export interface TriggerFlags extends GlobalFlags {
  list?: boolean;
  to?: string;
  path?: string;
  secret: string[];
  set?: string[];
  create?: boolean;
  unset?: string[];
  bodyFile?: string;
  format: "send" | "fixture";
  out?: string;
  force?: boolean;
  timeout: string;
}

/** `hooktape trigger <provider> <event-type>`: one realistic, signed delivery of that type; `--list` the types. */
export async function runTrigger(providerId: string, type: string | undefined, flags: TriggerFlags): Promise<void> {
  const output = outputFor(flags);
  const provider = await loadProvider(providerId.trim().toLowerCase());
  if (provider === undefined) throw badInput(`Unknown provider "${providerId}"; see \`hooktape providers\``);
  const catalogue = await loadTriggerCatalogue(provider);
  if (flags.list) {
    printList(catalogue, output);
    return;
  }
  if (type === undefined) throw badInput(`Which event type? e.g. hooktape trigger ${provider.id} ${catalogue.entries[0]?.type ?? "<type>"} (see --list)`);
  if (!catalogue.entries.some((entry) => entry.type === type)) throw unknownType(catalogue, type);

  // Every flag is read before anything is sent or written: bad input is exit 2 with nothing done.
  // The same path a shipped fixture and check's sample use, so that `--to 3000` reaches the same route for all three.
  const path = flags.path ?? `/webhooks/${provider.id}`;
  if (!path.startsWith("/")) throw badInput(`Invalid --path "${path}": expected a path such as /webhooks/${provider.id}`);
  const timeoutMs = parseInteger(flags.timeout, "--timeout", 1);
  const bodyEdits: BodyEdit[] = [
    ...(flags.set ?? []).map((text) => ({ op: "set" as const, ...parseSetFlag(text), create: flags.create === true })),
    ...(flags.unset ?? []).map((path) => {
      parseJsonPath(path, "--unset");
      return { op: "unset" as const, path };
    }),
  ];
  if (flags.out !== undefined && flags.format !== "fixture") throw badInput("--out writes a fixture: use it with --format fixture");
  const body = flags.bodyFile === undefined ? undefined : readBodyFile(flags.bodyFile);
  const secret = secretFor(provider, flags.secret);
  const to = flags.to === undefined ? null : sendUrlFor(resolveTarget(flags.to, "--to"), path);

  const nowMs = Date.now();
  const draft = catalogue.draft(type, nowMs);
  if (draft === undefined) throw unknownType(catalogue, type);

  if (flags.format === "fixture") {
    // Schemes that sign the URL (Twilio, Square) sign --to's, else a local one; the fixture keeps the URL it signed
    // when --to names it, so that `send` can deliver it as signed.
    const built = buildTriggerRequest(provider, draft, secret, to ?? `http://localhost:3000${path}`, { body, bodyEdits }, nowMs);
    const fixture: Fixture = {
      hooktape: FIXTURE_VERSION,
      provider: provider.id,
      request: {
        method: built.request.method,
        url: to === null ? path : built.request.url,
        headers: redactHeaders(redactNamed(built.request.headers, secretHeadersOf(provider))),
        ...encodeBody(built.request.body),
      },
      signedAt: built.signedAt,
      meta: { eventType: type, source: catalogue.entries.find((entry) => entry.type === type)?.source.name },
    };
    const text = serializeFixture(fixture);
    if (flags.out === undefined) output.bytes(Buffer.from(text));
    else {
      writeOutputFile(flags.out, text, { force: flags.force, flag: "--out" });
      output.info(`Wrote ${flags.out}: a signed ${provider.name} ${type}`);
    }
    return;
  }

  const store = openTriggerStore(flags, to === null);
  const agent = createDeliveryAgent(1);
  let outcome: TriggerOutcome;
  try {
    const destination: TriggerDestination = to !== null ? { kind: "direct", url: to } : listenDestination(store, path);
    const built = buildTriggerRequest(provider, draft, secret, destination.url, { body, bodyEdits }, nowMs);
    outcome = await sendTrigger(provider, built, destination, { store, dispatcher: agent, timeoutMs, secret });
  } finally {
    await agent.close();
    store.close();
  }
  if (output.json) output.document(outcome);
  else output.line(formatOutcome(outcome, output));
  if (outcome.status === null || outcome.status < 200 || outcome.status >= 300) {
    const answer = outcome.status === null ? deliveryErrorInWords(outcome.error) : `${outcome.status}`;
    throw new HooktapeError("negative", `${outcome.via === "listen" ? "through hooktape listen, the handler" : "the handler"} answered ${answer}, not a 2xx`);
  }
}

function printList(catalogue: TriggerCatalogue, output: Output): void {
  const { provider, entries } = catalogue;
  if (output.json) {
    output.document({
      provider: provider.id,
      types: entries.map((entry) => ({ type: entry.type, source: entry.source.name, licence: entry.source.licence, deprecated: entry.deprecated })),
    });
    return;
  }
  if (entries.length === 0) {
    output.info(`hooktape has no event type to send for ${provider.name}${provider.eventType === undefined ? " (it names no event types)" : ""}.`);
    return;
  }
  const c = output.color;
  // One type per line, so that the list pipes into grep; the count and the source go to stderr.
  for (const entry of entries) output.line(entry.deprecated ? `${entry.type}  ${c.dim("(deprecated)")}` : entry.type);
  const sources = [...new Map(entries.map((entry) => [entry.source.name, entry.source])).values()];
  for (const source of sources) {
    output.info(c.dim(`${entries.length} ${provider.name} event types — ${source.name}${source.licence ? ` (${source.licence})` : ""}: ${source.origin}`));
  }
}

function unknownType(catalogue: TriggerCatalogue, type: string): HooktapeError {
  const { provider, entries } = catalogue;
  if (entries.length === 0) return badInput(`hooktape has no event type to send for ${provider.name}`);
  const closest = closestNames(type, entries.map((entry) => entry.type), 3);
  const hint = closest.length > 0 ? `; did you mean ${closest.join(", ")}?` : "";
  return badInput(`Unknown ${provider.name} event type "${type}"${hint} (hooktape trigger ${provider.id} --list shows all ${entries.length})`);
}

function secretFor(provider: Provider, flags: readonly string[]): string {
  // The provider is the one the command names: an unnamed --secret signs for it.
  const secret = createSecretBook({ flagValues: flags, env: process.env, namedProvider: provider.id }).signing(provider.id)[0];
  if (secret === undefined) {
    throw badInput(`no secret to sign ${provider.name} deliveries with: pass --secret ${secretExample(provider, "sign")}, --secret-file, or set ${secretEnvName(provider.id)}`);
  }
  return secret;
}

function readBodyFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw badInput(`Cannot read --body-file ${file}: ${code === "ENOENT" ? "no such file" : (code ?? String(error))}`);
  }
}

/** Without --to the store must already exist: it is where a running listen is found, and it is not created for that. */
function openTriggerStore(flags: TriggerFlags, needsListen: boolean): EventStore {
  if (needsListen && !existsSync(defaultDatabasePath(flags.db, process.env, process.cwd()))) throw noListen(flags);
  return openStore(flags);
}

/** The newest listen of this store whose process is still alive. */
function listenDestination(store: EventStore, path: string): TriggerDestination {
  const run = store.openRuns().find((candidate) => isAlive(candidate.pid));
  if (run === undefined) throw noListen({ db: store.file });
  return { kind: "listen", run, url: sendUrlFor(new URL(run.captureUrl), path) };
}

function noListen(flags: GlobalFlags): HooktapeError {
  return badInput(
    `no running \`hooktape listen\` records into ${flags.db ?? defaultDatabasePath(undefined, process.env, process.cwd())}; start one there, or send straight to your handler with --to 3000`,
  );
}

function isAlive(pid: ListenRun["pid"]): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

function formatOutcome(outcome: TriggerOutcome, output: Output): string {
  const c = output.color;
  const status =
    outcome.status === null
      ? c.red(`failed: ${deliveryErrorInWords(outcome.error)}`)
      : outcome.status < 300
        ? c.green(String(outcome.status))
        : c.red(String(outcome.status));
  const through = outcome.via === "listen" ? c.dim(" through hooktape listen") : "";
  const event = outcome.eventId === null ? "" : `  ${c.dim(outcome.eventId)}`;
  if (outcome.notForwarded === "filtered") {
    return `${c.cyan("trigger")}  ${outcome.provider} ${c.magenta(outcome.eventType ?? "")}  POST ${outcome.url}${through}  ${c.yellow("recorded, not forwarded: listen's --only leaves this type out")}${event}`;
  }
  return `${c.cyan("trigger")}  ${outcome.provider} ${c.magenta(outcome.eventType ?? "")}  POST ${outcome.url}${through}  → ${status}  ${Math.round(outcome.durationMs)} ms${event}`;
}
