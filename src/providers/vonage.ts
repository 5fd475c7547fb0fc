import { backoff } from "./retry.js";
import { defineJwtScheme } from "./schemes/jwt.js";

// https://developer.vonage.com/en/getting-started/concepts/signing-messages#validate-the-signature-on-incoming-messages
// — signed webhooks (Messages, Voice, Verify v2) carry `Authorization: Bearer <JWT>`, HS256 with the account's
// signature secret; its `payload_hash` claim is the hex SHA-256 of the body, which must be checked too (the JWT alone
// does not cover the body). No age limit is published for `iat`: none by default (--tolerance adds one).
export const vonage = defineJwtScheme({
  id: "vonage",
  // https://developer.vonage.com/en/messages/concepts/messages-api-webhooks — an inbound SMS on the Messages API,
  // named by its message_uuid.
  sample: (ids, nowMs) => ({
    value: {
      channel: "sms",
      message_uuid: ids.uuid(),
      to: "447700900000",
      from: "447700900001",
      timestamp: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
      text: "Héllo from hooktape — see https://example.com/a/b",
      sms: { num_messages: "1", keyword: "HELLO" },
      message_type: "text",
    },
  }),
  name: "Vonage (signed webhooks)",
  docs: "https://developer.vonage.com/en/getting-started/concepts/signing-messages",
  algorithm: "HS256",
  carrier: { in: "header", header: "Authorization", bearer: true },
  headers: ["authorization"],
  bodyHash: { claim: "payload_hash", encoding: "hex" },
  claims: () => ({ iss: "Vonage", api_key: "hooktape" }),
  toleranceSec: null,
  retry: {
    // https://developer.vonage.com/en/getting-started/concepts/webhooks — failed callbacks are retried for up to
    // 24 hours with growing waits; the waits are ours.
    delaysSec: backoff(60, 2, 14_400, 12),
    docs: "https://developer.vonage.com/en/getting-started/concepts/webhooks",
  },
  // message_uuid names the message; each request carries a new JWT (its own iat and jti).
  dedup: {
    keys: [{ json: "message_uuid", example: "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab" }],
    attempts: "resigned",
    docs: "https://developer.vonage.com/en/getting-started/concepts/webhooks",
  },
  // Not published as one figure across APIs; assumed 5 s.
  deadlineMs: 5_000,
});
