import { createRequire } from "node:module";
import { Option, type Command } from "commander";
import type { ListenFlags } from "../commands/listen.js";
import { cloudflaredOption, collect, fetchCertsOption, hostOption, resolveSecretOptions } from "../options.js";
import { HooktapeCommand } from "./hooktape-command.js";
import { lazyAction } from "./lazy-action.js";
import { registerRelayCommands } from "./relay-commands.js";
import { registerReplayCommands } from "./replay-commands.js";
import { registerSigningCommands } from "./signing-commands.js";
import { EVENT_TABLE_COLUMNS } from "../views/event-columns.js";
import { describeOption } from "../views/help-text.js";

// The package's own package.json by its name ("exports" lists it): found the same from src/, dist/ and the bundle.
const require = createRequire(import.meta.url);
const { version } = require("hooktape/package.json") as { version: string };

// The modules of `events …` (with its shortcuts `ls` and `show`) and of `tunnel …`, each loaded when one of its commands runs.
const eventCommands = () => import("../commands/events.js");
const tunnelCommands = () => import("../commands/tunnel.js");

/** The whole command tree; each action imports its command module only when it runs. */
export function buildProgram(): HooktapeCommand {
  const program = new HooktapeCommand("hooktape")
    .description("Capture, verify, replay and mutate webhooks locally; check that a handler survives what senders do.")
    .version(version, "-v, --version")
    .option("--db <file>", "the SQLite store (default $HOOKTAPE_DB, else ./.hooktape/hooktape.db)")
    .option("--json", "print JSON (NDJSON for streams) on stdout instead of the human view")
    // Every command's --help ends with the global options (--db, --json), and states defaults as they are typed.
    .configureHelp({ showGlobalOptions: true, optionDescription: describeOption })
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      outputError: (message, write) => write(`hooktape: ${message.replace(/^error: /, "").trim()}\n`),
    })
    .hook("preAction", (_program, action) => resolveSecretOptions(action));

  registerListenCommand(program);
  registerEventCommands(program);
  registerTunnelCommands(program);
  registerUiCommand(program);
  registerTriggerCommand(program);
  registerSigningCommands(program);
  registerReplayCommands(program);
  registerRelayCommands(program);
  return program;
}

/** `listen`: capture, record, verify and forward (its option list is long because listen does all of that). */
function registerListenCommand(program: HooktapeCommand): void {
  program.command("listen")
    .description("capture webhooks (through a Cloudflare quick tunnel), record them, and forward them to your handler")
    .argument("[target]", "where to forward: a port (3000) or a URL (http://localhost:3000/webhooks)")
    .option("--port <n>", "capture server port (default: a free port)")
    .addOption(hostOption("capture server address"))
    .option("--tunnel <hostname>", "run the named tunnel `hooktape tunnel setup <hostname>` made: the same https URL every run")
    .option("--no-tunnel", "do not open a public tunnel; capture on the local URL only")
    .addOption(
      new Option("--tunnel-token <token>", "run a named Cloudflare tunnel with this token (needs --public-url); visible in `ps`, prefer the variable or a file").env(
        "HOOKTAPE_TUNNEL_TOKEN",
      ),
    )
    .option("--tunnel-token-file <path>", "read the named tunnel's token from this file")
    .option("--public-url <url>", "the public URL of the named tunnel")
    .addOption(cloudflaredOption())
    .secretOptions("signing secret, repeatable; provider=secret applies to that provider")
    .option("--provider <id>", "verify as this provider (default: detected from the headers)")
    .addOption(fetchCertsOption())
    .option("--ack <status>", "answer the sender at once with this status and forward in the background")
    .option("--timeout <ms>", "forwarding timeout in milliseconds", "30000")
    .option("--max-body <size>", "largest body recorded; larger ones get 413 (GitHub sends up to 25mb)", "5mb")
    .option("--max-store <size>", "the store's cap; past it requests get 507 and are not recorded", "1gb")
    .option("--register <provider>", "point the sender at the public URL for this run: stripe, github:<owner>/<repo> or github:org:<org>")
    .option("--events <list>", "with --register: the events to subscribe, comma-separated (default all)")
    .option("--path <path>", "with --register: the path the sender calls on the public URL, e.g. /webhooks/stripe")
    .option("--allow-live", "with --register stripe: accept a live-mode STRIPE_API_KEY")
    .option("--on-url <command>", "run this shell command once the public URL is up ($HOOKTAPE_PUBLIC_URL)")
    .option("--on-exit <command>", "run this shell command when listen stops ($HOOKTAPE_PUBLIC_URL)")
    .option("--handshakes <mode>", "providers' URL-verification handshakes: answer (default: hooktape answers them) or forward-first (the handler first)")
    .option("--no-handshakes", "forward handshakes to the handler like any request")
    .option("--verify-token <token>", "the verify token a handshake checks or hashes, repeatable: meta=, strava= or ebay= (also HOOKTAPE_VERIFY_TOKEN_<META|STRAVA|EBAY>)", collect, [])
    .option("--route <glob=target>", "send matching requests elsewhere, repeatable, first match wins: '/stripe/**=3001' or 'type:invoice.*=3002'", collect, [])
    .option("--only <type-glob>", "forward only events whose type matches, repeatable ('invoice.*'); the others are recorded and answered 200", collect, [])
    .option("--ui", "also serve the local web inspector (default port 4040)")
    .option("--ui-port <n>", "the inspector's port (implies --ui)")
    .option("--ui-host <addr>", "the inspector's address (implies --ui; default 127.0.0.1)")
    .option("--relay <channel url>", "follow a relay channel instead of a tunnel: what arrived while away, then live (token: HOOKTAPE_RELAY_TOKEN or --relay-token-file)")
    .option("--relay-token-file <path>", "with --relay: read the channel's token from this file")
    .option("--resign-stale", "with --relay: re-sign events past their provider's tolerance with your secret before forwarding")
    .hmacOptions()
    .action(async (target: string | undefined, _options: unknown, command: Command) => {
      const { runListen } = await import("../commands/listen.js");
      // `--tunnel <hostname>` and `--no-tunnel` share one commander attribute: a string, false, or absent (on).
      const flags = command.optsWithGlobals<Omit<ListenFlags, "tunnel"> & { tunnel?: string | false }>();
      await runListen(target, { ...flags, tunnel: flags.tunnel !== false, tunnelHostname: typeof flags.tunnel === "string" ? flags.tunnel : undefined });
    });
}

/** `events list|show|prune|export`, and the `ls` and `show` shortcuts. */
function registerEventCommands(program: HooktapeCommand): void {
  const events = program.command("events").description("look at captured events");
  const listDescription = "list the newest captured events (20 unless --limit), the oldest of them at the top";
  declareEventsList(events.command("list").alias("ls"), listDescription);
  declareEventsList(program.command("ls"), `alias of \`events list\`: ${listDescription}`);
  declareEventsShow(events.command("show"), "show one event: request, verification, every delivery attempt");
  declareEventsShow(program.command("show"), "alias of `events show`");
  events.command("prune")
    .description("delete events older than a duration, with their deliveries")
    .requiredOption("--older-than <duration>", "e.g. 7d, 12h")
    .action(lazyAction(eventCommands, "runEventsPrune"));
  events.command("export")
    .description("write events as NDJSON (headers, body, deliveries)")
    .filterOptions("0")
    .option("--out <file>", "write to this file (mode 0600) instead of stdout")
    .option("--force", "with --out: overwrite an existing file")
    .option("--include-credentials", "keep Authorization, Cookie and API-key headers (redacted by default)")
    .action(lazyAction(eventCommands, "runEventsExport"));
}

/** `tunnel setup|list|delete`: a named Cloudflare tunnel on the user's own account. */
function registerTunnelCommands(program: HooktapeCommand): void {
  const tunnel = program.command("tunnel").description("a named Cloudflare tunnel on your own account: the same https URL every run");
  tunnel.command("setup")
    .description("once: cloudflared tunnel login, create and route dns; then `listen --tunnel <hostname>`")
    .argument("<hostname>", "a name in a zone on your Cloudflare account, e.g. hooks.example.com")
    .addOption(cloudflaredOption())
    .action(lazyAction(tunnelCommands, "runTunnelSetup"));
  tunnel.command("list")
    .description("the named tunnels set up on this machine")
    .action(lazyAction(tunnelCommands, "runTunnelList"));
  tunnel.command("delete")
    .description("delete a named tunnel (cloudflared tunnel delete) and forget it")
    .argument("<hostname>", "the hostname given to `tunnel setup`")
    .addOption(cloudflaredOption())
    .action(lazyAction(tunnelCommands, "runTunnelDelete"));
}

/** `ui`: the local web inspector over the store. */
function registerUiCommand(program: HooktapeCommand): void {
  program.command("ui")
    .description("the local web inspector over the store: live list, search, replay, edit and replay, export")
    .option("--port <n>", "port (default 4040, else a free one)")
    .addOption(hostOption("address to listen on"))
    .secretOptions("signing secret for re-signed replays, repeatable; provider=secret applies to that provider")
    .option("--provider <id>", "re-sign events of unknown provider as this one")
    .option("--new-token", "replace the store's inspector token: tabs opened with the old URL are locked out")
    .hmacOptions()
    .action(lazyAction(() => import("../commands/ui.js"), "runUi"));
}

/** `trigger`: one realistic, signed delivery of a provider's event type. */
function registerTriggerCommand(program: HooktapeCommand): void {
  program.command("trigger")
    .description("send one realistic, signed delivery of a provider's event type to your handler (or through the running listen)")
    .argument("<provider>", "the provider (see `hooktape providers`)")
    .argument("[event-type]", "the event type, e.g. pull_request.opened, invoice.paid, orders/create (see --list)")
    .option("--list", "list the event types hooktape can send for the provider")
    .option("--to <url|port>", "the handler (default: the capture URL of the running `hooktape listen` on this store)")
    .option("--path <path>", "the request path sent with a port or origin --to, and through listen (default /webhooks/<provider>)")
    .secretOptions("the signing secret (default $HOOKTAPE_SECRET_<PROVIDER>); provider=secret allowed")
    .option("--set <path=json>", "set a JSON value in the payload before signing, e.g. data.object.amount=500", collect)
    .option("--create", "let --set add a path that is not in the payload")
    .option("--unset <path>", "remove a JSON value from the payload before signing", collect)
    .option("--body-file <path>", "send this body instead of the example (signed as it is)")
    .addOption(new Option("--format <format>", "send it, or print a signed fixture").choices(["send", "fixture"]).default("send"))
    .option("--out <file>", "with --format fixture: write the fixture to this file")
    .option("--force", "with --out: overwrite an existing file")
    .option("--timeout <ms>", "how long to wait for the answer", "30000")
    .action(lazyAction(() => import("../commands/trigger.js"), "runTrigger"));
}

/** `events list` and its shortcut `ls`: the filters, and the table's columns explained after the options. */
function declareEventsList(command: HooktapeCommand, description: string): void {
  const columns = EVENT_TABLE_COLUMNS.map(([title, meaning]) => `  ${title.padEnd(10)} ${meaning}`).join("\n");
  command.description(description)
    .filterOptions("20")
    .addHelpText("after", `\nColumns, in order:\n${columns}\n`)
    .action(lazyAction(eventCommands, "runEventsList"));
}

/** `events show` and its shortcut `show`. */
function declareEventsShow(command: HooktapeCommand, description: string): void {
  command.description(description)
    .argument("<id>", "event id (or a unique prefix)")
    .option("--body", "write the raw body bytes to stdout")
    .option("--force", "with --body: write binary or control characters to a terminal too")
    .action(lazyAction(eventCommands, "runEventsShow"));
}
