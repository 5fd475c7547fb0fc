import { keepOrDefault } from "./headers.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { noRetries } from "./retry.js";
import { eventTypeFrom, header, joined, json } from "./event-type.js";
import { isoTime } from "./sample.js";

// https://docs.sentry.io/organization/integrations/integration-platform/webhooks/#sentry-hook-signature —
// `Sentry-Hook-Signature`: hex HMAC-SHA256 of the body with the integration's client secret.
// Sentry-Hook-Timestamp is sent but not signed, so it is not checked.
export const sentry = defineHmacScheme({
  id: "sentry",
  // https://docs.sentry.io/organization/integrations/integration-platform/webhooks/issues/ — issue.created
  sample: (ids, nowMs) => ({
    value: {
      action: "created",
      installation: { uuid: ids.uuid() },
      data: {
        issue: {
          id: String(ids.number(10)),
          shortId: "HOOKTAPE-1",
          title: "TypeError: Cannot read ‘amount’ of undefined",
          culprit: "app/webhooks/stripe.ts",
          level: "error",
          status: "unresolved",
          permalink: "https://sentry.io/organizations/acme/issues/1/",
          firstSeen: isoTime(nowMs),
          lastSeen: isoTime(nowMs),
        },
      },
      actor: { type: "application", id: "sentry", name: "Sentry" },
    },
    headers: [["Sentry-Hook-Resource", "issue"], ["Sentry-Hook-Timestamp", String(Math.floor(nowMs / 1000))]],
  }),
  // Sentry's sender uses a compact, ensure_ascii encoder.
  jsonShape: { indent: 0, asciiOnly: true },
  name: "Sentry Integration Platform",
  docs: "https://docs.sentry.io/organization/integrations/integration-platform/webhooks/#sentry-hook-signature",
  headers: ["sentry-hook-signature", "sentry-hook-resource"],
  // https://docs.sentry.io/organization/integrations/integration-platform/webhooks/ — Sentry-Hook-Resource and `action`: `issue.created`.
  eventType: eventTypeFrom(joined(header("sentry-hook-resource"), json("action"))),
  signatureHeader: "Sentry-Hook-Signature",
  algorithm: "sha256",
  encoding: "hex",
  signs: ["body"],
  extraHeaders: (input) => [
    keepOrDefault(input.headers, "Sentry-Hook-Resource", "issue"),
    keepOrDefault(input.headers, "Sentry-Hook-Timestamp", String(input.timestamp)),
    keepOrDefault(input.headers, "Request-ID", input.id),
  ],
  // Not documented as retried; we assume none.
  retry: noRetries("https://docs.sentry.io/organization/integrations/integration-platform/webhooks/"),
  // A retry repeats the first attempt's bytes: the signature covers the body and no time.
  dedup: { keys: [{ header: "Request-ID", example: "d7e9b2c4-5a6f-4e1d-8c3b-2a9f7e5d1c0b" }], attempts: "same-bytes" },
  // https://sentry.io/changelog/2023-10-3-change-to-integration-platform-webhook-handling — the provider waits 1 s
  // for the answer, then counts the attempt as failed.
  deadlineMs: 1_000,
  deadlinePublished: true,
});
