import { findHeader } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook#create-a-method-to-verify-the-outgoing-webhook-hmac-token
// — `Authorization: HMAC <base64 HMAC-SHA256 of the body>`, keyed with the base64-DECODED security token Teams
// shows when the outgoing webhook is created.
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
export const teams = defineHmacScheme({
  id: "teams",
  name: "Microsoft Teams (outgoing webhooks)",
  docs: "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook",
  headers: ["authorization"],
  // https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook — an activity with `type` (`message`).
  eventType: eventTypeFrom(json("type")),
  detect: (headers) => findHeader(headers, "authorization")?.startsWith("HMAC ") === true,
  signatureHeader: "Authorization",
  algorithm: "sha256",
  encoding: "base64",
  prefix: "HMAC ",
  key: (secret) => (BASE64_RE.test(secret) ? Buffer.from(secret, "base64") : null),
  signs: ["body"],
  // A message to a bot is answered in the same request, not retried.
  retry: noRetries("https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook"),
  // The activity id names the message. A retry repeats the first attempt's bytes: the signature covers the body and
  // no time.
  dedup: { keys: [{ json: "id", example: "1485983408511" }], attempts: "same-bytes" },
  // Same page: the service must answer within 10 s.
  deadlineMs: 10_000,
  deadlinePublished: true,
});
