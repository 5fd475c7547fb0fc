import { defineHmacScheme, pairedSignature } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://elevenlabs.io/docs/product-guides/administration/webhooks — `ElevenLabs-Signature: t=<unix s>,v0=<hex
// HMAC-SHA256 over "<t>.<body>">` keyed with the webhook secret. Confirmed in the official SDK,
// elevenlabs/elevenlabs-js `src/wrapper/webhooks.ts` `constructEvent`: `t` in seconds, refused when older than
// 30 minutes (`t * 1000 < Date.now() - 30 * 60 * 1000`), never for being in the future; no published vector.
export const elevenlabs = defineHmacScheme({
  id: "elevenlabs",
  name: "ElevenLabs",
  docs: "https://elevenlabs.io/docs/product-guides/administration/webhooks",
  headers: ["elevenlabs-signature"],
  // https://elevenlabs.io/docs/product-guides/administration/webhooks — `type` (`post_call_transcription`).
  eventType: eventTypeFrom(json("type")),
  signatureHeader: "ElevenLabs-Signature",
  algorithm: "sha256",
  encoding: "hex",
  ...pairedSignature({ separator: ",", timestampKey: "t", signatureKey: "v0" }),
  toleranceSec: 1800,
  signs: ["timestamp", { text: "." }, "body"],
  // Not documented as retried (webhooks are disabled after repeated failures): treated as a single attempt.
  retry: noRetries("https://elevenlabs.io/docs/product-guides/administration/webhooks"),
  // Each attempt carries its own t=.
  dedup: { keys: [{ json: "data.conversation_id", example: "conv_01jxk1wejhenk8x8tt9enzxw4a" }], attempts: "resigned" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
