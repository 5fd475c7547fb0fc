import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cachedWorkerdPath, installWorkerd } from "../../src/relay/workerd-runtime.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { relayEnv } from "./relay-helpers.js";

// The first-use install of workerd, against a registry on 127.0.0.1 serving a package tarball laid out as npm's
// `@cloudflare/workerd-<platform>` is (package/bin/workerd), with the registry's sha512 integrity.

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

function packageTarball(): Buffer {
  const dir = tempDir("hooktape-workerd-pkg-");
  mkdirSync(path.join(dir, "package", "bin"), { recursive: true });
  writeFileSync(path.join(dir, "package", "package.json"), '{"name":"@cloudflare/workerd-linux-64","version":"1.0.0"}');
  writeFileSync(path.join(dir, "package", "bin", "workerd"), "#!/bin/sh\necho workerd 2099-01-01\n");
  execFileSync("tar", ["-czf", path.join(dir, "pkg.tgz"), "-C", dir, "package"]);
  return readFileSync(path.join(dir, "pkg.tgz"));
}

async function registry(tarball: Buffer): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/octet-stream" });
    res.end(tarball);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe("workerd, fetched on first use", () => {
  it("downloads the pinned package tarball, checks its sha512 before extracting, and installs bin/workerd executable in the cache", async () => {
    const tarball = packageTarball();
    const integrity = `sha512-${createHash("sha512").update(tarball).digest("base64")}`;
    const served = await registry(tarball);
    const cache = tempDir("hooktape-cache-");
    const lines: string[] = [];
    const installed = await installWorkerd(cache, { registry: served.url, pkg: { name: "@cloudflare/workerd-linux-64", integrity }, version: "1.0.0", info: (line) => lines.push(line) });
    expect(installed).toBe(cachedWorkerdPath(cache));
    expect(served.requests).toEqual(["/@cloudflare/workerd-linux-64/-/workerd-linux-64-1.0.0.tgz"]);
    expect(statSync(installed).mode & 0o111).not.toBe(0);
    expect(execFileSync(installed, { encoding: "utf8" })).toBe("workerd 2099-01-01\n");
    // One line says what is fetched, from where, and that it is checked.
    expect(lines).toEqual([expect.stringMatching(/downloading @cloudflare\/workerd-linux-64@1\.0\.0 from http:\/\/127\.0\.0\.1:\d+\/.* \(SHA-512 checked\)/)]);
  });

  it("refuses a tarball whose sha512 differs from the pinned one, and leaves nothing behind", async () => {
    const served = await registry(packageTarball());
    const cache = tempDir("hooktape-cache-");
    const wrong = `sha512-${createHash("sha512").update("something else").digest("base64")}`;
    await expect(installWorkerd(cache, { registry: served.url, pkg: { name: "@cloudflare/workerd-linux-64", integrity: wrong }, version: "1.0.0" })).rejects.toThrow(
      /SHA-512 mismatch/,
    );
    expect(existsSync(cachedWorkerdPath(cache))).toBe(false);
    expect(readdirSync(cache).filter((name) => name.startsWith(".workerd-download-"))).toEqual([]);
  });

  it("relay serve with a --workerd that does not run: one line, exit 3", async () => {
    const result = await runCli(["relay", "serve", "--data", tempDir(), "--workerd", "/nonexistent/workerd"], { env: relayEnv() });
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^hooktape: Cannot run workerd \(ENOENT\)/)]);
  });
});
