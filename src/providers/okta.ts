import { defineTokenScheme } from "./schemes/token-scheme.js";
import { eventTypeFrom, json } from "./event-type.js";
import { keepOrDefault } from "./headers.js";

// https://developer.okta.com/docs/concepts/event-hooks/ — event hooks send the configured secret as it is in the
// Authorization header (or another header the admin names). Okta's one-time GET verification
// (X-Okta-Verification-Challenge) is answered by `listen` itself (src/capture/handshakes.ts).
export const okta = defineTokenScheme({
  id: "okta",
  name: "Okta (event hooks)",
  docs: "https://developer.okta.com/docs/concepts/event-hooks/",
  tokenHeader: "Authorization",
  headers: ["authorization"],
  // https://developer.okta.com/docs/concepts/event-hooks/ — `data.events[].eventType` (`user.session.start`).
  eventType: eventTypeFrom(json("data.events[0].eventType")),
  detect: () => false,
  extraHeaders: (input) => [keepOrDefault(input.headers, "User-Agent", "Okta Event Hooks")],
  retry: {
    // Same page: a delivery that times out or fails is retried once.
    delaysSec: [0],
    docs: "https://developer.okta.com/docs/concepts/event-hooks/",
  },
  // eventId names the hook's delivery and each of data.events its event (uuid); the token signs nothing.
  dedup: {
    keys: [
      { json: "eventId", example: "b5a188b9-5ece-4636-b041-482ffda96311" },
      { json: "data.events[*].uuid", example: "4c8e2f3a-1b5d-4e7f-9a0b-2c4d6e8f0a1b" },
    ],
    attempts: "same-bytes",
  },
  // Same page ("Timeout and retry"): Okta waits 3 s for the response, then retries once.
  deadlineMs: 3_000,
  deadlinePublished: true,
});
