import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests spawn the built CLI and real servers: forks isolate them, two at a time on two cores.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ["test/helpers/global-setup.ts"],
    // expect.poll waits for something to happen (a row, a search on its worker thread); on two loaded cores 1 s,
    // the default, is not always enough. A poll that succeeds returns at once; only a failing one waits this long.
    expect: { poll: { timeout: 10_000 } },
  },
});
