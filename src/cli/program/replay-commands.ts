import { Option } from "commander";
import { ORDERS } from "../../replay/order.js";
import { collect } from "../options.js";
import type { HooktapeCommand } from "./hooktape-command.js";
import { lazyAction } from "./lazy-action.js";

const REPLAY_HELP = `
Selecting events:
  hooktape replay 01JD3XK2 01JD3XM9        by id (or a unique prefix)
  hooktape replay --last 5                 the 5 most recent
  hooktape replay --provider stripe --since 1h --status 5xx

Paths for --set / --unset: keys separated by dots, array indexes in brackets, and keys that contain dots or
brackets quoted in brackets: data.object.amount, items[0].id, metadata["order.id"]. The value of --set is JSON
(0, true, null, "text", {"a":1}); anything that is not JSON is taken as a string (--set data.object.currency=eur).
The rest of the body is left byte for byte as captured.

Signing: --set, --unset and --stale re-sign (a changed body must carry a valid signature), so they need the
provider's secret, like --resign: --secret <s> or HOOKTAPE_SECRET_<PROVIDER>. Duplicates (--times) are
byte-identical, signed once. Schemes that sign a message id (Standard Webhooks' webhook-id, Svix's svix-id)
keep the captured id on duplicates and on retries, as those senders do, so a handler can deduplicate by it;
retries are re-signed with the time they are sent.

Retries: --retry <provider> follows that provider's published schedule (stripe, standard-webhooks, svix,
shopify, slack with X-Slack-Retry-Num/-Reason, ...; github has none), --retry exp:<first>,<factor>,<attempts>
a custom one (exp:1s,2,5: waits of 1, 2, 4, 8 s). A retry happens on a non-2xx, a connection error or a
timeout; --speed 3600 makes an hour of the schedule pass in a second.

Examples:
  hooktape replay 01JD3 --to 3000
  hooktape replay 01JD3 --times 5 --concurrency 5 --resign
  hooktape replay 01JD3 --set data.object.amount=0 --header "X-Debug: 1" --resign
  hooktape replay 01JD3 --tamper signature --expect 4xx
  hooktape replay 01JD3 --stale 10m --resign --expect 4xx
  hooktape replay --provider stripe --since 1h --order shuffle --resign
  hooktape replay 01JD3 --retry stripe --speed 3600

Exit status: 0 when every delivery ended with a 2xx (or --expect), 1 otherwise, 2 for bad input or when no
events match.`;

const CHECK_HELP = `
For each fixture (or a built-in sample event of the provider) hooktape checks that the handler:
  accepts a valid delivery (2xx) within the provider's deadline,
  accepts the same event again, sequentially and 5 times at once, without a 5xx (each attempt signed when it is
  sent, as the provider signs its retries),
  rejects (4xx) a tampered signature, a tampered body, a stale timestamp, a missing signature and a wrong secret,
  accepts a delivery signed during a secret rotation (Stripe, Standard Webhooks, Svix),
  rejects a batch whose later item is forged (Adyen),
  accepts the retry that follows a first attempt the sender gave up on.
--probe <url> is read (GET, JSON) before and after each delivery: a new event must change the state it shows once,
a duplicate not at all. After each delivery it is read until it settles (two equal readings --settle apart, 300ms by
default, bounded by the deadline), so a handler that answers first and works in the background is judged on its work.
See docs/check.md.

Examples:
  hooktape check --to 3000 --provider stripe --secret whsec_...
  hooktape check --to http://localhost:3000/webhooks --provider github fixtures/github.json --junit report.xml`;

/** `replay` and `check`. */
export function registerReplayCommands(program: HooktapeCommand): void {
  program.command("replay")
    .description("deliver captured events again: as captured, re-signed, duplicated, mutated, tampered, on a retry schedule")
    .argument("[ids...]", "event ids (or unique prefixes)")
    .filterOptions()
    .option("--last [n]", "the n most recent events (default 1), with the filters")
    .option("--to <url|port>", "where to deliver (default: where each event was first forwarded)")
    .option("--resign", "sign again with the current time (needs the secret)")
    .secretOptions("signing secret, repeatable; provider=secret applies to that provider")
    .option("--times <n>", "deliveries of each event (identical duplicates)", "1")
    .option("--concurrency <k>", "requests in flight at once", "1")
    .option("--set <path=json>", "set a JSON value in the body, e.g. data.object.amount=0 (re-signs)", collect)
    .option("--create", "let --set add a path that is not in the body (without it, a missing path is an error: a typo must not pass)")
    .option("--unset <path>", "remove a JSON value from the body (re-signs)", collect)
    .option("--header <header>", 'set a header, e.g. "X-Debug: 1"', collect)
    .option("--drop-header <name>", "remove a header", collect)
    .addOption(new Option("--tamper <what>", "break one thing after signing; the handler should answer 4xx").choices(["signature", "body", "timestamp"]))
    .option("--stale <duration>", "sign with a timestamp this far in the past, e.g. 10m (re-signs)")
    .option("--retry <schedule>", "retry as a provider does (stripe, svix, ...) or exp:<first>,<factor>,<attempts>")
    .option("--speed <factor>", "divide the retry schedule's waits by this", "1")
    .option("--timeout <ms>", "per attempt (default: the provider's own deadline, e.g. GitHub's 10 s)")
    .addOption(new Option("--order <order>", "order of several events").choices(ORDERS).default("as-captured"))
    .option("--seed <n>", "seed of --order shuffle (printed on every shuffled run)")
    .option("--expect <status>", "the answer each delivery should end with (400, 4xx); default any 2xx")
    .hmacOptions()
    .addHelpText("after", REPLAY_HELP)
    .action(lazyAction(() => import("../commands/replay.js"), "runReplayCommand"));

  program.command("check")
    .description("a conformance run of a webhook handler: valid, duplicate, forged, stale and retried deliveries")
    .argument("[fixtures...]", "fixture files (default: a built-in sample event of the provider)")
    .requiredOption("--to <url|port>", "the handler")
    .requiredOption("--provider <id>", "the provider the handler verifies")
    .secretOptions("the handler's signing secret (default $HOOKTAPE_SECRET_<PROVIDER>)")
    .option("--deadline <ms>", "how fast the handler must answer (default: the provider's deadline)")
    .option("--timeout <ms>", "give up on a request after this long (default: twice the deadline)")
    .option("--probe <url>", "GET returning JSON, read before and after each delivery to prove each event changed state once")
    .option("--settle <duration>", "how long the probe must read the same before a delivery counts as done (default 300ms)")
    .option("--junit <file>", "write a JUnit XML report")
    .option("--force", "no longer needed: --junit rewrites its report on every run")
    .hmacOptions()
    .addHelpText("after", CHECK_HELP)
    .action(lazyAction(() => import("../commands/check.js"), "runCheckCommand"));
}
