import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { delimiter, dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { releaseAsset } from "../../src/tunnel/cloudflared-release.js";
import { installCloudflared, startTunnel, TunnelError } from "../../src/tunnel/index.js";
import { FAKE_CLOUDFLARED, fakeEnv, makeTempDir } from "./helpers.js";

// GitHub's release server is the network: it is played by a loopback server that serves "release assets" (here the
// fake cloudflared, or bytes that are not the pinned release). The downloader, the checksum, the rename and the
// spawn are hooktape's real code.

let temp: { dir: string; remove(): void };
let env: NodeJS.ProcessEnv;
let server: http.Server | null = null;
const requests: string[] = [];

beforeEach(() => {
  temp = makeTempDir("hooktape-install-");
  // No --cloudflared, no CLOUDFLARED_BIN, no cloudflared on PATH (only node, which the fake's
  // `#!/usr/bin/env node` needs): only a download can help.
  env = { ...fakeEnv(join(temp.dir, "state.json")), PATH: [join(temp.dir, "empty-path"), dirname(process.execPath)].join(delimiter) };
  requests.length = 0;
});
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
  temp.remove();
});

/** A release server on 127.0.0.1: `/releases/<name>` answers `assets[name]`; `/moved/*` redirects there. */
async function releaseServer(assets: Record<string, Buffer>): Promise<string> {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    const url = req.url ?? "";
    if (url.startsWith("/moved/")) {
      res.writeHead(302, { location: url.replace("/moved/", "/releases/") });
      res.end();
      return;
    }
    if (url.startsWith("/loop/")) {
      res.writeHead(302, { location: url });
      res.end();
      return;
    }
    const body = assets[url.replace("/releases/", "")];
    if (!body) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { "content-length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
}

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

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("installing cloudflared into the cache folder", () => {
  it("the pinned release has a sum for every platform hooktape supports", () => {
    for (const [platform, arch] of [["linux", "x64"], ["linux", "arm64"], ["darwin", "x64"], ["darwin", "arm64"], ["win32", "x64"]] as const) {
      expect(releaseAsset(platform, arch)?.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(releaseAsset("linux", "x64")?.name).toBe("cloudflared-linux-amd64");
  });

  it("refuses a download whose SHA-256 is not the pinned one: nothing made executable, nothing left", async () => {
    const asset = releaseAsset(process.platform, process.arch);
    if (asset === null) return; // a platform with no pinned build has nothing to download
    const base = await releaseServer({ [asset.name]: Buffer.from("#!/bin/sh\necho not cloudflared\n") });
    const cacheDir = join(temp.dir, "cache");
    const seen = recorder();

    const error = await startTunnel({
      originUrl: "http://127.0.0.1:9",
      env: { ...env, HOOKTAPE_CLOUDFLARED_RELEASE_BASE: `${base}/moved` },
      cacheDir,
      logger: seen.logger,
      install: seen.install,
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TunnelError);
    expect((error as TunnelError).message).toMatch(
      new RegExp(`^the cloudflared download did not match the pinned release \\(SHA-256 mismatch for ${asset.name}: expected ${asset.sha256}, got [0-9a-f]{64}; refusing to install it\\)$`),
    );
    expect(requests).toEqual([`/moved/${asset.name}`, `/releases/${asset.name}`]);
    expect(readdirSync(cacheDir)).toEqual([]);
    expect(seen.calls[0]).toMatch(/^info: cloudflared was not found .*downloading release 2026\.8\.3 for \S+ from http:\/\/127\.0\.0\.1:\d+\/moved\/\S+ into .* \(SHA-256 checked\)$/);
  });

  it("installs a download whose sum matches, then starts the tunnel with it and finds it in the cache the next time", async () => {
    const binary = readFileSync(FAKE_CLOUDFLARED);
    const base = await releaseServer({ "cloudflared-test": binary });
    const cacheDir = join(temp.dir, "cache");
    const seen = recorder();
    const installed = await installCloudflared(cacheDir, {
      releaseBase: base + "/releases",
      asset: { name: "cloudflared-test", sha256: sha256(binary), archive: null },
      logger: seen.logger,
      progress: seen.install,
    });
    expect(installed).toBe(join(cacheDir, process.platform === "win32" ? "cloudflared.exe" : "cloudflared"));
    expect(statSync(installed).mode & 0o111).not.toBe(0);
    expect(readdirSync(cacheDir)).toEqual(["cloudflared"]);
    expect(seen.calls.at(-1)).toBe(`succeed: cloudflared 2026.8.3 installed in ${installed}`);

    const handle = await startTunnel({ originUrl: "http://127.0.0.1:9", env, cacheDir, timeoutMs: 5000 });
    await handle.stop();
    expect(handle.binary).toBe(installed);
    expect(requests).toEqual(["/releases/cloudflared-test"]);
  });

  it("gives up after a few redirects, refuses non-https URLs, and reports an unreachable server in one line", async () => {
    const base = await releaseServer({});
    const asset = { name: "x", sha256: "0".repeat(64), archive: null } as const;
    const cacheDir = join(temp.dir, "cache");
    await expect(installCloudflared(cacheDir, { releaseBase: `${base}/loop`, asset })).rejects.toThrow(/more than 5 redirects/);
    await expect(installCloudflared(cacheDir, { releaseBase: "http://example.com/releases", asset })).rejects.toThrow(/refusing a non-https download URL/);
    await expect(installCloudflared(cacheDir, { releaseBase: "http://127.0.0.1:9/releases", asset })).rejects.toThrow(
      /^cloudflared is not installed and could not be downloaded \(connect ECONNREFUSED 127\.0\.0\.1:9\); install it or pass --cloudflared <path>$/,
    );
    expect(existsSync(join(cacheDir, "cloudflared"))).toBe(false);
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});
