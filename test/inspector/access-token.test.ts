// The inspector's token is kept per store, beside it (0600), so that a tab survives a restart of `ui` or
// `listen --ui` on the same port and store; `ui --new-token` replaces it. Real files; the built CLI where the
// behaviour is the CLI's.
import { chmodSync, existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { storeToken, tokenFileOf } from "../../src/inspector/access-token.js";
import { tempDir } from "../helpers/temp-dir.js";
import { call, startUi } from "./helpers.js";

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

describe("the store's inspector token", () => {
  it("is made once, 0600 beside the store, and read back on the next start", () => {
    const store = path.join(tempDir(), "hooktape.db");
    const first = storeToken(store);
    expect(first.token).toMatch(TOKEN);
    expect(first.file).toBe(`${store}.inspector-token`);
    expect(statSync(tokenFileOf(store)).mode & 0o777).toBe(0o600);
    expect(readFileSync(tokenFileOf(store), "utf8").trim()).toBe(first.token);
    expect(storeToken(store)).toEqual({ token: first.token, file: first.file, note: null });
  });

  it("renew replaces it, and the old one is gone", () => {
    const store = path.join(tempDir(), "hooktape.db");
    const first = storeToken(store);
    const renewed = storeToken(store, { renew: true });
    expect(renewed.token).toMatch(TOKEN);
    expect(renewed.token).not.toBe(first.token);
    expect(renewed.note).toMatch(/new inspector token/);
    expect(storeToken(store).token).toBe(renewed.token);
    expect(statSync(tokenFileOf(store)).mode & 0o777).toBe(0o600);
  });

  it("never trusts a file other users could read, a symbolic link, or one that holds no token: each is replaced", () => {
    const dir = tempDir();
    const store = path.join(dir, "hooktape.db");
    const leaked = "L".repeat(43);
    writeFileSync(tokenFileOf(store), `${leaked}\n`, { mode: 0o644 });
    chmodSync(tokenFileOf(store), 0o644);
    const replaced = storeToken(store);
    expect(replaced.token).not.toBe(leaked);
    expect(replaced.note).toMatch(/other users could read it/);
    expect(statSync(tokenFileOf(store)).mode & 0o777).toBe(0o600);

    const elsewhere = path.join(dir, "planted");
    writeFileSync(elsewhere, `${"P".repeat(43)}\n`, { mode: 0o600 });
    const linked = path.join(dir, "other.db");
    symlinkSync(elsewhere, tokenFileOf(linked));
    const fromLink = storeToken(linked);
    expect(fromLink.token).not.toBe("P".repeat(43));
    expect(fromLink.note).toMatch(/symbolic link/);
    expect(readFileSync(elsewhere, "utf8")).toBe(`${"P".repeat(43)}\n`); // the link's target is left alone

    const junk = path.join(dir, "junk.db");
    writeFileSync(tokenFileOf(junk), "not a token", { mode: 0o600 });
    expect(storeToken(junk).note).toMatch(/did not hold a token/);
  });

  it("in a folder it cannot write, lasts for the run and says so", () => {
    const dir = path.join(tempDir(), "missing-folder");
    const kept = storeToken(path.join(dir, "hooktape.db"));
    expect(kept.token).toMatch(TOKEN);
    expect(kept.file).toBeNull();
    expect(kept.note).toMatch(/cannot keep the inspector token beside the store \(ENOENT\)/);
    expect(existsSync(dir)).toBe(false);
  });
});

describe("hooktape ui and the store's token", () => {
  it("a restart on the same store keeps the URL working; --new-token locks the old one out", async () => {
    const db = path.join(tempDir(), "store.db");
    const first = await startUi(["--db", db, "--port", "0"]);
    const firstToken = first.token;
    expect(first.url).toBe(`${first.origin}/#t=${firstToken}`);
    expect(await first.stop()).toBe(0);

    const again = await startUi(["--db", db, "--port", "0"]);
    try {
      expect(again.token).toBe(firstToken);
      expect((await call(again.origin, "/api/events", { token: firstToken })).status).toBe(200);
    } finally {
      await again.stop();
    }

    const renewed = await startUi(["--db", db, "--port", "0", "--new-token"]);
    try {
      expect(renewed.token).not.toBe(firstToken);
      expect((await call(renewed.origin, "/api/events", { token: firstToken })).status).toBe(401);
      expect((await call(renewed.origin, "/api/events", { token: renewed.token })).status).toBe(200);
      expect(renewed.stderr()).toMatch(/made a new inspector token/);
    } finally {
      await renewed.stop();
    }
    expect(statSync(`${db}.inspector-token`).mode & 0o777).toBe(0o600);
  });
});
