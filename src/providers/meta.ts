import { keepOrDefault } from "./headers.js";
import { defineHmacScheme, type HmacSchemeSpec } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, joined, json } from "./event-type.js";

// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads — Facebook,
// WhatsApp and Instagram send `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>` with the app secret.
// GitHub sends the same header; it is detected first by its X-GitHub-Event.
export const META: HmacSchemeSpec = {
  id: "meta",
  name: "Meta (Facebook, WhatsApp, Instagram)",
  docs: "https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads",
  headers: ["x-hub-signature-256"],
  // https://developers.facebook.com/docs/graph-api/webhooks/getting-started — `object` and the changed `field`: `whatsapp_business_account.messages`, `page.feed`.
  eventType: eventTypeFrom(joined(json("object"), json("entry[0].changes[0].field"))),
  signatureHeader: "X-Hub-Signature-256",
  algorithm: "sha256",
  encoding: "hex",
  prefix: "sha256=",
  signs: ["body"],
  extraHeaders: (input) => [keepOrDefault(input.headers, "User-Agent", "facebookexternalua")],
  retry: {
    // Same page: failed deliveries are retried immediately and then with decreasing frequency over 36 hours;
    // the waits are ours (doubling from 15 s, capped at 4 h).
    delaysSec: backoff(15, 2, 14_400, 18),
    docs: "https://developers.facebook.com/docs/graph-api/webhooks/getting-started",
  },
  // Graph API change notifications carry no event id: handlers key on the object an entry is about and its time. A
  // retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: {
    keys: [
      { json: "entry[*].id", example: "0123456789012345" },
      { json: "entry[*].time", example: 1767225600 },
    ],
    attempts: "same-bytes",
  },
  // https://developers.facebook.com/docs/messenger-platform/faq — the provider waits 20 s for the answer, then
  // counts the attempt as failed.
  deadlineMs: 20_000,
  deadlinePublished: true,
};

// The products (WhatsApp, Instagram, Messenger) share the scheme, not this shape: each declares its own.
export const meta = defineHmacScheme({
  ...META,
  // Meta's docs: the signature covers the escaped-unicode payload, `/` as `\/`.
  jsonShape: { indent: 0, escapeSlash: true, asciiOnly: true },
});
