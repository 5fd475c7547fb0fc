import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultCacheDir, resolveCloudflaredBinary } from "../../src/tunnel/index.js";
import { makeTempDir } from "./helpers.js";

// The lookup order users rely on: --cloudflared, CLOUDFLARED_BIN, PATH, the cache folder.

let root: { dir: string; remove(): void };
let paths: { flag: string; env: string; pathDir: string; onPath: string; cacheDir: string; cached: string };

function executable(file: string): string {
  writeFileSync(file, "#!/bin/sh\nexit 0\n");
  chmodSync(file, 0o755);
  return file;
}

beforeEach(() => {
  root = makeTempDir("hooktape-resolve-");
  const pathDir = join(root.dir, "path-bin");
  const cacheDir = join(root.dir, "cache");
  mkdirSync(pathDir);
  mkdirSync(cacheDir);
  paths = {
    flag: executable(join(root.dir, "flag-cloudflared")),
    env: executable(join(root.dir, "env-cloudflared")),
    pathDir,
    onPath: executable(join(pathDir, "cloudflared")),
    cacheDir,
    cached: executable(join(cacheDir, "cloudflared")),
  };
});
afterEach(() => root.remove());

describe("resolveCloudflaredBinary", () => {
  it("prefers --cloudflared over everything else", () => {
    const env = { CLOUDFLARED_BIN: paths.env, PATH: paths.pathDir };
    expect(resolveCloudflaredBinary({ binary: paths.flag, env, cacheDir: paths.cacheDir })).toEqual({ path: paths.flag, source: "flag" });
  });

  it("then CLOUDFLARED_BIN, then PATH, then the cache folder", () => {
    expect(resolveCloudflaredBinary({ env: { CLOUDFLARED_BIN: paths.env, PATH: paths.pathDir }, cacheDir: paths.cacheDir })).toEqual({
      path: paths.env,
      source: "env",
    });
    expect(resolveCloudflaredBinary({ env: { PATH: paths.pathDir }, cacheDir: paths.cacheDir })).toEqual({ path: paths.onPath, source: "path" });
    expect(resolveCloudflaredBinary({ env: { PATH: join(root.dir, "empty") }, cacheDir: paths.cacheDir })).toEqual({
      path: paths.cached,
      source: "cache",
    });
  });

  it("returns null when nothing is found, so that the caller downloads it", () => {
    expect(resolveCloudflaredBinary({ env: { PATH: join(root.dir, "empty") }, cacheDir: join(root.dir, "empty-cache") })).toBeNull();
  });

  it("never takes cloudflared from a relative PATH entry (PATH=.:...) or from node_modules/.bin", () => {
    const planted = join(root.dir, "project");
    mkdirSync(join(planted, "node_modules", ".bin"), { recursive: true });
    executable(join(planted, "cloudflared"));
    executable(join(planted, "node_modules", ".bin", "cloudflared"));
    const cwd = process.cwd();
    process.chdir(planted);
    try {
      const env = { PATH: [".", "", "node_modules/.bin", join(planted, "node_modules", ".bin"), paths.pathDir].join(":") };
      expect(resolveCloudflaredBinary({ env, cacheDir: paths.cacheDir })).toEqual({ path: paths.onPath, source: "path" });
      const nothingElse = { PATH: [".", join(planted, "node_modules", ".bin")].join(":") };
      expect(resolveCloudflaredBinary({ env: nothingElse, cacheDir: join(root.dir, "empty-cache") })).toBeNull();
    } finally {
      process.chdir(cwd);
    }
  });

  it("skips a PATH entry that is not executable and keeps searching", () => {
    const first = join(root.dir, "first");
    mkdirSync(first);
    writeFileSync(join(first, "cloudflared"), "not a program"); // mode 644
    mkdirSync(join(first, "sub"));
    const env = { PATH: [first, paths.pathDir].join(":") };
    expect(resolveCloudflaredBinary({ env, cacheDir: paths.cacheDir })).toEqual({ path: paths.onPath, source: "path" });
  });

  it("keeps an explicit path even when it is missing, so that a typo is reported instead of replaced", () => {
    const missing = join(root.dir, "typo", "cloudflared");
    expect(resolveCloudflaredBinary({ binary: missing, env: { PATH: paths.pathDir }, cacheDir: paths.cacheDir })).toEqual({
      path: missing,
      source: "flag",
    });
    expect(resolveCloudflaredBinary({ env: { CLOUDFLARED_BIN: missing, PATH: paths.pathDir }, cacheDir: paths.cacheDir })).toEqual({
      path: missing,
      source: "env",
    });
  });

  it("resolves a relative --cloudflared against the working directory and a bare name on PATH", () => {
    expect(resolveCloudflaredBinary({ binary: "./bin/cf", env: {}, cacheDir: paths.cacheDir })?.path).toBe(resolve("bin/cf"));
    expect(resolveCloudflaredBinary({ binary: "cloudflared", env: { PATH: paths.pathDir }, cacheDir: paths.cacheDir })).toEqual({
      path: paths.onPath,
      source: "flag",
    });
  });
});

describe("defaultCacheDir", () => {
  it("uses $XDG_CACHE_HOME/hooktape, else ~/.cache/hooktape", () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/var/cache/me", HOME: "/home/me" })).toBe("/var/cache/me/hooktape");
    expect(defaultCacheDir({ HOME: "/home/me" })).toBe("/home/me/.cache/hooktape");
    // The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored.
    expect(defaultCacheDir({ XDG_CACHE_HOME: "relative", HOME: "/home/me" })).toBe("/home/me/.cache/hooktape");
  });
});
