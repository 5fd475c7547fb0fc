// No secret reaches the inspector's page: a preview shows a header whose value is a secret as [set by hooktape], and
// the replay itself, sent by the server, carries the real value.
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { ListenProcess } from "../helpers/cli.js";
import { listenSession } from "../helpers/listen-session.js";
import { send } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { call, parseInspectorUrl, startUi } from "../inspector/helpers.js";

const GITLAB_TOKEN = "glpat-webhook-secret-token-7d1e";
const OKTA_SECRET = "okta-event-hook-shared-secret-2b9c";
const STRIPE_SECRET = "whsec_inspector_must_not_see_4a0f";
const session = listenSession();

/** `listen --ui` through the session (stopped after the test): the run and its inspector's origin and token. */
async function listenWithUi(args: string[]): Promise<{ listen: ListenProcess; origin: string; token: string }> {
  const listen = await session.listen([...args, "--no-tunnel", "--ui", "--ui-port", "0"]);
  const record = await vi.waitFor(() => {
    const found = listen.records.find((item) => item.type === "inspector");
    expect(found).toBeDefined();
    return found;
  });
  return { listen, ...parseInspectorUrl(String(record?.url)) };
}

/** A GitLab delivery as GitLab sends it (its token in X-Gitlab-Token), through the capture port; returns the event id. */
async function captureGitlabPush(listen: ListenProcess, token: string): Promise<string> {
  const body = JSON.stringify({ object_kind: "push", ref: "refs/heads/main", user_name: "Zoë Ünal", commits: [] }, null, 2);
  const before = listen.records.filter((item) => item.type === "event").length;
  await send(`${listen.ready.url}/gitlab`, {
    headers: [["X-Gitlab-Event", "Push Hook"], ["X-Gitlab-Token", token], ["Content-Type", "application/json"]],
    body,
  });
  await listen.waitForEvents(before + 1);
  return String(listen.records.filter((item) => item.type === "event").at(-1)?.id);
}

function header(headers: Array<[string, string]>, name: string): string[] {
  return headers.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);
}

describe("the inspector's preview never carries a secret", () => {
  it("a token scheme (GitLab): the preview shows X-Gitlab-Token as [set by hooktape]; the replay sends the real token", async () => {
    const handler = await session.target();
    const { listen, origin, token } = await listenWithUi(["--db", path.join(tempDir(), "h.db"), "--secret", `gitlab=${GITLAB_TOKEN}`]);
    const id = await captureGitlabPush(listen, GITLAB_TOKEN);

    const options = { resign: true, to: handler.url, headers: ["X-Debug: 1"] };
    const preview = await call(origin, `/api/events/${id}/preview`, { method: "POST", token, headers: { "content-type": "application/json" }, body: JSON.stringify(options) });
    expect(preview.status).toBe(200);
    const shown = preview.json<{ headers: Array<[string, string]>; resigned: boolean }>();
    expect(header(shown.headers, "x-gitlab-token")).toEqual(["[set by hooktape]"]);
    expect(header(shown.headers, "x-debug")).toEqual(["1"]);
    expect(shown.resigned).toBe(true);
    expect(preview.text).not.toContain(GITLAB_TOKEN);

    const replay = await call(origin, `/api/events/${id}/replay`, { method: "POST", token, headers: { "content-type": "application/json" }, body: JSON.stringify(options) });
    expect(replay.status).toBe(200);
    expect(replay.text).not.toContain(GITLAB_TOKEN);
    expect(header(handler.received[0]?.headers ?? [], "x-gitlab-token")).toEqual([GITLAB_TOKEN]);
  });

  it("Okta (the secret in Authorization) and Basic auth (Postmark): Authorization shows as [set by hooktape]", async () => {
    for (const [provider, secret, expected] of [
      ["okta", OKTA_SECRET, OKTA_SECRET],
      ["postmark", "hooks:s3cr3t-pass", `Basic ${Buffer.from("hooks:s3cr3t-pass").toString("base64")}`],
    ] as const) {
      const handler = await session.target();
      const { listen, origin, token } = await listenWithUi(["--db", path.join(tempDir(), "h.db"), "--provider", provider, "--secret", secret]);
      const body = JSON.stringify({ eventType: "user.session.start", data: { displayName: "Zoë" } }, null, 2);
      await send(`${listen.ready.url}/${provider}`, { headers: [["Authorization", expected], ["Content-Type", "application/json"]], body });
      await listen.waitForEvents(1);
      const id = String(listen.records.find((item) => item.type === "event")?.id);
      const options = JSON.stringify({ resign: true, to: handler.url });
      const preview = await call(origin, `/api/events/${id}/preview`, { method: "POST", token, headers: { "content-type": "application/json" }, body: options });
      expect(preview.status).toBe(200);
      expect(header(preview.json<{ headers: Array<[string, string]> }>().headers, "authorization")).toEqual(["[set by hooktape]"]);
      expect(preview.text).not.toContain(secret);
      expect(preview.text).not.toContain(expected);
      await call(origin, `/api/events/${id}/replay`, { method: "POST", token, headers: { "content-type": "application/json" }, body: options });
      expect(header(handler.received[0]?.headers ?? [], "authorization")).toEqual([expected]);
    }
  });

  it("`ui --secret whsec_…` (unnamed): an event a stranger sends with X-Gitlab-Token is never re-signed with it", async () => {
    const db = path.join(tempDir(), "h.db");
    const capture = await session.listen(["--no-tunnel", "--db", db]);
    const id = await captureGitlabPush(capture, "whatever-the-stranger-wants");
    const handler = await session.target();
    const ui = await startUi(["--db", db, "--port", "0", "--secret", STRIPE_SECRET]);
    try {
      const signing = await call(ui.origin, `/api/events/${id}/signing`, { token: ui.token });
      expect(signing.json()).toMatchObject({ provider: "gitlab", canResign: false });
      for (const action of ["preview", "replay"]) {
        const answer = await call(ui.origin, `/api/events/${id}/${action}`, {
          method: "POST",
          token: ui.token,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ resign: true, to: handler.url }),
        });
        expect(answer.status).toBe(400);
        expect(answer.json()).toEqual({ error: "no secret for gitlab to re-sign (--resign): pass --secret gitlab=<token> or set HOOKTAPE_SECRET_GITLAB" });
        expect(answer.text).not.toContain(STRIPE_SECRET);
      }
      expect(handler.received).toEqual([]);
    } finally {
      await ui.stop();
    }
  });
});
