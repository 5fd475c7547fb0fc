import { keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://pusher.com/docs/channels/server_api/webhooks/#authentication — `X-Pusher-Signature: <hex HMAC-SHA256 of
// the body>` keyed with the app secret, next to `X-Pusher-Key` (the app key, which pusher-http-node's
// `webhook().isValid()` checks equals its own).
export const pusher = defineHmacScheme({
  id: "pusher",
  name: "Pusher Channels",
  docs: "https://pusher.com/docs/channels/server_api/webhooks/",
  headers: ["x-pusher-signature", "x-pusher-key"],
  // https://pusher.com/docs/channels/server_api/webhooks/ — a batch of events, each with `name` (`channel_occupied`).
  eventType: eventTypeFrom(json("events[0].name")),
  signatureHeader: "X-Pusher-Signature",
  algorithm: "sha256",
  encoding: "hex",
  signs: ["body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "X-Pusher-Key", "hooktape-app-key")],
  retry: {
    // Same page: failed webhooks are retried for up to 5 minutes; the waits are ours within that window.
    delaysSec: [30, 60, 90, 120],
    docs: "https://pusher.com/docs/channels/server_api/webhooks/",
  },
  // Pusher's batches carry no id: handlers key on time_ms. A retry repeats the first attempt's bytes: the signature
  // covers the body and no time.
  dedup: { keys: [{ json: "time_ms", example: 1327078148132 }], attempts: "same-bytes" },
  // Not published; assumed 3 s.
  deadlineMs: 3_000,
});
