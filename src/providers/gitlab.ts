import { COMPACT_JSON } from "./json-shape.js";
import { keepOrDefault } from "./headers.js";
import { noRetries } from "./retry.js";
import { defineTokenScheme } from "./schemes/token-scheme.js";
import { eventTypeFrom, header, joined, json } from "./event-type.js";
import { isoTime } from "./sample.js";

// https://docs.gitlab.com/user/project/integrations/webhooks/#validate-payloads-by-using-a-secret-token —
// GitLab sends the configured secret token as it is in `X-Gitlab-Token`; there is no MAC.
export const gitlab = defineTokenScheme({
  id: "gitlab",
  // https://docs.gitlab.com/user/project/integrations/webhook_events/#push-events
  sample: (ids, nowMs) => ({
    value: {
      object_kind: "push",
      event_name: "push",
      before: ids.token(20),
      after: ids.token(20),
      ref: "refs/heads/main",
      user_name: "Zoë Müller",
      user_username: "zoe",
      project_id: ids.number(6),
      project: { name: "hooktape", web_url: "https://gitlab.example.com/zoe/hooktape", path_with_namespace: "zoe/hooktape" },
      commits: [{ id: ids.token(20), message: "Überarbeitung / fix the thing", timestamp: isoTime(nowMs), url: "https://gitlab.example.com/zoe/hooktape/-/commit/1" }],
      total_commits_count: 1,
    },
    headers: [["X-Gitlab-Event", "Push Hook"]],
  }),
  // Signed vectors or captured deliveries show plain compact JSON.
  jsonShape: COMPACT_JSON,
  name: "GitLab",
  docs: "https://docs.gitlab.com/user/project/integrations/webhooks/#validate-payloads-by-using-a-secret-token",
  tokenHeader: "X-Gitlab-Token",
  headers: ["x-gitlab-token", "x-gitlab-event"],
  // https://docs.gitlab.com/user/project/integrations/webhook_events/ — `object_kind` (`push`, `merge_request`) and, where there is one, `object_attributes.action` (`merge_request.open`).
  eventType: eventTypeFrom(joined(json("object_kind"), json("object_attributes.action")), header("x-gitlab-event")),
  extraHeaders: (input) => [
    keepOrDefault(input.headers, "X-Gitlab-Event", "Push Hook"),
    keepOrDefault(input.headers, "X-Gitlab-Webhook-UUID", input.id),
  ],
  // https://docs.gitlab.com/user/project/integrations/webhooks/#auto-disabled-webhooks — GitLab does not
  // retry; failing webhooks are disabled.
  retry: noRetries("https://docs.gitlab.com/user/project/integrations/webhooks/#auto-disabled-webhooks"),
  // Idempotency-Key stays the same across retries of one event; the token signs nothing.
  dedup: {
    keys: [{ header: "Idempotency-Key", example: "f7c5e7d2-3a1b-4c8e-9d6f-0a2b4c6d8e1f" }],
    attempts: "same-bytes",
    docs: "https://docs.gitlab.com/user/project/integrations/webhooks/#delivery-headers",
  },
  // https://docs.gitlab.com/ee/user/gitlab_com/index.html#other-limits — the provider waits 10 s for the answer,
  // then counts the attempt as failed.
  deadlineMs: 10_000,
  deadlinePublished: true,
});
