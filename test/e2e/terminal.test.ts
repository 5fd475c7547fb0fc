import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const FAKE_CLOUDFLARED = path.resolve(import.meta.dirname, "../fake-cloudflared/cloudflared.mjs");

/**
 * Runs `hooktape listen` in a real pseudo-terminal (util-linux `script`) with the given terminal width, until it
 * is ready, and returns everything the terminal received.
 */
function listenInTerminal(columns: number): Promise<string> {
  const db = path.join(tempDir(), "tty.db");
  const command = `stty cols ${columns}; exec "${process.execPath}" "${CLI}" listen --db "${db}" --cloudflared "${FAKE_CLOUDFLARED}"`;
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: "xterm-256color" };
  delete env.CI; // spinners are off in CI on purpose; this test is about a person's terminal
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let screen = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`listen did not get ready in a terminal; it printed ${JSON.stringify(screen.slice(0, 500))}`));
    }, 20_000);
    child.stdout.on("data", (chunk: Buffer) => {
      screen += chunk.toString("utf8");
      // A runaway spinner would print without end: stop reading long before that.
      if (screen.includes("Ctrl-C to stop") || screen.length > 100_000) {
        clearTimeout(timer);
        child.kill("SIGTERM");
      }
    });
    child.on("close", () => resolve(screen));
    child.on("error", reject);
  });
}

describe("hooktape listen in a terminal", () => {
  it("shows a spinner on the terminal while the tunnel opens, then the ready banner in colour", async () => {
    const screen = await listenInTerminal(100);
    expect(screen).toContain("Opening a Cloudflare quick tunnel");
    expect(screen).toMatch(/✔.*Tunnel connected \(ams16\)/);
    expect(screen).toMatch(/\u001b\[1mhooktape is listening/); // bold: colours are on in a terminal
    expect(screen.length).toBeLessThan(5_000);
  });

  it("prints plain lines, no spinner, on a terminal that reports no width", async () => {
    const screen = await listenInTerminal(0);
    expect(screen).not.toContain("Opening a Cloudflare quick tunnel");
    expect(screen).toContain("Tunnel connected (ams16)");
    expect(screen).toContain("hooktape is listening");
    expect(screen.length).toBeLessThan(5_000);
  });
});
