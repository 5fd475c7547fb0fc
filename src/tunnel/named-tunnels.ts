import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configDir } from "../core/config-dir.js";
import { HooktapeError, badInput } from "../core/errors.js";
import { trimTrailingSlashes } from "../core/text.js";

/**
 * The named tunnels `hooktape tunnel setup` made: name, id and hostname, in `$XDG_CONFIG_HOME/hooktape/tunnels.json`
 * (else `~/.config/hooktape`), folder 0700, file 0600. Nothing secret is in it: the tunnel's credentials file
 * stays where cloudflared wrote it (~/.cloudflared/<id>.json), and `cloudflared tunnel run <id>` finds it there.
 */
export interface NamedTunnel {
  name: string;
  id: string;
  hostname: string;
  /** Where cloudflared said it wrote the credentials (for the user's information). */
  credentialsFile: string | null;
  createdAt: string;
}

interface TunnelsFile {
  tunnels: NamedTunnel[];
}

export { configDir };

export function tunnelsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), "tunnels.json");
}

/** A DNS hostname a tunnel can route: labels of letters, digits and hyphens, at least two of them. */
export function validateHostname(text: string): string {
  const hostname = trimTrailingSlashes(text.trim().toLowerCase().replace(/^https?:\/\//, ""));
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
  const labels = hostname.split(".");
  if (hostname.length > 253 || labels.length < 2 || !labels.every((part) => label.test(part))) {
    throw badInput(`Invalid hostname "${text}": expected a name in a zone on your Cloudflare account, e.g. hooks.example.com`);
  }
  return hostname;
}

export function loadNamedTunnels(env: NodeJS.ProcessEnv = process.env): NamedTunnel[] {
  const file = tunnelsFile(env);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new HooktapeError("environment", `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<TunnelsFile>;
    return Array.isArray(parsed.tunnels) ? parsed.tunnels : [];
  } catch {
    throw new HooktapeError("environment", `${file} is not valid JSON; fix or remove it`);
  }
}

export function saveNamedTunnels(tunnels: readonly NamedTunnel[], env: NodeJS.ProcessEnv = process.env): string {
  const dir = configDir(env);
  const file = tunnelsFile(env);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify({ tunnels }, null, 2) + "\n", { mode: 0o600 });
    chmodSync(partial, 0o600);
    renameSync(partial, file);
  } catch (error) {
    throw new HooktapeError("environment", `Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return file;
}

export function findNamedTunnel(hostname: string, env: NodeJS.ProcessEnv = process.env): NamedTunnel | null {
  const wanted = validateHostname(hostname);
  return loadNamedTunnels(env).find((tunnel) => tunnel.hostname === wanted) ?? null;
}

/** For `listen --tunnel <hostname>`: the tunnel, or exit 2 saying how to make one. */
export function requireNamedTunnel(hostname: string, env: NodeJS.ProcessEnv = process.env): NamedTunnel {
  const found = findNamedTunnel(hostname, env);
  if (!found) throw badInput(`No named tunnel for ${hostname}; create it once with \`hooktape tunnel setup ${hostname}\``);
  return found;
}

/** cloudflared tunnel names: hooktape's prefix and the hostname with dots as hyphens. */
export function tunnelNameFor(hostname: string): string {
  return `hooktape-${hostname.replace(/[^a-z0-9-]/g, "-")}`;
}
