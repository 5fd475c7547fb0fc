import { HEX_RE } from "./checks.js";
import { defineHmacScheme, type ParsedSignature } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://www.mongodb.com/docs/atlas/tutorial/third-party-service-integrations/#webhook-settings — `X-MMS-Signature:
// <base64 HMAC-SHA1 of the body>` keyed with the webhook secret. One page of MongoDB's docs says hex: a 40-character
// hex value is accepted too (as its base64 form), since a hex SHA-1 can never be a base64 SHA-1 (28 characters).
function parseMms(value: string): ParsedSignature | null {
  if (value.length === 40 && HEX_RE.test(value)) return { signatures: [Buffer.from(value, "hex").toString("base64")] };
  return value.length > 0 ? { signatures: [value] } : null;
}

export const mongodbAtlas = defineHmacScheme({
  id: "mongodb-atlas",
  name: "MongoDB Atlas",
  docs: "https://www.mongodb.com/docs/atlas/tutorial/third-party-service-integrations/",
  headers: ["x-mms-signature"],
  // https://www.mongodb.com/docs/atlas/reference/api-resources-spec/v2/ — alerts name their `eventTypeName` (`OUTSIDE_METRIC_THRESHOLD`).
  eventType: eventTypeFrom(json("eventTypeName")),
  signatureHeader: "X-MMS-Signature",
  algorithm: "sha1",
  encoding: "base64",
  parse: parseMms,
  signs: ["body"],
  retry: {
    // Not documented beyond "retried"; the waits are ours.
    delaysSec: backoff(60, 2, 3600, 5),
    docs: "https://www.mongodb.com/docs/atlas/tutorial/third-party-service-integrations/",
  },
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ json: "id", example: "5e8f1f8f8f8f8f8f8f8f8f8f" }], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
