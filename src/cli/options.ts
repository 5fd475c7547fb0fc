import { Option, type Command } from "commander";

/** Repeatable flags (`--secret a --secret b`) collect into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The `hmac` scheme's settings, on every command that verifies or signs. */
export function addHmacOptions(command: Command): Command {
  return command
    .option("--hmac-header <name>", "generic hmac: signature header (default X-Signature)")
    .addOption(new Option("--hmac-algorithm <algorithm>", "generic hmac: algorithm (default sha256)").choices(["sha1", "sha256", "sha512"]))
    .addOption(new Option("--hmac-encoding <encoding>", "generic hmac: encoding (default hex)").choices(["hex", "base64"]))
    .option("--hmac-prefix <prefix>", 'generic hmac: prefix before the signature (default "sha256=")');
}

/** The `events list` filters, shared with `replay` as selectors. */
export function addFilterOptions(command: Command, defaultLimit: string | undefined): Command {
  return command
    .option("--limit <n>", `how many events, newest first; 0 for all${defaultLimit ? ` (default ${defaultLimit})` : ""}`)
    .option("--provider <id>", "only this provider")
    .option("--path <glob>", "only paths matching the glob (* within a segment, ** across)")
    .option("--verification <state>", "valid, invalid, missing or unverified")
    .option("--status <status>", "handler status: a code (404), a class (2xx, 4xx, 5xx) or failed")
    .option("--since <when>", "received since a duration ago (1h, 30m) or an ISO time");
}
