import { deleteNamedTunnel, setupNamedTunnel } from "../../tunnel/setup-named-tunnel.js";
import { loadNamedTunnels, tunnelsFile } from "../../tunnel/named-tunnels.js";
import { outputFor, type GlobalFlags } from "../context.js";
import type { Output } from "../views/output.js";

export interface TunnelFlags extends GlobalFlags {
  cloudflared?: string;
}

function installProgress(output: Output) {
  let spinner: ReturnType<Output["spinner"]> | null = null;
  return {
    start: (message: string) => {
      spinner = output.spinner(message);
    },
    succeed: (message: string) => spinner?.succeed(message),
    fail: (message: string) => spinner?.fail(message),
  };
}

export async function runTunnelSetup(hostname: string, flags: TunnelFlags): Promise<void> {
  const output = outputFor(flags);
  const tunnel = await setupNamedTunnel(
    hostname,
    { binary: flags.cloudflared },
    {
      step: (message) => output.info(message),
      browserUrl: (url) => {
        output.info(`Open this page in your browser, log in, and pick the zone of ${hostname}:`);
        output.info(`  ${output.color.cyan(url)}`);
        output.info("(waiting for cloudflared to receive the certificate…)");
      },
      install: installProgress(output),
    },
  );
  if (output.json) {
    output.document({ name: tunnel.name, id: tunnel.id, hostname: tunnel.hostname, url: `https://${tunnel.hostname}`, config: tunnel.configFile });
    return;
  }
  output.line(`Named tunnel ready: https://${tunnel.hostname}`);
  output.line(`  Saved in  ${tunnel.configFile}`);
  output.line(`  Run       hooktape listen 3000 --tunnel ${tunnel.hostname}`);
}

export function runTunnelList(flags: TunnelFlags): void {
  const output = outputFor(flags);
  const tunnels = loadNamedTunnels();
  if (output.json) {
    output.document(tunnels.map((tunnel) => ({ ...tunnel, url: `https://${tunnel.hostname}` })));
    return;
  }
  if (tunnels.length === 0) {
    output.info(`No named tunnels (${tunnelsFile()}); make one with \`hooktape tunnel setup <hostname>\``);
    return;
  }
  for (const tunnel of tunnels) output.line(`https://${tunnel.hostname}  ${tunnel.name}  ${tunnel.id}`);
}

export async function runTunnelDelete(hostname: string, flags: TunnelFlags): Promise<void> {
  const output = outputFor(flags);
  const tunnel = await deleteNamedTunnel(hostname, { binary: flags.cloudflared }, installProgress(output));
  if (output.json) {
    output.document({ deleted: { name: tunnel.name, id: tunnel.id, hostname: tunnel.hostname } });
    return;
  }
  output.line(`Deleted tunnel ${tunnel.name} (${tunnel.id})`);
  output.info(
    `The DNS record ${tunnel.hostname} (CNAME to ${tunnel.id}.cfargotunnel.com) stays in your Cloudflare zone: cloudflared has no command to remove it; delete it in the dashboard (DNS → Records).`,
  );
}
