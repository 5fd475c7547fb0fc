import { describe, expect, it } from "vitest";
import { slack } from "../../src/providers/slack.js";
import { flipByte, withHeader, withoutHeader } from "./helpers.js";

// The worked example of https://api.slack.com/authentication/verifying-requests-from-slack
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const T = 1531420618;
const BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
const req = {
  method: "POST",
  url: "/slack/commands",
  headers: [
    ["X-Slack-Request-Timestamp", String(T)],
    ["X-Slack-Signature", SIGNATURE],
  ] as Array<[string, string]>,
  body: Buffer.from(BODY),
};

describe("slack", () => {
  it("accepts Slack's documented example and signs it to the documented signature", () => {
    expect(slack.verify(req, [SECRET], { now: T + 10 })).toEqual({ valid: true, provider: "slack", signedAt: T });
    const out = slack.sign({ body: Buffer.from(BODY), secret: SECRET, timestamp: T, id: "x", method: "POST", headers: [] });
    expect(out.headers).toEqual([
      ["X-Slack-Signature", SIGNATURE],
      ["X-Slack-Request-Timestamp", String(T)],
    ]);
  });

  it("rejects requests older than 5 minutes, not future ones (as @slack/bolt)", () => {
    expect(slack.verify(req, [SECRET], { now: T + 301 })).toMatchObject({ valid: false, reason: "timestamp_too_old" });
    expect(slack.verify(req, [SECRET], { now: T - 1000 }).valid).toBe(true);
  });

  it("rejects a changed timestamp header, a flipped body byte and a wrong secret", () => {
    expect(slack.verify(withHeader(req, "X-Slack-Request-Timestamp", String(T + 1)), [SECRET], { now: T })).toMatchObject({ reason: "no_matching_signature" });
    expect(slack.verify({ ...req, body: flipByte(req.body, 10) }, [SECRET], { now: T })).toMatchObject({ reason: "no_matching_signature" });
    expect(slack.verify(req, ["wrong", SECRET], { now: T }).valid).toBe(true);
    expect(slack.verify(req, ["wrong"], { now: T })).toMatchObject({ reason: "no_matching_signature" });
  });

  it("reports a missing timestamp or signature header", () => {
    expect(slack.verify(withoutHeader(req, "X-Slack-Request-Timestamp"), [SECRET], { now: T })).toMatchObject({ reason: "missing_header" });
    expect(slack.verify(withoutHeader(req, "X-Slack-Signature"), [SECRET], { now: T })).toMatchObject({ reason: "missing_header" });
  });

  it("puts Slack's retry headers on retries", () => {
    expect(slack.retry.delaysSec).toEqual([1, 60, 300]);
    expect(slack.retry.retryHeaders?.(2, "timeout")).toEqual([
      ["X-Slack-Retry-Num", "1"],
      ["X-Slack-Retry-Reason", "http_timeout"],
    ]);
    expect(slack.deadlineMs).toBe(3000);
  });
});
