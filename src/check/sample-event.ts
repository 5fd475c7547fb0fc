import { randomBytes } from "node:crypto";
import type { HeaderPairs } from "../core/types.js";
import type { Provider } from "../providers/types.js";

/** A request `check` sends: a fixture's, or a built-in sample event of the provider. */
export interface CheckSubject {
  /** Shown in the table and the JUnit report (`stripe sample`, `fixtures/stripe.json`). */
  name: string;
  method: string;
  /** Path and query, joined onto `--to`. */
  path: string;
  headers: HeaderPairs;
  body: Buffer;
}

function token(bytes = 9): string {
  return randomBytes(bytes).toString("hex");
}

const JSON_TYPE: [string, string] = ["Content-Type", "application/json"];

/**
 * A plausible event of each provider, with fresh ids on every run so that a handler that keeps state between
 * runs sees a new event (its duplicates are then the ones `check` sends on purpose).
 */
export function sampleSubject(provider: Provider, nowMs: number = Date.now()): CheckSubject {
  const created = Math.floor(nowMs / 1000);
  const json = (value: unknown, headers: HeaderPairs = [JSON_TYPE]): CheckSubject => ({
    name: `${provider.id} sample event`,
    method: "POST",
    path: "/",
    headers,
    body: Buffer.from(JSON.stringify(value), "utf8"),
  });
  switch (provider.id) {
    case "stripe":
      // https://docs.stripe.com/api/events/object
      return json({
        id: `evt_${token()}`,
        object: "event",
        api_version: "2024-06-20",
        created,
        type: "payment_intent.succeeded",
        livemode: false,
        pending_webhooks: 1,
        data: { object: { id: `pi_${token()}`, object: "payment_intent", amount: 2000, currency: "usd", status: "succeeded" } },
      });
    case "github":
      // https://docs.github.com/en/webhooks/webhook-events-and-payloads#ping
      return json(
        { zen: "Keep it logically awesome.", hook_id: Number.parseInt(token(3), 16), hook: { type: "Repository", active: true, events: ["push"] } },
        [JSON_TYPE, ["X-GitHub-Event", "ping"]],
      );
    case "slack":
      // https://api.slack.com/apis/events-api#callback-field
      return json({
        token: "hooktape",
        team_id: "T0HOOKTAPE",
        api_app_id: "A0HOOKTAPE",
        type: "event_callback",
        event_id: `Ev${token(6).toUpperCase()}`,
        event_time: created,
        event: { type: "app_mention", user: "U0HOOKTAPE", text: "hello from hooktape check", ts: `${created}.000100` },
      });
    case "twilio":
      // Twilio posts form fields (https://www.twilio.com/docs/messaging/guides/webhook-request).
      return {
        name: `${provider.id} sample event`,
        method: "POST",
        path: "/",
        headers: [["Content-Type", "application/x-www-form-urlencoded"]],
        body: Buffer.from(`AccountSid=AC${token(16)}&Body=hello+from+hooktape&From=%2B15005550006&MessageSid=SM${token(16)}&To=%2B15005550001`),
      };
    case "discord":
      // A PING interaction (https://discord.com/developers/docs/interactions/receiving-and-responding).
      return json({ id: token(), application_id: "000000000000000000", type: 1, version: 1, token: token() });
    case "shopify":
      return json({ id: Number.parseInt(token(5), 16), email: "check@hooktape.dev", total_price: "20.00", currency: "USD" }, [
        JSON_TYPE,
        ["X-Shopify-Topic", "orders/create"],
      ]);
    case "linear":
      return json({ action: "create", type: "Issue", webhookId: token(), webhookTimestamp: nowMs, data: { id: token(), title: "hooktape check" } });
    default:
      return json({
        id: `evt_${token()}`,
        type: "hooktape.check",
        created,
        timestamp: new Date(nowMs).toISOString(),
        data: { object: { id: `obj_${token()}`, amount: 2000, currency: "usd" } },
      });
  }
}
