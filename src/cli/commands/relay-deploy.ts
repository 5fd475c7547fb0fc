import { badInput } from "../../core/errors.js";
import { deployRelay } from "../../relay/deploy.js";
import { rememberRelay } from "../../relay/relay-config.js";
import { outputFor, type GlobalFlags } from "../context.js";
import { readSecretFile } from "../options.js";
import { compileWasmWithBaselineOnly } from "../../core/wasm-compiler.js";

// Sends a few requests and exits: WebAssembly compiled by the baseline compiler only.
compileWasmWithBaselineOnly();

export interface RelayDeployFlags extends GlobalFlags {
  name: string;
  apiTokenFile?: string;
}

/** `relay deploy`: the worker on the user's Cloudflare account; its admin token kept in the user's config. */
export async function runRelayDeploy(flags: RelayDeployFlags): Promise<void> {
  const output = outputFor(flags);
  // The API token comes from the environment or a file, never from argv (`ps` shows argv to every local user).
  const apiToken = (flags.apiTokenFile !== undefined ? readSecretFile(flags.apiTokenFile, "--api-token-file") : (process.env.CLOUDFLARE_API_TOKEN ?? "")).trim();
  if (apiToken === "") {
    throw badInput("relay deploy needs a Cloudflare API token with Workers Scripts: Edit: set CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID) or pass --api-token-file <path>");
  }
  const spinner = output.spinner("Deploying the relay to Cloudflare…");
  try {
    const deployed = await deployRelay({
      apiToken,
      accountId: process.env.CLOUDFLARE_ACCOUNT_ID,
      name: flags.name,
      apiBase: process.env.HOOKTAPE_CLOUDFLARE_API_BASE,
      adminTokenFor: (worker, url) => rememberRelay({ worker }, url, process.env).adminToken,
    });
    spinner.succeed(`Deployed ${deployed.name}`);
    if (output.json) {
      output.document(deployed);
      return;
    }
    output.line(`${output.color.bold("Relay")}  ${output.color.cyan(deployed.url)}`);
    output.line(output.color.dim(`Next: hooktape relay channel create --relay ${deployed.url}`));
  } catch (error) {
    spinner.stop();
    throw error;
  }
}
