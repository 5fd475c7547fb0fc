import { createHmac } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startTargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { startStripeStandIn, type StripeStandIn } from "../register/provider-apis.js";
import { createChannel, follow, post, relayEnv, startRelay } from "./relay-helpers.js";

// `relay channel create --register stripe` against the Stripe API stand-in (the network), the relay in workerd.

const TEST_KEY = "sk_test_51HooktapeStandInKey0000000000abcd";
const apis: StripeStandIn[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.close();
});

describe("relay channel create --register stripe", { timeout: 120_000 }, () => {
  it("points a Stripe endpoint at the channel until `relay channel delete`; listen --relay verifies with its secret, which never reaches the relay", async () => {
    const api = await startStripeStandIn({ keys: [TEST_KEY] });
    apis.push(api);
    const env = { ...relayEnv(), STRIPE_API_KEY: TEST_KEY, HOOKTAPE_STRIPE_API_BASE: api.url };
    const relay = await startRelay(env);
    // Another channel's endpoint on the same relay: a registration never cleans it up.
    const other = await createChannel(relay, env);
    api.seed({ url: `${other.url}/webhooks/stripe`, metadata: { hooktape_run: "dead-run-1-abcdef" } });

    const created = await createChannel(relay, env, ["--register", "stripe", "--path", "/webhooks/stripe", "--events", "customer.updated"]);
    const registered = (created as unknown as { registered: { provider: string; endpoint: string; url: string } }).registered;
    expect(registered).toMatchObject({ provider: "stripe", url: `${created.url}/webhooks/stripe` });
    expect(api.endpoints.map((endpoint) => endpoint.url).sort()).toEqual([`${created.url}/webhooks/stripe`, `${other.url}/webhooks/stripe`].sort());
    const endpoint = api.endpoints.find((item) => item.id === registered.endpoint)!;
    expect(endpoint.enabled_events).toEqual(["customer.updated"]);

    // Stripe delivers to the channel while no laptop follows; the laptop verifies with the endpoint's secret.
    const body = JSON.stringify({ id: "evt_relay_register", object: "event", type: "customer.updated", data: { object: { name: "Zoë" } } }, null, 2);
    const t = Math.floor(Date.now() / 1000);
    const signature = `t=${t},v1=${createHmac("sha256", endpoint.secret).update(`${t}.${body}`).digest("hex")}`;
    expect((await post(registered.url, body, { "content-type": "application/json", "stripe-signature": signature })).status).toBe(200);
    const handler = await startTargetServer();
    const listen = await follow(created, handler.url, path.join(tempDir(), "laptop.db"), { ...env, STRIPE_API_KEY: "" });
    await listen.waitForEvents(1);
    expect(listen.records.find((record) => record.type === "event")).toMatchObject({ provider: "stripe", via: "relay", verification: { status: "valid" } });
    for (const file of readdirSync(relay.data, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())) {
      expect(readFileSync(path.join(file.parentPath, file.name)).includes(endpoint.secret)).toBe(false);
    }
    expect(statSync(path.join(env.XDG_CONFIG_HOME!, "hooktape", "relays.json")).mode & 0o777).toBe(0o600);

    const deleted = await runCli(["relay", "channel", "delete", created.url], { env });
    expect(deleted.code).toBe(0);
    expect(api.endpoints.map((item) => item.url)).toEqual([`${other.url}/webhooks/stripe`]);
    expect(api.calls.filter((call) => call.method === "DELETE").map((call) => call.path)).toEqual([`/v1/webhook_endpoints/${registered.endpoint}`]);
    expect(readFileSync(path.join(env.XDG_CONFIG_HOME!, "hooktape", "relays.json"), "utf8")).not.toContain(endpoint.secret);
  });
});
