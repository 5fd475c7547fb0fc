import { join } from "node:path";
import { configDir, readConfigJsonFile, writePrivateJsonFile } from "../core/config-dir.js";
import { badInput } from "../core/errors.js";
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
  const parsed = (readConfigJsonFile(tunnelsFile(env)) ?? {}) as Partial<TunnelsFile>;
  return Array.isArray(parsed.tunnels) ? parsed.tunnels : [];
}

export function saveNamedTunnels(tunnels: readonly NamedTunnel[], env: NodeJS.ProcessEnv = process.env): string {
  const file = tunnelsFile(env);
  writePrivateJsonFile(file, { tunnels });
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
