import { readFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { badInput } from "../core/errors.js";

/** Repeatable flags (`--secret a --secret b`) collect into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--secret-file <path>`, beside every `--secret`: repeatable, one secret per line (`provider=` allowed). */
export function secretFileOption(): Option {
  return new Option("--secret-file <path>", "read secrets from a file, one per line (provider=secret allowed), repeatable; keeps them out of `ps`").argParser(
    collect,
  );
}

/** `--host <addr>` of a local server: loopback unless the user opens it wider. */
export function hostOption(description: string): Option {
  return new Option("--host <addr>", description).default("127.0.0.1");
}

/** `--cloudflared <path>`, on every command that runs cloudflared. */
export function cloudflaredOption(): Option {
  return new Option("--cloudflared <path>", "the cloudflared binary (default $CLOUDFLARED_BIN, PATH, or the cache folder)");
}

/** `--fetch-certs`, on the commands that verify a certificate-signed delivery (listen, verify). */
export function fetchCertsOption(): Option {
  return new Option("--fetch-certs", "paypal, sns, circle, ebay: fetch the certificate or key a delivery names, from the provider's own hosts only");
}

/**
 * Before any action: `--secret-file` values join `--secret`'s, `--tunnel-token-file` becomes the token, and a secret
 * typed on the command line gets a hint (on a terminal, once per run) that every local user can read it in `ps`.
 */
export async function resolveSecretOptions(command: Command, stderr: NodeJS.WriteStream = process.stderr): Promise<void> {
  const onCommandLine = ["secret", "tunnelToken"].filter((key) => command.getOptionValueSource(key) === "cli");
  if (onCommandLine.length > 0 && stderr.isTTY) {
    stderr.write(
      "hint: a secret given on the command line is visible to every local user (ps, /proc/<pid>/cmdline); " +
        "use HOOKTAPE_SECRET_<PROVIDER> or --secret-file <path>" +
        (onCommandLine.includes("tunnelToken") ? ", and HOOKTAPE_TUNNEL_TOKEN or --tunnel-token-file <path> for the tunnel" : "") +
        "\n",
    );
  }
  const files = command.getOptionValue("secretFile") as string[] | undefined;
  if (files !== undefined && files.length > 0) {
    // Loaded only when needed: the provider registry is not read at start-up by commands that do not use it.
    const { parseSecretLines } = await import("../secrets/secret-book.js");
    const existing = (command.getOptionValue("secret") as string[] | undefined) ?? [];
    command.setOptionValue("secret", [...existing, ...files.flatMap((file) => parseSecretLines(readSecretFile(file, "--secret-file")))]);
  }
  const tokenFile = command.getOptionValue("tunnelTokenFile") as string | undefined;
  if (tokenFile !== undefined) {
    if (command.getOptionValueSource("tunnelToken") === "cli") throw badInput("Give the tunnel token once: --tunnel-token or --tunnel-token-file");
    const token = readSecretFile(tokenFile, "--tunnel-token-file").trim();
    if (token === "") throw badInput(`--tunnel-token-file ${tokenFile} is empty`);
    command.setOptionValueWithSource("tunnelToken", token, "config");
  }
  // An empty variable (`HOOKTAPE_TUNNEL_TOKEN=` in a shell or a CI file) is an unset one: a quick tunnel, not a named one.
  const token = command.getOptionValue("tunnelToken") as string | undefined;
  if (token !== undefined && token.trim() === "") {
    if (command.getOptionValueSource("tunnelToken") === "cli") throw badInput("--tunnel-token is empty; pass the named tunnel's token, or leave the flag out for a quick tunnel");
    command.setOptionValue("tunnelToken", undefined);
  }
  // A token exported for other runs does not contradict `--no-tunnel`: it is simply not used.
  if (command.getOptionValue("tunnel") === false && command.getOptionValueSource("tunnelToken") === "env") {
    command.setOptionValue("tunnelToken", undefined);
  }
}

/** A file holding a secret (`--secret-file`, a token file): its text, or exit 2 saying why it cannot be read. */
export function readSecretFile(file: string, flag: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw badInput(`Cannot read ${flag} ${file}: ${code === "ENOENT" ? "no such file" : (code ?? String(error))}`);
  }
}
