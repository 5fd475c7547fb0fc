import { COMPACT_JSON } from "./json-shape.js";
import { createHmac } from "node:crypto";
import { findHeader, keepOrDefault } from "./headers.js";
import { defineHmacScheme, type HmacSchemeSpec } from "./schemes/hmac-scheme.js";
import type { Provider } from "./types.js";
import { eventTypeFrom, header, joined, json } from "./event-type.js";

// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries —
// `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`; the legacy `X-Hub-Signature: sha1=<hex>`
// is still sent and is checked when it is the only one present.
const DOCS = "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries";

const common: Omit<HmacSchemeSpec, "signatureHeader" | "algorithm" | "prefix"> = {
  id: "github",
  // https://docs.github.com/en/webhooks/webhook-events-and-payloads#issues
  sample: (ids) => ({
    value: {
      action: "opened",
      issue: {
        id: ids.number(10),
        number: 1347,
        title: "Ünïcode in the title / a slash",
        html_url: "https://github.com/octocat/Hello-World/issues/1347",
        user: { login: "octocat" },
      },
      repository: { id: 1296269, full_name: "octocat/Hello-World" },
      sender: { login: "octocat" },
    },
    headers: [["X-GitHub-Event", "issues"]],
  }),
  // octokit/webhooks.js moved its re-serialiser to plain JSON.stringify when GitHub's deliveries went compact.
  jsonShape: COMPACT_JSON,
  name: "GitHub",
  docs: DOCS,
  headers: ["x-hub-signature-256", "x-hub-signature", "x-github-event", "x-github-delivery"],
  // https://docs.github.com/en/webhooks/webhook-events-and-payloads — X-GitHub-Event names the event, `action` the activity: `pull_request.opened`.
  eventType: eventTypeFrom(joined(header("x-github-event"), json("action"))),
  // Meta and Bitbucket use the same signature headers; X-GitHub-Event is what tells GitHub apart.
  detect: (headers) => findHeader(headers, "x-github-event") !== undefined,
  encoding: "hex",
  signs: ["body"],
  extraHeaders: (input) => [
    keepOrDefault(input.headers, "X-GitHub-Event", "ping"),
    keepOrDefault(input.headers, "X-GitHub-Delivery", input.id),
    keepOrDefault(input.headers, "User-Agent", "GitHub-Hookshot/hooktape"),
  ],
  // https://docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries — GitHub does
  // not redeliver failed deliveries automatically; they can be redelivered by hand within 3 days.
  retry: { delaysSec: [], docs: "https://docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries" },
  // X-GitHub-Delivery names the event on every delivery; a redelivery repeats the original's bytes.
  dedup: {
    keys: [{ header: "X-GitHub-Delivery", example: "72d3162e-cc78-11e3-81ab-4c9367dc0958" }],
    attempts: "same-bytes",
    docs: "https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks#use-the-x-github-delivery-header",
  },
  // https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks — the provider waits 10 s
  // for the answer, then counts the attempt as failed.
  deadlineMs: 10_000,
  deadlinePublished: true,
};

const legacy = defineHmacScheme({ ...common, signatureHeader: "X-Hub-Signature", algorithm: "sha1", prefix: "sha1=" });
const current = defineHmacScheme({
  ...common,
  signatureHeader: "X-Hub-Signature-256",
  algorithm: "sha256",
  prefix: "sha256=",
  extraHeaders: (input) => [
    ["X-Hub-Signature", `sha1=${createHmac("sha1", input.secret).update(input.body).digest("hex")}`],
    ...(common.extraHeaders?.(input) ?? []),
  ],
});

export const github: Provider = {
  ...current,
  verify(request, secrets, options) {
    const useLegacy =
      findHeader(request.headers, "x-hub-signature-256") === undefined && findHeader(request.headers, "x-hub-signature") !== undefined;
    return (useLegacy ? legacy : current).verify(request, secrets, options);
  },
};
