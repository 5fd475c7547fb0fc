import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { runProgram } from "../helpers/program.js";
import { listenSession } from "../helpers/listen-session.js";
import { send } from "../helpers/target-server.js";
import { stripeVerifies } from "../helpers/stripe-verifies.js";
import { tempDir } from "../helpers/temp-dir.js";
import { call } from "../inspector/helpers.js";

const SECRET = "whsec_curl_commands_test_only";
const session = listenSession();

/** A local file the command must never send: what `--data-binary '@<path>'` would have curl read. */
function localSecretFile(): string {
  const file = path.join(tempDir(), "secret.txt");
  writeFileSync(file, "TOP-SECRET-LOCAL-FILE-CONTENT\n");
  return file;
}

/** Runs a produced command as a user pasting it into a shell would (the real curl), and waits for it to end. */
async function runInShell(command: string): Promise<void> {
  // Async: the recording server runs in this process and must keep answering while curl runs.
  await promisify(execFile)("sh", ["-c", command], { timeout: 15_000 });
}

describe("curl commands hooktape prints are literal: no local file read, no URL globbing", () => {
  it("sign --format curl: a body that starts with @ is sent as it is, and a path with [1-3]{a,b} is one request", async () => {
    const handler = await session.target();
    const secretFile = localSecretFile();
    const body = `@${secretFile}`;
    const url = `${handler.url}/x[1-3]{a,b}`;
    const signed = await runProgram(["sign", "--provider", "stripe", "--secret", SECRET, "--body", body, "--url", url, "--format", "curl"]);
    expect(signed.code).toBe(0);
    await runInShell(signed.stdout);

    expect(handler.received).toHaveLength(1);
    const [received] = handler.received;
    expect(received?.url).toBe("/x[1-3]{a,b}");
    expect(received?.body.toString("utf8")).toBe(body);
    expect(received?.body.toString("utf8")).not.toContain("TOP-SECRET");
    const signature = received?.headers.find(([name]) => name.toLowerCase() === "stripe-signature")?.[1] ?? "";
    // Stripe's own SDK accepts what arrived: the bytes are the ones that were signed.
    expect(() => stripeVerifies(received?.body ?? Buffer.alloc(0), signature, SECRET)).not.toThrow();
  });

  it("the inspector's Copy as curl of a captured event: the same bytes, one request, nothing read from disk", async () => {
    const secretFile = localSecretFile();
    const dir = tempDir();
    const listen = await session.listen(["--no-tunnel", "--ui", "--ui-port", "0", "--db", path.join(dir, "h.db")]);
    const inspectorUrl = await vi.waitFor(() => {
      const record = listen.records.find((item) => item.type === "inspector");
      expect(record).toBeDefined();
      return new URL(String(record?.url));
    });
    const token = new URLSearchParams(inspectorUrl.hash.slice(1)).get("t") ?? "";
    const body = `@${secretFile}`;
    const sent = await send(`${listen.ready.url}/x[1-3]{a,b}`, { headers: [["Content-Type", "text/plain"]], body });
    expect(sent.status).toBe(200);
    await listen.waitForEvents(1);
    const id = String(listen.records.find((item) => item.type === "event")?.id);

    const handler = await session.target();
    const curl = await call(inspectorUrl.origin, `/api/events/${id}/curl?to=${encodeURIComponent(handler.url)}`, { token });
    expect(curl.status).toBe(200);
    await runInShell(curl.text);

    expect(handler.received).toHaveLength(1);
    expect(decodeURI(handler.received[0]?.url ?? "")).toBe("/x[1-3]{a,b}");
    expect(handler.received[0]?.body.toString("utf8")).toBe(body);
  });

  it("a body that is not plain text (a CR, a control, invalid UTF-8) goes through base64 and arrives byte for byte", async () => {
    const handler = await session.target();
    const bodyFile = path.join(tempDir(), "body.bin");
    const bytes = Buffer.concat([Buffer.from("@/etc/passwd\r\n\u001b]0;title\u0007 \u009b "), Buffer.from([0xff, 0x00, 0xc3])]);
    writeFileSync(bodyFile, bytes);
    const signed = await runProgram(["sign", "--provider", "stripe", "--secret", SECRET, "--body-file", bodyFile, "--url", `${handler.url}/bin`, "--format", "curl"]);
    expect(signed.code).toBe(0);
    // The command itself holds nothing a terminal would obey.
    expect(signed.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    await runInShell(signed.stdout);
    expect(handler.received[0]?.body.equals(bytes)).toBe(true);
  });
});
