import { HooktapeError, badInput } from "../core/errors.js";
import {
  failureTail,
  isLoggedIn,
  originCertPath,
  parseCreatedTunnel,
  parseLoginUrl,
  runCloudflared,
  type CloudflaredRun,
} from "./cloudflared-cli.js";
import { installCloudflared, type InstallProgress } from "./install-binary.js";
import {
  findNamedTunnel,
  loadNamedTunnels,
  saveNamedTunnels,
  tunnelNameFor,
  validateHostname,
  type NamedTunnel,
} from "./named-tunnels.js";
import { defaultCacheDir, isExecutableFile, resolveCloudflaredBinary } from "./resolve-binary.js";

export interface SetupProgress {
  /** A step starts or ends ("Logged in", "Created tunnel …"). */
  step(message: string): void;
  /** `tunnel login` printed the page the user must open. */
  browserUrl(url: string): void;
  install?: InstallProgress;
}

export interface NamedTunnelOptions {
  binary?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** `tunnel login` waits for the browser; a person may take a while, but not forever. */
const LOGIN_TIMEOUT_MS = 10 * 60_000;
const COMMAND_TIMEOUT_MS = 60_000;

export async function locateCloudflared(options: NamedTunnelOptions, install?: InstallProgress): Promise<string> {
  const env = options.env ?? process.env;
  const cacheDir = defaultCacheDir(env);
  const found = resolveCloudflaredBinary({ binary: options.binary, env, cacheDir });
  if (found === null) return installCloudflared(cacheDir, { progress: install });
  if (!isExecutableFile(found.path)) {
    throw new HooktapeError("environment", `${found.source === "flag" ? "--cloudflared" : found.source === "env" ? "CLOUDFLARED_BIN" : "cloudflared"} points to ${found.path}, which is not an executable file`);
  }
  return found.path;
}

function failed(step: string, run: CloudflaredRun): HooktapeError {
  const tail = failureTail(run);
  return new HooktapeError("environment", [`${step} failed (cloudflared exited with code ${run.code ?? "unknown"})`, ...tail.map((line) => `  > ${line}`)].join("\n"));
}

/**
 * Once per hostname: `cloudflared tunnel login` (skipped when cert.pem is already there), `tunnel create`, `tunnel
 * route dns`, then the tunnel's name, id and hostname saved in hooktape's config. A route that fails deletes the
 * tunnel just created, so that nothing half-made is left on the account.
 */
export async function setupNamedTunnel(hostnameText: string, options: NamedTunnelOptions, progress: SetupProgress): Promise<NamedTunnel & { configFile: string }> {
  const env = options.env ?? process.env;
  const hostname = validateHostname(hostnameText);
  if (findNamedTunnel(hostname, env)) {
    throw badInput(`${hostname} is already set up; \`hooktape listen --tunnel ${hostname}\` uses it (\`hooktape tunnel delete ${hostname}\` to start over)`);
  }
  const binary = await locateCloudflared(options, progress.install);

  if (isLoggedIn(env)) {
    progress.step(`Logged in to Cloudflare already (${originCertPath(env)})`);
  } else {
    progress.step("Logging in to Cloudflare: cloudflared tunnel login");
    let shown = false;
    const login = await runCloudflared(binary, ["tunnel", "login"], {
      env,
      timeoutMs: LOGIN_TIMEOUT_MS,
      onLine: (line) => {
        const url = parseLoginUrl(line);
        if (url && !shown) {
          shown = true;
          progress.browserUrl(url);
        }
      },
    });
    if (login.code !== 0) throw failed("cloudflared tunnel login", login);
    progress.step(`Logged in; cloudflared saved its certificate in ${originCertPath(env)}`);
  }

  const name = tunnelNameFor(hostname);
  const create = await runCloudflared(binary, ["tunnel", "create", name], { env, timeoutMs: COMMAND_TIMEOUT_MS });
  const created = create.code === 0 ? parseCreatedTunnel(create.lines) : null;
  if (created === null) throw failed(`cloudflared tunnel create ${name}`, create);
  progress.step(`Created tunnel ${created.name} (${created.id})`);

  const route = await runCloudflared(binary, ["tunnel", "route", "dns", created.id, hostname], { env, timeoutMs: COMMAND_TIMEOUT_MS });
  if (route.code !== 0) {
    await runCloudflared(binary, ["tunnel", "delete", created.id], { env, timeoutMs: COMMAND_TIMEOUT_MS }).catch(() => undefined);
    throw failed(`cloudflared tunnel route dns ${created.id} ${hostname}`, route);
  }
  progress.step(`Routed ${hostname} to the tunnel (a CNAME to ${created.id}.cfargotunnel.com)`);

  const tunnel: NamedTunnel = { name: created.name, id: created.id, hostname, credentialsFile: created.credentialsFile, createdAt: new Date().toISOString() };
  const configFile = saveNamedTunnels([...loadNamedTunnels(env), tunnel], env);
  return { ...tunnel, configFile };
}

/** `cloudflared tunnel delete <id>` (it also removes the credentials file), then the entry in hooktape's config. */
export async function deleteNamedTunnel(hostnameText: string, options: NamedTunnelOptions, install?: InstallProgress): Promise<NamedTunnel> {
  const env = options.env ?? process.env;
  const hostname = validateHostname(hostnameText);
  const tunnel = findNamedTunnel(hostname, env);
  if (!tunnel) throw badInput(`No named tunnel for ${hostname}; \`hooktape tunnel list\` shows the ones set up`);
  const binary = await locateCloudflared(options, install);
  const run = await runCloudflared(binary, ["tunnel", "delete", tunnel.id], { env, timeoutMs: COMMAND_TIMEOUT_MS });
  // Already deleted on the account (in the dashboard): forget it here too.
  const gone = run.lines.some((line) => /not found|does not exist/i.test(line));
  if (run.code !== 0 && !gone) throw failed(`cloudflared tunnel delete ${tunnel.id}`, run);
  saveNamedTunnels(loadNamedTunnels(env).filter((item) => item.hostname !== hostname), env);
  return tunnel;
}
