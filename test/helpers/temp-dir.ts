import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEachTest } from "./after-each-test.js";

const made: string[] = [];

/** A fresh folder under the OS temp dir, removed after the test. */
export function tempDir(prefix = "hooktape-test-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEachTest(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export interface FileTempDir {
  dir: string;
  remove(): void;
}

/** A fresh folder for what a whole file shares (the store a `beforeAll` fills), removed by `remove()` in its `afterAll`. */
export function fileTempDir(prefix = "hooktape-test-"): FileTempDir {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
