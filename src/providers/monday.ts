import { defineJwtScheme } from "./schemes/jwt.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developer.monday.com/apps/docs/authorization-header — each request carries `Authorization: <JWT>` (HS256,
// the app's Signing Secret; lifecycle webhooks use the Client Secret) with accountId, userId, aud, exp, iat and a
// shortLivedToken. The token does NOT cover the body: a valid token says the request came from monday.com, not what it
// holds (the hints say so). Its `exp` is checked; `aud` (the endpoint URL) is left to the handler. Board webhooks'
// `{"challenge"}` handshake is answered by `listen` itself (src/capture/handshakes.ts).
export const monday = defineJwtScheme({
  id: "monday",
  name: "monday.com",
  docs: "https://developer.monday.com/apps/docs/authorization-header",
  algorithm: "HS256",
  carrier: { in: "header", header: "Authorization", bearer: false },
  headers: ["authorization"],
  // https://developer.monday.com/api-reference/reference/webhooks — `event.type` (`update_column_value`).
  eventType: eventTypeFrom(json("event.type")),
  claims: (input) => ({ accountId: 1825529, userId: 4012689, aud: input.url ?? "https://hooks.example.com/monday", shortLivedToken: "hooktape-short-lived-token" }),
  // The docs' example token lives 300 s (exp - iat).
  lifetimeSec: 300,
  toleranceSec: null,
  retry: {
    // https://developer.monday.com/api-reference/docs/webhooks#retry-policy — failed deliveries are retried once a
    // minute for 30 minutes.
    delaysSec: Array.from({ length: 30 }, () => 60),
    docs: "https://developer.monday.com/api-reference/docs/webhooks#retry-policy",
  },
  // event.triggerUuid names the event; each request carries a new JWT (its own iat).
  dedup: { keys: [{ json: "event.triggerUuid", example: "f8e1c2d3-4b5a-4698-8a7b-6c5d4e3f2a1b" }], attempts: "resigned" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
