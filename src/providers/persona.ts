import { defineHmacScheme, parsePairs, type ParsedSignature } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://docs.withpersona.com/docs/webhooks-best-practices#checking-signatures — `Persona-Signature: t=<unix s>,
// v1=<hex HMAC-SHA256 over "<t>.<body>">`; during a secret rotation two such pairs, separated by a space. No
// maximum age is published: none by default (--tolerance adds one).
const pair = parsePairs({ separator: ",", timestampKey: "t", signatureKey: "v1" });
function parsePersona(value: string): ParsedSignature | null {
  let first: ParsedSignature | null = null;
  for (const item of value.split(" ")) {
    const parsed = pair(item);
    if (parsed === null) continue;
    // Both pairs are written at one delivery with one t; a pair with another t is not a candidate for this one.
    if (first === null) first = parsed;
    else if (parsed.timestamp === first.timestamp) first.signatures.push(...parsed.signatures);
  }
  return first;
}

export const persona = defineHmacScheme({
  id: "persona",
  name: "Persona",
  docs: "https://docs.withpersona.com/docs/webhooks-best-practices#checking-signatures",
  headers: ["persona-signature"],
  // https://docs.withpersona.com/docs/webhooks — `data.attributes.name` (`inquiry.completed`).
  eventType: eventTypeFrom(json("data.attributes.name")),
  signatureHeader: "Persona-Signature",
  algorithm: "sha256",
  encoding: "hex",
  parse: parsePersona,
  format: (signature, timestamp) => `t=${timestamp},v1=${signature}`,
  timestamp: { in: "signature", unit: "s" },
  toleranceSec: null,
  signs: ["timestamp", { text: "." }, "body"],
  retry: {
    // https://docs.withpersona.com/docs/webhooks — failed deliveries are retried with exponential backoff; the waits
    // are ours.
    delaysSec: backoff(60, 2, 14_400, 8),
    docs: "https://docs.withpersona.com/docs/webhooks",
  },
  // The event id stays; each attempt carries its own t= in Persona-Signature.
  dedup: { keys: [{ json: "data.id", example: "evt_fXGcVaK8tC4hZ3y2rNEEzVsr" }], attempts: "resigned" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
