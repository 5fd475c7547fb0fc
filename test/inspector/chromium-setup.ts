// One Chromium for the whole browser project: Debian's, driven by playwright-core (pinned; it never downloads a
// browser), started once before the first browser file and closed after the last. Each file connects to it and works
// in contexts of its own, so its tests share nothing with another file's but the browser process.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  interface ProvidedContext {
    /** The browser server's WebSocket address, or null when no Chromium is installed (the browser tests skip). */
    chromiumEndpoint: string | null;
  }
}

// Debian's headless shell where it is installed: the same Chromium build (Blink, V8, the network stack) without the
// browser's own UI. The full browser, headless too, opens a window for every page, and each window loads its omnibox
// popup (a WebUI page) in a renderer of its own: this project took 50 s of CPU with it against 31 s with the shell.
const CHROMIUM =
  process.env.HOOKTAPE_CHROMIUM ?? ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].find((file) => existsSync(file)) ?? "/usr/bin/chromium";

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!existsSync(CHROMIUM)) {
    console.warn(`Skipping the inspector's browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium-headless-shell; .ci/run does).`);
    project.provide("chromiumEndpoint", null);
    return undefined;
  }
  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    headless: true,
    // Its control socket on loopback only (the path carries a random token too).
    host: "127.0.0.1",
    // Software rendering on every machine, with a GPU or without, as on CI. (playwright-core's own switches already
    // turn off first-run, background networking, component updates and sync; more switches measured no less CPU.)
    args: ["--disable-gpu"],
  });
  project.provide("chromiumEndpoint", server.wsEndpoint());
  return () => server.close();
}
