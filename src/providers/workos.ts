import { COMPACT_JSON } from "./json-shape.js";
import { defineHmacScheme, pairedSignature } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";
import { isoTime } from "./sample.js";

// https://workos.com/docs/events/data-syncing/webhooks/3-process-the-events/b-validate-the-requests-manually
// `WorkOS-Signature: t=<unix ms>, v1=<hex HMAC-SHA256 of "<t>.<body>">`; @workos-inc/node allows 180 s.
export const workos = defineHmacScheme({
  id: "workos",
  // https://workos.com/docs/events/user
  sample: (ids, nowMs) => ({
    value: {
      id: `event_${ids.token(13).toUpperCase()}`,
      event: "user.created",
      data: {
        object: "user",
        id: `user_${ids.token(13).toUpperCase()}`,
        email: "zoe@example.com",
        first_name: "Zoë",
        last_name: "Müller",
        email_verified: true,
        profile_picture_url: "https://workoscdn.com/images/v1/hooktape",
        created_at: isoTime(nowMs),
        updated_at: isoTime(nowMs),
      },
      created_at: isoTime(nowMs),
    },
  }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "WorkOS",
  docs: "https://workos.com/docs/events/data-syncing/webhooks/3-process-the-events/b-validate-the-requests-manually",
  headers: ["workos-signature"],
  // https://workos.com/docs/events — `event` (`user.created`).
  eventType: eventTypeFrom(json("event")),
  signatureHeader: "WorkOS-Signature",
  algorithm: "sha256",
  encoding: "hex",
  ...pairedSignature({ separator: ",", timestampKey: "t", signatureKey: "v1", unit: "ms", joiner: ", " }),
  toleranceSec: 180,
  signs: ["timestamp", { text: "." }, "body"],
  retry: {
    // https://workos.com/docs/events/data-syncing/webhooks — up to 6 retries with exponential backoff over
    // about 3 days; the waits are ours (x5 from 5 min, capped at 1 day).
    delaysSec: backoff(300, 5, 86_400, 6),
    docs: "https://workos.com/docs/events/data-syncing/webhooks",
  },
  // The event id stays; each attempt carries its own t= in WorkOS-Signature.
  dedup: { keys: [{ json: "id", example: "event_01HKJ4QG0S3PEB2D1Y9RN2VN1Y" }], attempts: "resigned" },
  // Not published (https://workos.com/docs/webhooks gives no figure); assumed 10 s: No published timeout; 10 s is a
  // common middle value and stricter than the 15-30 s range the Standard Webhooks spec recommends.
  deadlineMs: 10_000,
});
