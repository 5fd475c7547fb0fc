import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runProgram } from "../helpers/program.js";
import { tempDir } from "../helpers/temp-dir.js";
import { relayEnv } from "./relay-helpers.js";

// Bad input to the relay's commands: one line, exit 2 (usage, input) or 3 (the environment), never a stack trace.
// None of these needs a running relay; what they test is the program's decision, so it runs in process (relay.test.ts
// spawns the relay commands as a user does).

const CHANNEL = `http://127.0.0.1:1/c/${"a".repeat(26)}`;

async function oneLine(args: string[], env: NodeJS.ProcessEnv, code: number, pattern: RegExp): Promise<void> {
  const result = await runProgram(args, { env });
  expect(result.code).toBe(code);
  const lines = result.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
}

describe("relay commands: bad input", { timeout: 120_000 }, () => {
  it("listen --relay: not a channel URL, no token, a token file without --relay, --relay with a tunnel", async () => {
    const env = { ...relayEnv(), HOOKTAPE_RELAY_TOKEN: "" };
    const db = path.join(tempDir(), "x.db");
    await oneLine(["listen", "--db", db, "--relay", "http://127.0.0.1:1/not-a-channel"], { ...env, HOOKTAPE_RELAY_TOKEN: "t" }, 2, /is not a channel URL/);
    await oneLine(["listen", "--db", db, "--relay", CHANNEL], env, 2, /HOOKTAPE_RELAY_TOKEN or pass --relay-token-file/);
    const empty = path.join(tempDir(), "token");
    writeFileSync(empty, "\n");
    await oneLine(["listen", "--db", db, "--relay", CHANNEL, "--relay-token-file", empty], env, 2, /needs the channel's read token/);
    await oneLine(["listen", "--db", db, "--relay-token-file", empty], env, 2, /--relay-token-file goes with --relay/);
    await oneLine(["listen", "--db", db, "--relay", CHANNEL, "--tunnel", "hooks.example.com"], { ...env, HOOKTAPE_RELAY_TOKEN: "t" }, 2, /--relay replaces the tunnel/);
  });

  it("relay channel and status: a bad URL or flag is exit 2; no admin token is exit 2 saying where it comes from; an unreachable relay is exit 3", async () => {
    const env = relayEnv();
    await oneLine(["relay", "channel", "create", "--relay", "ftp://relay.example"], env, 2, /expected an http\(s\) URL/);
    await oneLine(["relay", "channel", "create", "--relay", "http://127.0.0.1:1", "--respond", "sometimes"], env, 2, /expected stored or live/);
    await oneLine(["relay", "channel", "create", "--relay", "http://127.0.0.1:1"], env, 2, /No admin token .* set HOOKTAPE_RELAY_ADMIN_TOKEN/);
    await oneLine(["relay", "channel", "create", "--relay", "http://127.0.0.1:1"], { ...env, HOOKTAPE_RELAY_ADMIN_TOKEN: "x" }, 3, /Cannot reach the relay at http:\/\/127\.0\.0\.1:1/);
    await oneLine(["relay", "channel", "create", "--relay", "http://127.0.0.1:1", "--handshake-secret", "stripe"], { ...env, HOOKTAPE_RELAY_ADMIN_TOKEN: "x" }, 2, /only zoom and twitter/);
    await oneLine(["relay", "status", "http://127.0.0.1:1/c/short"], env, 2, /is not a channel URL/);
    await oneLine(["relay", "channel", "delete", "nope"], env, 2, /is not a channel URL/);
  });
});
