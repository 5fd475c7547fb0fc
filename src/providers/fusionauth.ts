import { findHeader } from "./headers.js";
import { defineJwtScheme } from "./schemes/jwt.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://fusionauth.io/docs/extend/events-and-webhooks/signing — `X-FusionAuth-Signature-JWT: <JWT>` signed with the
// webhook's signing key; its `request_body_sha256` claim is the base64 SHA-256 of the body. FusionAuth lets the key
// be HMAC or asymmetric: hooktape verifies the HMAC (HS256) form with the shared secret.
export const fusionauth = defineJwtScheme({
  id: "fusionauth",
  name: "FusionAuth",
  docs: "https://fusionauth.io/docs/extend/events-and-webhooks/signing",
  algorithm: "HS256",
  carrier: { in: "header", header: "X-FusionAuth-Signature-JWT", bearer: false },
  headers: ["x-fusionauth-signature-jwt"],
  // https://fusionauth.io/docs/extend/events-and-webhooks/events/ — `event.type` (`user.create`).
  eventType: eventTypeFrom(json("event.type")),
  detect: (headers) => findHeader(headers, "x-fusionauth-signature-jwt") !== undefined,
  bodyHash: { claim: "request_body_sha256", encoding: "base64" },
  toleranceSec: null,
  retry: {
    // https://fusionauth.io/docs/extend/events-and-webhooks/ — failed transactional events are retried; the waits are
    // ours.
    delaysSec: backoff(30, 2, 3600, 5),
    docs: "https://fusionauth.io/docs/extend/events-and-webhooks/",
  },
  // event.id names the event; each request carries a new JWT (its own iat).
  dedup: { keys: [{ json: "event.id", example: "6e2a8f7c-3b1d-4c5e-9a0f-8d7b6c5e4a3f" }], attempts: "resigned" },
  // Same page: the webhook's read timeout defaults to 2 s (configurable per webhook).
  deadlineMs: 2_000,
  deadlinePublished: true,
});
