import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { listenSession } from "../helpers/listen-session.js";
import { tempDir } from "../helpers/temp-dir.js";
import { FAKE_CLOUDFLARED, readState, stopAll } from "../tunnel/helpers.js";

const session = listenSession();
const edgeStates: string[] = [];
afterEach(async () => {
  await stopAll([], edgeStates.splice(0));
});

/** Credentials hooktape reads from its environment, each with a value no other variable has. */
const CREDENTIALS: Record<string, string> = {
  STRIPE_API_KEY: "sk_test_child_must_not_see_1",
  GITHUB_TOKEN: "ghp_child_must_not_see_2",
  CLOUDFLARE_API_TOKEN: "cf_child_must_not_see_3",
  TUNNEL_TOKEN: "tunnel_child_must_not_see_4",
  HOOKTAPE_SECRET_STRIPE: "whsec_child_must_not_see_5",
  HOOKTAPE_VERIFY_TOKEN_META: "verify_child_must_not_see_6",
  HOOKTAPE_CIRCLE_API_KEY: "circle_child_must_not_see_7",
  HOOKTAPE_EBAY_TOKEN: "ebay_child_must_not_see_8",
  HOOKTAPE_RELAY_TOKEN: "relay_child_must_not_see_9",
};

function environmentIn(file: string): Map<string, string> {
  const variables = new Map<string, string>();
  for (const line of readFileSync(file, "utf8").split("\0")) {
    const eq = line.indexOf("=");
    if (eq > 0) variables.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return variables;
}

describe("child processes never receive a credential hooktape reads", () => {
  it("cloudflared, --on-url and --on-exit get the environment without them, plus HOOKTAPE_PUBLIC_URL for the scripts", async () => {
    const dir = tempDir();
    const stateFile = path.join(dir, "cloudflared.json");
    edgeStates.push(stateFile);
    const onUrl = path.join(dir, "on-url.env");
    const onExit = path.join(dir, "on-exit.env");
    const listen = await session.listen(
      ["--cloudflared", FAKE_CLOUDFLARED, "--db", path.join(dir, "h.db"), "--on-url", `env -0 > '${onUrl}'`, "--on-exit", `env -0 > '${onExit}'`],
      { ...CREDENTIALS, MY_APP_SETTING: "kept", FAKE_CLOUDFLARED_STATE: stateFile },
    );
    const publicUrl = listen.ready.publicUrl;
    expect(publicUrl).toMatch(/trycloudflare\.com$/);
    const state = (await readState(stateFile)) as unknown as { variables: string[] };
    await vi.waitFor(() => expect(readFileSync(onUrl, "utf8")).toContain("HOOKTAPE_PUBLIC_URL="));
    expect(await listen.stop("SIGTERM")).toBe(0);

    for (const names of [state.variables, [...environmentIn(onUrl).keys()], [...environmentIn(onExit).keys()]]) {
      for (const credential of Object.keys(CREDENTIALS)) expect(names).not.toContain(credential);
      expect(names).toContain("MY_APP_SETTING");
    }
    for (const file of [onUrl, onExit]) {
      const text = readFileSync(file, "utf8");
      for (const value of Object.values(CREDENTIALS)) expect(text).not.toContain(value);
      expect(environmentIn(file).get("HOOKTAPE_PUBLIC_URL")).toBe(publicUrl);
    }
  });
});
