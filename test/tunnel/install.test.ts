import { copyFileSync, existsSync, readdirSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { install } from "cloudflared";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startTunnel, TunnelError } from "../../src/tunnel/index.js";
import { FAKE_CLOUDFLARED, fakeEnv, makeTempDir } from "./helpers.js";

// The package's `install` downloads from GitHub; these machines (and this suite) only talk to
// 127.0.0.1, so it is replaced here. Everything else — Tunnel, use(), the spawn — is the real
// package, and the "downloaded" binary is the fake cloudflared.
vi.mock("cloudflared", async (importOriginal) => {
  const actual = await importOriginal<typeof import("cloudflared")>();
  return { ...actual, install: vi.fn() };
});
const installMock = vi.mocked(install);

let temp: { dir: string; remove(): void };
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  temp = makeTempDir("hooktape-install-");
  // No --cloudflared, no CLOUDFLARED_BIN, no cloudflared on PATH (only node, which the fake's
  // `#!/usr/bin/env node` needs): only a download can help.
  env = { ...fakeEnv(join(temp.dir, "state.json")), PATH: [join(temp.dir, "empty-path"), dirname(process.execPath)].join(delimiter) };
  installMock.mockReset();
});
afterEach(() => temp.remove());

function recorder() {
  const calls: string[] = [];
  return {
    calls,
    logger: { info: (m: string) => calls.push(`info: ${m}`), warn: (m: string) => calls.push(`warn: ${m}`) },
    install: {
      start: (m: string) => calls.push(`start: ${m}`),
      succeed: (m: string) => calls.push(`succeed: ${m}`),
      fail: (m: string) => calls.push(`fail: ${m}`),
    },
  };
}

describe("installing cloudflared into the cache folder", () => {
  it("fails fast with a clear message when the download fails, and leaves no partial file", async () => {
    const cacheDir = join(temp.dir, "cache");
    installMock.mockImplementation(async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND github.com"), { code: "ENOTFOUND" });
    });
    const seen = recorder();
    const started = Date.now();

    const error = await startTunnel({ originUrl: "http://127.0.0.1:9", env, cacheDir, logger: seen.logger, install: seen.install }).catch(
      (caught: unknown) => caught,
    );

    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(TunnelError);
    expect((error as TunnelError).message).toBe(
      "cloudflared is not installed and could not be downloaded (getaddrinfo ENOTFOUND github.com); install it or pass --cloudflared <path>",
    );
    // The user is told what is downloaded from where before the spinner starts.
    expect(seen.calls[0]).toMatch(/^info: cloudflared was not found .*downloading the latest release for \S+ from https:\/\/github\.com\/cloudflare\/cloudflared\/releases\/ into /);
    expect(seen.calls[0]).toContain(cacheDir);
    expect(seen.calls.slice(1)).toEqual(["start: Downloading cloudflared…", "fail: Could not download cloudflared (getaddrinfo ENOTFOUND github.com)"]);
    expect(installMock).toHaveBeenCalledTimes(1);
    expect(installMock.mock.calls[0]?.[0].startsWith(cacheDir)).toBe(true);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it("downloads once, starts the tunnel with it, and finds it in the cache the next time", async () => {
    const cacheDir = join(temp.dir, "cache");
    installMock.mockImplementation(async (to: string) => {
      copyFileSync(FAKE_CLOUDFLARED, to);
      return to;
    });
    const seen = recorder();

    const first = await startTunnel({ originUrl: "http://127.0.0.1:9", env, cacheDir, logger: seen.logger, install: seen.install, timeoutMs: 5000 });
    await first.stop();
    const second = await startTunnel({ originUrl: "http://127.0.0.1:9", env, cacheDir, timeoutMs: 5000 });
    await second.stop();

    expect(first.binary).toBe(join(cacheDir, "cloudflared"));
    expect(second.binary).toBe(first.binary);
    expect(first.publicUrl).toMatch(/\.trycloudflare\.com$/);
    expect(installMock).toHaveBeenCalledTimes(1);
    expect(seen.calls.at(-1)).toBe(`succeed: cloudflared installed in ${join(cacheDir, "cloudflared")}`);
    expect(existsSync(join(cacheDir, "cloudflared"))).toBe(true);
    expect(readdirSync(cacheDir)).toEqual(["cloudflared"]);
  });
});
