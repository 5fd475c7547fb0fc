import { Command, Option } from "commander";
import { collect, secretFileOption } from "../options.js";

/**
 * A commander command with the option groups several commands share as steps of its declaration, so that a command's
 * options read top to bottom in the order `--help` lists them. Its subcommands are of this class too.
 */
export class HooktapeCommand extends Command {
  override createCommand(name?: string): HooktapeCommand {
    return new HooktapeCommand(name);
  }

  /** `--secret <secret>`, repeatable, with what the secret is to this command; `--secret-file <path>` beside it. */
  secretOptions(description: string): this {
    return this.option("--secret <secret>", description, collect, []).addOption(secretFileOption());
  }

  /** The `hmac` scheme's settings, on every command that verifies or signs. */
  hmacOptions(): this {
    return this.option("--hmac-header <name>", "generic hmac: signature header (default X-Signature)")
      .addOption(new Option("--hmac-algorithm <algorithm>", "generic hmac: algorithm (default sha256)").choices(["sha1", "sha256", "sha512"]))
      .addOption(new Option("--hmac-encoding <encoding>", "generic hmac: encoding (default hex)").choices(["hex", "base64"]))
      .option("--hmac-prefix <prefix>", 'generic hmac: prefix before the signature (default "sha256=")');
  }

  /** The `events list` filters, shared with `replay` as selectors (there without a default --limit). */
  filterOptions(defaultLimit?: string): this {
    return this.option("--limit <n>", `how many of the newest events; 0 for all${defaultLimit ? ` (default ${defaultLimit})` : ""}`)
      .option("--provider <id>", "only this provider")
      .option("--path <glob>", "only paths matching the glob (* within a segment, ** across)")
      .option("--type <glob>", "only event types matching the glob (invoice.paid, 'customer.subscription.*', 'orders/*')")
      .option("--verification <state>", "valid, invalid, missing or unverified")
      .option("--status <status>", "handler status: a code (404), a class (2xx, 4xx, 5xx) or failed")
      .option("--since <when>", "received since a duration ago (1h, 30m) or an ISO time");
  }
}
