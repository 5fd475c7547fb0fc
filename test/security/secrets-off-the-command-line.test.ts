import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, runCli, startListen } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { fixtureFile, shippedSecret } from "../fixtures/shipped-secrets.js";
import { FAKE_CLOUDFLARED, readState } from "../tunnel/helpers.js";

// A real token's shape: base64 JSON {"a": account tag, "t": tunnel id, "s": secret}.
const TOKEN = Buffer.from(JSON.stringify({ a: "0123456789abcdef", t: "6ff42ae2-765d-4adf-8112-31c55c1551ef", s: "dG9wLXNlY3JldC10dW5uZWw=" })).toString("base64");
const GITHUB_SECRET = shippedSecret("github").sign;

interface FakeCloudflaredState {
  argv: string[];
  tokenSource: "argv" | "env" | null;
  hooktapeVariables: string[];
}

function cmdlineOf(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
}

describe("secrets stay off the command line and out of child processes", () => {
  it.each([
    ["HOOKTAPE_TUNNEL_TOKEN", (_file: string) => ({ args: [] as string[], env: { HOOKTAPE_TUNNEL_TOKEN: TOKEN } })],
    ["--tunnel-token-file", (file: string) => ({ args: ["--tunnel-token-file", file], env: {} })],
  ])("a named tunnel's token from %s reaches cloudflared in TUNNEL_TOKEN, never in its arguments", async (_how, given) => {
    const dir = tempDir();
    const tokenFile = path.join(dir, "token");
    writeFileSync(tokenFile, TOKEN + "\n", { mode: 0o600 });
    const stateFile = path.join(dir, "cloudflared.json");
    const { args, env } = given(tokenFile);
    const listen = await startListen(["--cloudflared", FAKE_CLOUDFLARED, "--public-url", "https://hooks.example.com", ...args], {
      ...env,
      HOOKTAPE_DB: path.join(dir, "h.db"),
      HOOKTAPE_SECRET_GITHUB: GITHUB_SECRET,
      FAKE_CLOUDFLARED_STATE: stateFile,
      FAKE_CLOUDFLARED_HOSTNAME: "hooks.example.com",
    });
    try {
      expect(listen.ready.publicUrl).toBe("https://hooks.example.com");
      const state = (await readState(stateFile)) as unknown as FakeCloudflaredState;
      expect(state.tokenSource).toBe("env");
      expect(state.argv.join(" ")).not.toContain(TOKEN);
      expect(state.argv).toEqual(expect.arrayContaining(["tunnel", "run", "--no-autoupdate"]));
      // The child inherits nothing of hooktape's secrets.
      expect(state.hooktapeVariables).not.toContain("HOOKTAPE_SECRET_GITHUB");
      expect(state.hooktapeVariables).not.toContain("HOOKTAPE_TUNNEL_TOKEN");
      // And hooktape's own command line shows no token either.
      expect(cmdlineOf(listen.child.pid as number)).not.toContain(TOKEN);
    } finally {
      await listen.stop();
    }
  });

  it("a quick tunnel's cloudflared does not inherit HOOKTAPE_SECRET_* either", async () => {
    const dir = tempDir();
    const stateFile = path.join(dir, "cloudflared.json");
    const listen = await startListen(["--cloudflared", FAKE_CLOUDFLARED], {
      HOOKTAPE_DB: path.join(dir, "h.db"),
      HOOKTAPE_SECRET_STRIPE: "whsec_must_not_leak",
      FAKE_CLOUDFLARED_STATE: stateFile,
    });
    try {
      const state = (await readState(stateFile)) as unknown as FakeCloudflaredState;
      expect(state.hooktapeVariables.filter((name) => name.startsWith("HOOKTAPE_SECRET_"))).toEqual([]);
      expect(state.tokenSource).toBe(null);
    } finally {
      await listen.stop();
    }
  });

  it("--secret-file: one secret per line, provider= prefixes allowed, comments and blank lines skipped", async () => {
    const dir = tempDir();
    const file = path.join(dir, "secrets");
    writeFileSync(file, `# test secrets\nstripe=whsec_not_this_one\n\ngithub=${GITHUB_SECRET}\r\n`, { mode: 0o600 });
    const verified = await runCli(["--json", "verify", "--fixture", fixtureFile("github"), "--secret-file", file, "--now", "1795777200"]);
    expect(JSON.parse(verified.stdout)).toMatchObject({ valid: true, provider: "github" });
    expect(verified.code).toBe(0);

    // A wrong secret in the file is a wrong secret: the file is really what is used.
    writeFileSync(file, "github=not-the-secret\n");
    const wrong = await runCli(["--json", "verify", "--fixture", fixtureFile("github"), "--secret-file", file, "--now", "1795777200"]);
    expect(wrong.code).toBe(1);

    const missing = await runCli(["verify", "--fixture", fixtureFile("github"), "--secret-file", path.join(dir, "nope")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`hooktape: Cannot read --secret-file ${path.join(dir, "nope")}: no such file`);
  });

  it("listen --secret-file verifies what arrives", async () => {
    const dir = tempDir();
    const file = path.join(dir, "secrets");
    writeFileSync(file, `github=${GITHUB_SECRET}\n`, { mode: 0o600 });
    const fixture = JSON.parse(readFileSync(fixtureFile("github"), "utf8")) as { request: { headers: Array<[string, string]>; body: string } };
    const listen = await startListen(["--no-tunnel", "--secret-file", file], { HOOKTAPE_DB: path.join(dir, "h.db") });
    try {
      await fetch(`${listen.ready.url}/webhooks/github`, { method: "POST", headers: fixture.request.headers, body: fixture.request.body });
      await listen.waitForEvents(1);
      const event = listen.records.find((record) => record.type === "event") as { verification: { status: string } };
      expect(event.verification.status).toBe("valid");
      expect(cmdlineOf(listen.child.pid as number)).not.toContain(GITHUB_SECRET);
    } finally {
      await listen.stop();
    }
  });

  it("--secret on the command line prints a hint on a terminal, and nothing when stderr is not one", async () => {
    const args = ["sign", "--provider", "github", "--secret", "typed-in-the-shell", "--body", "{}"];
    const piped = await runCli(args);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe("");

    const command = [process.execPath, CLI, ...args].map((word) => `'${word}'`).join(" ");
    const screen = await new Promise<string>((resolve, reject) => {
      const child = spawn("script", ["-qfec", command, "/dev/null"], { env: { ...process.env, NO_COLOR: "1" } });
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      child.on("close", () => resolve(text));
      child.on("error", reject);
    });
    expect(screen).toContain("hint: a secret given on the command line is visible to every local user");
    expect(screen.match(/hint:/g)).toHaveLength(1);
    expect(screen).toContain("X-Hub-Signature-256: sha256=");
  });
});
