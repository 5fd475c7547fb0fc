import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { withoutSecrets } from "../core/child-env.js";
import { OutputTail } from "./output-tail.js";
import { TunnelError } from "./tunnel-error.js";

/**
 * cloudflared's account subcommands (`tunnel login`, `create`, `route dns`, `delete`), as `hooktape tunnel` drives
 * them. Their output is parsed by the lines cloudflared prints (cmd/cloudflared/tunnel/subcommands.go):
 *   Tunnel credentials written to /home/me/.cloudflared/<id>.json. cloudflared chose this file …
 *   Created tunnel <name> with id <id>
 *   2024-… INF Added CNAME hooks.example.com which will route to this tunnel tunnelID=<id>
 * and the login prompt: "Please open the following URL and log in with your Cloudflare account:" then the URL.
 */
export interface CloudflaredRun {
  code: number | null;
  lines: string[];
}

export function runCloudflared(
  binary: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; onLine?: (line: string) => void; timeoutMs?: number } = {},
): Promise<CloudflaredRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], env: withoutSecrets(options.env ?? process.env) });
    const lines: string[] = [];
    let partial = "";
    const take = (chunk: Buffer) => {
      const text = partial + chunk.toString("utf8");
      const parts = text.split(/\r?\n/);
      partial = parts.pop() ?? "";
      for (const line of parts) {
        lines.push(line);
        options.onLine?.(line);
      }
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGTERM"), options.timeoutMs) : undefined;
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new TunnelError(`could not run cloudflared at ${binary} (${(error as NodeJS.ErrnoException).code ?? error.message})`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (partial !== "") {
        lines.push(partial);
        options.onLine?.(partial);
      }
      resolve({ code, lines });
    });
  });
}

/** Where cloudflared keeps the account certificate `tunnel login` downloads. */
export function originCertPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TUNNEL_ORIGIN_CERT || join(env.HOME || homedir(), ".cloudflared", "cert.pem");
}

export function isLoggedIn(env: NodeJS.ProcessEnv = process.env): boolean {
  return existsSync(originCertPath(env));
}

/** The browser URL in `tunnel login`'s output. */
export function parseLoginUrl(line: string): string | null {
  const match = /https:\/\/dash\.cloudflare\.com\/\S+/.exec(line);
  return match ? match[0] : null;
}

export function parseCreatedTunnel(lines: readonly string[]): { name: string; id: string; credentialsFile: string | null } | null {
  let created: { name: string; id: string } | null = null;
  let credentialsFile: string | null = null;
  for (const line of lines) {
    const made = /Created tunnel (\S+) with id:? ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.exec(line);
    if (made) created = { name: made[1] as string, id: made[2] as string };
    const written = /Tunnel credentials written to (.+?\.json)/.exec(line);
    if (written) credentialsFile = written[1] as string;
  }
  return created ? { ...created, credentialsFile } : null;
}

/** The last meaningful lines of a failed run, without timestamps, for a one-screen error. */
export function failureTail(run: CloudflaredRun, count = 3): string[] {
  const tail = new OutputTail(200);
  for (const line of run.lines) tail.push(`${line}\n`);
  return tail.tail(count);
}
