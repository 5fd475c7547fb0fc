import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { HooktapeError } from "../core/errors.js";
import { trimTrailingSlashes } from "../core/text.js";
import { configDir } from "../tunnel/named-tunnels.js";

/**
 * The relays this user runs: each one's URL and admin token, in `$XDG_CONFIG_HOME/hooktape/relays.json` (else
 * `~/.config/hooktape`), folder 0700, file 0600. The relay itself holds only the token's SHA-256.
 * `relay serve` keys its entry by its data folder (its URL changes with the port), `relay deploy` by the worker.
 */
export interface RelayEntry {
  url: string;
  adminToken: string;
  /** `relay serve --data`: the folder, absolute. */
  data?: string;
  /** `relay deploy`: the account and the worker's name. */
  worker?: { account: string; name: string };
}

/** `HOOKTAPE_RELAY_ADMIN_TOKEN` overrides whatever the config holds. */
export const ADMIN_TOKEN_ENV = "HOOKTAPE_RELAY_ADMIN_TOKEN";

export function relaysFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), "relays.json");
}

export function loadRelays(env: NodeJS.ProcessEnv = process.env): RelayEntry[] {
  const file = relaysFile(env);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new HooktapeError("environment", `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as { relays?: unknown };
    return Array.isArray(parsed.relays) ? (parsed.relays as RelayEntry[]) : [];
  } catch {
    throw new HooktapeError("environment", `${file} is not valid JSON; fix or remove it`);
  }
}

function saveRelays(relays: readonly RelayEntry[], env: NodeJS.ProcessEnv): void {
  const dir = configDir(env);
  const file = relaysFile(env);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify({ relays }, null, 2) + "\n", { mode: 0o600 });
    chmodSync(partial, 0o600);
    renameSync(partial, file);
  } catch (error) {
    throw new HooktapeError("environment", `Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** A fresh admin token: 32 random bytes. */
export function newAdminToken(): string {
  return `hta_${randomBytes(32).toString("base64url")}`;
}

/**
 * The entry matching `key` (its data folder or its worker), made with a fresh admin token when there is none, with its
 * URL set to `url`. The variable overrides the token (a team that shares one relay shares its token).
 */
export function rememberRelay(
  key: { data: string } | { worker: { account: string; name: string } },
  url: string,
  env: NodeJS.ProcessEnv = process.env,
): RelayEntry {
  const relays = loadRelays(env);
  const matches = (entry: RelayEntry) =>
    "data" in key ? entry.data === resolve(key.data) : entry.worker?.account === key.worker.account && entry.worker?.name === key.worker.name;
  let entry = relays.find(matches);
  if (entry === undefined) {
    entry = { url, adminToken: newAdminToken(), ...("data" in key ? { data: resolve(key.data) } : { worker: key.worker }) };
    relays.push(entry);
  }
  entry.url = trimTrailingSlashes(url);
  saveRelays(relays, env);
  const override = env[ADMIN_TOKEN_ENV];
  return override ? { ...entry, adminToken: override } : entry;
}

/** The admin token for the relay at `base`: the variable, else the config's entry for that URL; exit 2 when neither. */
export function adminTokenFor(base: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[ADMIN_TOKEN_ENV];
  if (override) return override;
  const wanted = trimTrailingSlashes(base);
  const entry = loadRelays(env).find((relay) => trimTrailingSlashes(relay.url) === wanted);
  if (entry === undefined) {
    throw new HooktapeError(
      "bad_input",
      `No admin token for the relay ${wanted} in ${relaysFile(env)}; set ${ADMIN_TOKEN_ENV} (the relay's admin token) or run \`hooktape relay serve\` / \`relay deploy\` from this account`,
    );
  }
  return entry.adminToken;
}
