import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { configDir, readConfigJsonFile, writePrivateJsonFile } from "../core/config-dir.js";
import { HooktapeError } from "../core/errors.js";
import { trimTrailingSlashes } from "../core/text.js";

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

/**
 * An endpoint `relay channel create --register` made at a provider for a channel: kept until `relay channel delete`,
 * with the signing secret `listen --relay` verifies that channel's events with (this file is 0600, like the tokens).
 */
export interface ChannelRegistration {
  channel: string;
  /** `stripe`, `github:<owner>/<repo>`, `github:org:<org>`. */
  target: string;
  endpoint: string;
  url: string;
  secret: { providerId: string; value: string };
}

interface RelaysFile {
  relays: RelayEntry[];
  registrations: ChannelRegistration[];
}

export function loadRelays(env: NodeJS.ProcessEnv = process.env): RelayEntry[] {
  return loadFile(env).relays;
}

function loadFile(env: NodeJS.ProcessEnv): RelaysFile {
  const parsed = (readConfigJsonFile(relaysFile(env)) ?? {}) as { relays?: unknown; registrations?: unknown };
  return {
    relays: Array.isArray(parsed.relays) ? (parsed.relays as RelayEntry[]) : [],
    registrations: Array.isArray(parsed.registrations) ? (parsed.registrations as ChannelRegistration[]) : [],
  };
}

function saveFile(contents: RelaysFile, env: NodeJS.ProcessEnv): void {
  writePrivateJsonFile(relaysFile(env), contents);
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
  const contents = loadFile(env);
  const relays = contents.relays;
  const matches = (entry: RelayEntry) =>
    "data" in key ? entry.data === resolve(key.data) : entry.worker?.account === key.worker.account && entry.worker?.name === key.worker.name;
  let entry = relays.find(matches);
  if (entry === undefined) {
    entry = { url, adminToken: newAdminToken(), ...("data" in key ? { data: resolve(key.data) } : { worker: key.worker }) };
    relays.push(entry);
  }
  entry.url = trimTrailingSlashes(url);
  saveFile(contents, env);
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

export function saveRegistration(registration: ChannelRegistration, env: NodeJS.ProcessEnv = process.env): void {
  const contents = loadFile(env);
  contents.registrations.push(registration);
  saveFile(contents, env);
}

export function registrationsOf(channel: string, env: NodeJS.ProcessEnv = process.env): ChannelRegistration[] {
  return loadFile(env).registrations.filter((registration) => registration.channel === channel);
}

/** Forgets registrations of a channel (those whose endpoint is gone). */
export function forgetRegistrations(channel: string, endpoints: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const contents = loadFile(env);
  contents.registrations = contents.registrations.filter((registration) => registration.channel !== channel || !endpoints.includes(registration.endpoint));
  saveFile(contents, env);
}
