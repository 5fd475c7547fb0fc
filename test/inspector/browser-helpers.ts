// The project's one Chromium (started by chromium-setup.ts), driven by playwright-core, for the inspector's page.
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { inject } from "vitest";

const endpoint = inject("chromiumEndpoint");
export const haveChromium = endpoint !== null;

/** A connection of this file's own to the project's Chromium; closing it closes the contexts it opened. */
export function connectChromium(): Promise<Browser> {
  if (endpoint === null) throw new Error("no Chromium: the browser tests skip");
  return chromium.connect(endpoint);
}

/** A tab that records its console errors, uncaught exceptions and every URL it requested. */
export async function watchedPage(context: BrowserContext): Promise<{ page: Page; errors: string[]; requested: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  const requested: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("request", (request) => requested.push(request.url()));
  return { page, errors, requested };
}

/** The rows of the list, and the row of one event. */
export const rows = (page: Page) => page.locator("tbody tr.row");
export const rowOf = (page: Page, id: string) => page.locator(`tbody tr.row[data-id="${id}"]`);
export const rowFor = (page: Page, url: string) => page.locator("tbody tr.row", { has: page.locator("td.request", { hasText: url }) });

/** The text of the connection indicator ("● live", "○ offline — reconnecting…"). */
export const connectionOf = (page: Page) => page.locator(".connection").textContent();

/** The request line of the open event ("POST /webhooks/a"), or null when none is open. */
export const openRequest = async (page: Page) => ((await page.locator("section.detail h2.request-line").count()) === 0 ? null : page.locator("section.detail h2.request-line").textContent());
