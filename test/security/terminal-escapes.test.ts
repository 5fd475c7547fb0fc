import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli, startListen } from "../helpers/cli.js";
import { runProgram } from "../helpers/program.js";
import { tempDir } from "../helpers/temp-dir.js";

const HOSTILE_BODY = "hello \u001b[2J\u001b]52;c;SGVsbG8=\u0007 world\n";

/** Runs the CLI in a real pseudo-terminal (util-linux `script`); returns what the terminal received and the exit code. */
function inTerminal(args: string[]): Promise<{ screen: string; code: number | null }> {
  const command = [process.execPath, CLI, ...args].map((word) => `'${word.replace(/'/g, "'\\''")}'`).join(" ");
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: "xterm-256color" };
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], { env });
    let screen = "";
    child.stdout.on("data", (chunk: Buffer) => (screen += chunk.toString("latin1")));
    child.on("close", (code) => resolve({ screen, code }));
    child.on("error", reject);
  });
}

/**
 * A hostile request as it arrives from the internet (escape sequences in the body, a C1 byte in a header), captured
 * once for the file by a real `listen`: the tests only read it. Its folder outlives each test's temp folders.
 */
let hostile: { db: string; id: string };
let hostileDir: string;
beforeAll(async () => {
  hostileDir = mkdtempSync(path.join(tmpdir(), "hooktape-escapes-"));
  const db = path.join(hostileDir, "h.db");
  const listen = await startListen(["--no-tunnel"], { HOOKTAPE_DB: db });
  try {
    const { port } = new URL(listen.ready.url);
    const body = Buffer.from(HOSTILE_BODY, "utf8");
    const head =
      `POST /hook HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: text/plain\r\nX-Evil: a\u009b2Jb\r\n` +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => socket.end(Buffer.concat([Buffer.from(head, "latin1"), body])));
      socket.on("data", () => undefined);
      socket.on("close", () => resolve());
      socket.on("error", reject);
    });
    await listen.waitForEvents(1);
  } finally {
    await listen.stop();
  }
  const id = (listen.records.find((record) => record.type === "event") as { id: string }).id;
  hostile = { db, id };
});
afterAll(() => rmSync(hostileDir, { recursive: true, force: true }));

describe("captured bytes cannot drive the terminal", () => {
  it("events show on a terminal prints control characters as visible escapes; colours stay", async () => {
    const { db, id } = hostile;
    const { screen, code } = await inTerminal(["--db", db, "events", "show", id]);
    expect(code).toBe(0);
    expect(screen).not.toContain("\u001b[2J");
    expect(screen).not.toContain("\u001b]52");
    expect(screen).not.toContain("\u009b");
    expect(screen).not.toContain("\u0007");
    expect(screen).toContain("hello \\x1b[2J\\x1b]52;c;SGVsbG8=\\x07 world");
    expect(screen).toContain("a\\u009b2Jb");
    expect(screen).toMatch(/\u001b\[1mPOST \/hook/); // hooktape's own bold survives
  });

  it("--json and show --body stay exact", async () => {
    const { db, id } = hostile;
    const json = await runProgram(["--db", db, "--json", "events", "show", id]);
    const detail = JSON.parse(json.stdout) as { body: string; headers: Array<[string, string]> };
    expect(detail.body).toBe(HOSTILE_BODY);
    expect(detail.headers).toContainEqual(["X-Evil", "a\u009b2Jb"]);
    const raw = await runCli(["--db", db, "events", "show", id, "--body"]);
    expect(raw.stdoutBytes.equals(Buffer.from(HOSTILE_BODY))).toBe(true);
  });

  it("a human view piped into another program (show | head, show > file) shows control characters as escapes too", async () => {
    const { db, id } = hostile;
    const piped = await runCli(["--db", db, "events", "show", id]);
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(piped.stdout).toContain("hello \\x1b[2J\\x1b]52;c;SGVsbG8=\\x07 world");
    expect(piped.stdout).toContain("a\\u009b2Jb");
  });

  it("--json on a terminal is JSON with C1 controls escaped (\\u009b), which parses back to the exact text", async () => {
    const { db, id } = hostile;
    const { screen, code } = await inTerminal(["--db", db, "--json", "events", "show", id]);
    expect(code).toBe(0);
    expect(screen).not.toMatch(/[\u0080-\u009f]/);
    expect(screen).not.toContain("\u001b]52");
    expect(screen).toContain('"a\\u009b2Jb"');
    const piped = await runProgram(["--db", db, "--json", "events", "show", id]);
    expect(piped.stdout).not.toMatch(/[\u007f-\u009f]/);
    expect((JSON.parse(piped.stdout) as { headers: Array<[string, string]> }).headers).toContainEqual(["X-Evil", "a\u009b2Jb"]);
    // The JSON files and streams hooktape writes are escaped the same way: `cat` on a fixture or an export is safe.
    const dir = tempDir();
    expect((await runProgram(["--db", db, "fixtures", "export", id, "--dir", dir])).code).toBe(0);
    const fixture = readFileSync(path.join(dir, `${id}.json`), "utf8");
    const exported = (await runProgram(["--db", db, "events", "export"])).stdout;
    for (const text of [fixture, exported]) {
      expect(text).not.toMatch(/[\u007f-\u009f]/);
      expect(text).toContain('"a\\u009b2Jb"');
    }
    expect((JSON.parse(fixture) as { request: { headers: Array<[string, string]> } }).request.headers).toContainEqual(["X-Evil", "a\u009b2Jb"]);
  });

  it("show --body refuses to write control characters to a terminal without --force", async () => {
    const { db, id } = hostile;
    const refused = await inTerminal(["--db", db, "events", "show", id, "--body"]);
    expect(refused.code).toBe(2);
    expect(refused.screen).toContain("is binary or holds terminal control characters; pipe it");
    expect(refused.screen).not.toContain("\u001b]52");
    const forced = await inTerminal(["--db", db, "events", "show", id, "--body", "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.screen).toContain("\u001b]52;c;SGVsbG8=");
  });

  it("fixtures import refuses ESC in a header", async () => {
    const file = path.join(tempDir(), "evil.json");
    writeFileSync(
      file,
      JSON.stringify({ hooktape: 1, provider: null, request: { method: "POST", url: "/", headers: [["X-Title", "\u001b]0;pwned\u0007"]], body: "{}" } }),
    );
    const result = await runProgram(["--db", path.join(tempDir(), "h.db"), "fixtures", "import", file]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/request\.headers\[0\]: the value of X-Title contains a control character/);
  });
});
