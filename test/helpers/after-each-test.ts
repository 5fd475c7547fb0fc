import { afterEach } from "vitest";

/**
 * What helpers must undo after every test (temp folders, processes they started), run by one `afterEach` that the
 * per-file setup (test/helpers/per-file-setup.ts) registers in every test file. A helper module is imported once per
 * worker when files share a worker's module cache, so a hook it registered when loaded would serve only the first
 * file: it hands its clean-up here instead.
 */
const cleanups: Array<() => unknown> = [];

export function afterEachTest(cleanup: () => unknown): void {
  cleanups.push(cleanup);
}

export function registerAfterEachTest(): void {
  // Last registered, first run, as vitest runs after-hooks: a relay's processes stop before the temp folders they
  // write to are removed. Every clean-up runs even when one throws; the first error fails the test.
  afterEach(async () => {
    const errors: unknown[] = [];
    for (const cleanup of [...cleanups].reverse()) {
      try {
        await cleanup();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  });
}
