import { COMPACT_JSON } from "./json-shape.js";
import { defineHmacScheme, pairedSignature } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";
import { isoTime } from "./sample.js";

// https://docs.mux.com/core/verify-webhook-signatures — `Mux-Signature: t=<unix s>,v1=<hex HMAC-SHA256 of
// "<t>.<body>">`; @mux/mux-node's webhooks.verifySignature allows 300 s.
export const mux = defineHmacScheme({
  id: "mux",
  // https://docs.mux.com/webhook-reference#video.asset.ready
  sample: (ids, nowMs) => ({
    value: {
      type: "video.asset.ready",
      object: { type: "asset", id: ids.token(16) },
      id: ids.uuid(),
      environment: { name: "Production", id: ids.token(3) },
      data: {
        status: "ready",
        passthrough: "Zoë's upload / take 2",
        playback_ids: [{ policy: "public", id: ids.token(16) }],
        id: ids.token(16),
        duration: 23.84,
        created_at: Math.floor(nowMs / 1000),
      },
      created_at: isoTime(nowMs),
      attempts: [],
      accessor_source: null,
      accessor: null,
      request_id: null,
    },
  }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "Mux",
  docs: "https://docs.mux.com/core/verify-webhook-signatures",
  headers: ["mux-signature"],
  // https://docs.mux.com/core/listen-for-webhooks — `type` (`video.asset.ready`).
  eventType: eventTypeFrom(json("type")),
  signatureHeader: "Mux-Signature",
  algorithm: "sha256",
  encoding: "hex",
  ...pairedSignature({ separator: ",", timestampKey: "t", signatureKey: "v1" }),
  toleranceSec: 300,
  signs: ["timestamp", { text: "." }, "body"],
  retry: {
    // https://docs.mux.com/core/listen-for-webhooks#webhook-retries — retried with backoff for up to 24 hours;
    // the waits are ours (doubling from 1 min, capped at 4 h).
    delaysSec: backoff(60, 2, 14_400, 12),
    docs: "https://docs.mux.com/core/listen-for-webhooks#webhook-retries",
  },
  // The event id stays; each attempt carries its own t= in Mux-Signature.
  dedup: { keys: [{ json: "id", example: "3b5b1c1e-0d4d-4a4b-8d3e-2f1a0b9c8d7e" }], attempts: "resigned" },
  // https://docs.mux.com/docs/webhooks — the provider waits 5 s for the answer, then counts the attempt as failed.
  deadlineMs: 5_000,
  deadlinePublished: true,
});
