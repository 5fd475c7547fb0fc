import { Option } from "commander";
import { collect, fetchCertsOption } from "../options.js";
import type { HooktapeCommand } from "./hooktape-command.js";
import { lazyAction } from "./lazy-action.js";

const SECRET_HELP = "secret, repeatable (rotation); provider=secret applies to that provider (default $HOOKTAPE_SECRET_<ID>)";

// The module of `fixtures export|import`, loaded when one of them runs.
const fixturesCommands = () => import("../commands/fixtures.js");

/** `providers`, `keygen`, `sign`, `verify`, `send`, `fixtures export|import`. */
export function registerSigningCommands(program: HooktapeCommand): void {
  registerProviders(program);
  registerSignatureCommands(program);
  registerFixtures(program);
}

/** `providers` and `keygen`: what hooktape signs and verifies, and a key pair to test an asymmetric scheme with. */
function registerProviders(program: HooktapeCommand): void {
  program.command("providers")
    .description("list the providers hooktape signs and verifies")
    .action(lazyAction(() => import("../commands/providers.js"), "runProviders"));

  program.command("keygen")
    .description("print a test key pair for an asymmetric scheme (discord, sendgrid, telnyx; paypal, sns, circle, ebay with a certificate or key id)")
    .requiredOption("--provider <id>", "discord, sendgrid, telnyx, paypal, sns, circle or ebay")
    .action(lazyAction(() => import("../commands/keygen.js"), "runKeygen"));
}

/** `sign`, `verify` and `send`: a delivery's signature made, checked, and sent to a handler. */
function registerSignatureCommands(program: HooktapeCommand): void {
  program.command("sign")
    .description("print the headers a real delivery of a provider carries for a body, signed with your secret")
    .requiredOption("--provider <id>", "the provider whose scheme signs (see `hooktape providers`)")
    .secretOptions(SECRET_HELP + "; for discord/sendgrid/paypal/sns/circle/ebay the private key")
    .option("--body <text>", "the body, exactly as it will be sent")
    .option("--body-file <path>", "read the body from a file (bytes as they are)")
    .option("--event <id>", "sign the body (and headers) of a captured event")
    .option("--timestamp <unix seconds>", "the time the signature claims (default now)")
    .option("--id <message id>", "message id, for schemes that sign one (default a fresh msg_...)")
    .option("--url <url>", "the full URL the sender calls, for schemes that sign it (Twilio, Square)")
    .option("--method <method>", "HTTP method", "POST")
    .option("--path <path>", "request path for --format fixture and curl (default /)")
    .option("--header <header>", 'extra header "Name: value", repeatable; overrides the scheme\'s own', collect, [])
    .addOption(new Option("--format <format>", "output: headers (Name: value lines), fixture or curl").choices(["headers", "fixture", "curl"]).default("headers"))
    .option("--out <file>", "with --format fixture: write the fixture to this file")
    .option("--force", "with --out: overwrite an existing file")
    .hmacOptions()
    .action(lazyAction(() => import("../commands/sign.js"), "runSign"));

  program.command("verify")
    .description("check the signature of a fixture, a captured event, or a raw request; exit 0 valid, 1 invalid")
    .option("--fixture <file>", "a fixture file")
    .option("--event <id>", "a captured event (checked at the time it was received)")
    .option("--header <header>", 'a raw request\'s header, "Name: value" (repeatable), with --body, --body-file or the body on stdin', collect, [])
    .option("--body <text>", "the raw request's body")
    .option("--body-file <path>", "the raw request's body, byte for byte")
    .option("--method <method>", "the raw request's method (default POST)")
    .option("--provider <id>", "verify as this provider (default: the fixture's, else detected from the headers)")
    .secretOptions(SECRET_HELP + "; for discord/sendgrid the public key, for paypal/sns the certificate (paypal: <webhook id>:<certificate>)")
    .option("--tolerance <duration>", "accepted timestamp age, e.g. 5m (default: the provider's)")
    .option("--now <unix seconds>", "check as if it were this time (default: when the event was received; now for fixtures)")
    .option("--url <url>", "the URL the sender called, for schemes that sign it")
    .addOption(fetchCertsOption())
    .hmacOptions()
    .action(lazyAction(() => import("../commands/verify.js"), "runVerify"));

  program.command("send")
    .description("send fixtures to a handler, as they are or re-signed with a fresh timestamp")
    .argument("<fixture...>", "fixture files")
    .requiredOption("--to <url|port>", "where to send: a port (3000) or a URL (http://localhost:3000/webhooks)")
    .option("--resign", "sign again with the current time (needs the secret)")
    .secretOptions(SECRET_HELP)
    .option("--provider <id>", "sign as this provider (default: the fixture's)")
    .option("--url <url>", "with --resign, for URL-signing schemes: the public URL to sign (default the URL sent to)")
    .option("--expect <status>", "the answer that counts as success (400, 4xx); default any 2xx")
    .option("--timeout <ms>", "per request", "10000")
    .hmacOptions()
    .action(lazyAction(() => import("../commands/send.js"), "runSend"));
}

/** `fixtures export` and `fixtures import`. */
function registerFixtures(program: HooktapeCommand): void {
  const fixtures = program.command("fixtures").description("turn captured events into fixture files and back");
  fixtures.command("export")
    .description("write captured events as fixtures <dir>/<event id>.json, credentials redacted")
    .argument("<id...>", "event ids (or unique prefixes)")
    .requiredOption("--dir <dir>", "the folder to write into (created if missing)")
    .option("--force", "overwrite existing files")
    .action(lazyAction(fixturesCommands, "runFixturesExport"));
  fixtures.command("import")
    .description("record fixtures as captured events (received at their capture or signing time)")
    .argument("<file...>", "fixture files")
    .option("--provider <id>", "the provider, for fixtures that name none")
    .secretOptions(SECRET_HELP + "; used to record the verification result")
    .hmacOptions()
    .action(lazyAction(fixturesCommands, "runFixturesImport"));
}
