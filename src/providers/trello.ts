import { defineHmacScheme } from "./hmac-scheme.js";

// https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures —
// `X-Trello-Webhook`: base64 HMAC-SHA1, keyed with the application secret, over the body followed by the
// callback URL given when the webhook was created.
export const trello = defineHmacScheme({
  id: "trello",
  name: "Trello",
  docs: "https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures",
  headers: ["x-trello-webhook"],
  signatureHeader: "X-Trello-Webhook",
  algorithm: "sha1",
  encoding: "base64",
  signsUrl: true,
  signs: ["body", "url"],
  retry: {
    // https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-retries — 3 retries,
    // 30, 60 and 120 seconds apart.
    delaysSec: [30, 60, 120],
    docs: "https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-retries",
  },
  // Not published as a number; 30 s is our choice.
  deadlineMs: 30_000,
});
