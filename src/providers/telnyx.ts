import { defineAsymmetricScheme } from "./schemes/asymmetric.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks and team-telnyx/telnyx-node
// `src/lib/webhooks.ts` (`TelnyxWebhook.verify`): Ed25519 over `<telnyx-timestamp>|<body>`, base64 in
// `telnyx-signature-ed25519`, checked with the account's public key (the base64 of its 32 bytes, as the portal shows
// it); the SDK refuses a timestamp more than 300 s away in either direction.
export const telnyx = defineAsymmetricScheme({
  id: "telnyx",
  name: "Telnyx",
  docs: "https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks",
  algorithm: "ed25519",
  signatureHeader: "telnyx-signature-ed25519",
  timestampHeader: "telnyx-timestamp",
  // https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks — `data.event_type` (`message.received`).
  eventType: eventTypeFrom(json("data.event_type")),
  encoding: "base64",
  separator: "|",
  toleranceSec: 300,
  rejectsFuture: true,
  retry: {
    // Same page: a webhook that fails is retried at the failover URL and then with backoff; the waits are ours.
    delaysSec: backoff(10, 3, 3600, 3),
    docs: "https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks",
  },
  // data.id names the event; each attempt is signed with its own telnyx-timestamp.
  dedup: { keys: [{ json: "data.id", example: "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0" }], attempts: "resigned" },
  // Not published as one figure; assumed 10 s.
  deadlineMs: 10_000,
});
