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

const CHROMIUM = process.env.HOOKTAPE_CHROMIUM ?? "/usr/bin/chromium";

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!existsSync(CHROMIUM)) {
    console.warn(`Skipping the inspector's browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does).`);
    project.provide("chromiumEndpoint", null);
    return undefined;
  }
  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    headless: true,
    // Its control socket on loopback only (the path carries a random token too).
    host: "127.0.0.1",
    args: ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  project.provide("chromiumEndpoint", server.wsEndpoint());
  return () => server.close();
}
