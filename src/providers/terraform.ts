import { defineHmacScheme } from "./schemes/hmac-scheme.js";
import { backoff } from "./retry.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations#notification-authenticity
// — `X-TFE-Notification-Signature: <hex HMAC-SHA512 of the body>` keyed with the configuration's token.
export const terraform = defineHmacScheme({
  id: "terraform",
  name: "HCP Terraform (Terraform Cloud)",
  docs: "https://developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations#notification-authenticity",
  headers: ["x-tfe-notification-signature"],
  // https://developer.hashicorp.com/terraform/cloud-docs/workspaces/settings/notifications — `notifications[].trigger` (`run:completed`).
  eventType: eventTypeFrom(json("notifications[0].trigger")),
  signatureHeader: "X-TFE-Notification-Signature",
  algorithm: "sha512",
  encoding: "hex",
  signs: ["body"],
  retry: {
    // Not documented beyond "retried on failure"; the waits are ours.
    delaysSec: backoff(30, 2, 600, 3),
    docs: "https://developer.hashicorp.com/terraform/cloud-docs/workspaces/settings/notifications",
  },
  // run_id (with the notification's trigger) names the event. A retry repeats the first attempt's bytes: the
  // signature covers the body and no time.
  dedup: { keys: [{ json: "run_id", example: "run-CZcmD7eagjhyX0vN" }], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
