import { collect, hostOption, secretFileOption } from "../options.js";
import type { HooktapeCommand } from "./hooktape-command.js";
import { lazyAction } from "./lazy-action.js";

const RELAY_HELP = `
A relay keeps capturing while your laptop is off: a small server at a stable URL stores every webhook and hands
it to every \`hooktape listen --relay\` that follows it, each from where it left off. It runs on Cloudflare Workers
with a Durable Object per channel (\`relay deploy\`), or locally in workerd (\`relay serve\`).

  hooktape relay deploy                                # once: https://hooktape-relay.<you>.workers.dev
  hooktape relay channel create --relay <relay url>    # a sender URL and a read token
  HOOKTAPE_RELAY_TOKEN=<token> hooktape listen 3000 --relay <sender url>

See docs/relay.md.`;

// The module of `relay serve|status` and `relay channel …`, loaded when one of them runs.
const relayCommands = () => import("../commands/relay.js");

/** `hooktape relay …`: serve, deploy, channel create|list|delete, status. */
export function registerRelayCommands(program: HooktapeCommand): void {
  const relay = program.command("relay").description("a relay that keeps capturing while the laptop is off (Cloudflare Workers, or workerd locally)").addHelpText("after", RELAY_HELP);
  relay.command("serve")
    .description("run the relay in workerd on this machine, its state in --data")
    .option("--port <n>", "port (default: a free port)")
    .addOption(hostOption("address to listen on"))
    .option("--data <dir>", "where the channels are stored", ".hooktape/relay")
    .option("--workerd <path>", "the workerd binary (default $HOOKTAPE_WORKERD, the installed workerd package, or the cache folder)")
    .action(lazyAction(relayCommands, "runRelayServe"));
  relay.command("deploy")
    .description("upload the relay to your Cloudflare account (CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID) and print its URL")
    .option("--name <worker>", "the worker's name", "hooktape-relay")
    .option("--api-token-file <path>", "read the Cloudflare API token from this file instead of CLOUDFLARE_API_TOKEN")
    .action(lazyAction(() => import("../commands/relay-deploy.js"), "runRelayDeploy"));
  relay.command("status")
    .description("a channel's size, oldest event, and backlog per consumer")
    .argument("<channel url>", "the channel's sender URL")
    .option("--relay-token-file <path>", "read the channel's token from this file (default $HOOKTAPE_RELAY_TOKEN, else the admin token)")
    .action(lazyAction(relayCommands, "runRelayStatus"));

  const channel = relay.command("channel").description("make, list and delete a relay's channels (the admin token)");
  channel.command("create")
    .description("a channel with an unguessable id: prints its sender URL and its read token")
    .requiredOption("--relay <url>", "the relay's URL (relay serve / relay deploy printed it)")
    .option("--respond <mode>", "stored: 200 once stored; live: the handler's own answer while a listen is connected, else 202", "stored")
    .option("--retention <duration>", "how long events are kept", "7d")
    .option("--max-size <size>", "the channel's cap; past it senders get 507", "100mb")
    .option("--handshake-secret <provider>", "zoom or twitter: store that provider's secret (HOOKTAPE_SECRET_<ID> or --secret-file) on the channel so that the relay answers its handshake", collect, [])
    .option("--verify-token <token>", "a verify token the relay's handshakes check: meta=, strava= or ebay=, repeatable", collect, [])
    .addOption(secretFileOption())
    .option("--register <provider>", "point the sender at the channel: stripe or github:<owner>/<repo> (kept until `relay channel delete`)")
    .option("--events <list>", "with --register: the events to subscribe, comma-separated (default all)")
    .option("--path <path>", "with --register: the path below the channel URL the sender calls")
    .option("--allow-live", "with --register stripe: accept a live-mode STRIPE_API_KEY")
    .action(lazyAction(relayCommands, "runChannelCreate"));
  channel.command("list")
    .description("the relay's channels")
    .requiredOption("--relay <url>", "the relay's URL")
    .action(lazyAction(relayCommands, "runChannelList"));
  channel.command("delete")
    .description("delete a channel and everything it holds (and the endpoint --register made)")
    .argument("<channel url>", "the channel's sender URL")
    .action(lazyAction(relayCommands, "runChannelDelete"));
}
