import { keepOrDefault } from "./headers.js";
import { noRetries } from "./retry.js";
import { defineTokenScheme } from "./token-scheme.js";

// https://docs.gitlab.com/user/project/integrations/webhooks/#validate-payloads-by-using-a-secret-token —
// GitLab sends the configured secret token as it is in `X-Gitlab-Token`; there is no MAC.
export const gitlab = defineTokenScheme({
  id: "gitlab",
  name: "GitLab",
  docs: "https://docs.gitlab.com/user/project/integrations/webhooks/#validate-payloads-by-using-a-secret-token",
  tokenHeader: "X-Gitlab-Token",
  headers: ["x-gitlab-token", "x-gitlab-event"],
  extraHeaders: (input) => [
    keepOrDefault(input.headers, "X-Gitlab-Event", "Push Hook"),
    keepOrDefault(input.headers, "X-Gitlab-Webhook-UUID", input.id),
  ],
  // https://docs.gitlab.com/user/project/integrations/webhooks/#auto-disabled-webhooks — GitLab does not
  // retry; failing webhooks are disabled.
  retry: noRetries("https://docs.gitlab.com/user/project/integrations/webhooks/#auto-disabled-webhooks"),
  // https://docs.gitlab.com/user/gitlab_com/#webhooks — 10 s on GitLab.com (self-managed default too).
  deadlineMs: 10_000,
});
