// Selection and addresses in a real browser: the keyboard and the buttons act on the open event whatever arrives,
// every event and every filter has a URL, and back and forward walk through them.
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ListenProcess } from "../helpers/cli.js";
import { startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { fileTempDir, type FileTempDir } from "../helpers/temp-dir.js";
import { haveChromium, connectChromium, openRequest, rowFor, rowOf, rows, watchedPage } from "./browser-helpers.js";
import { STRIPE_SECRET, sendStripe, startListenUi, stripeBody } from "./helpers.js";

describe.skipIf(!haveChromium)("selection and addresses in Chromium", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let handler: TargetServer;
  let listen: ListenProcess & { origin: string; token: string; url: string };
  let folder: FileTempDir;
  const idOf = async (url: string) => String(await rowFor(page, url).getAttribute("data-id"));
  const openEvent = () => openRequest(page);
  const selectedId = () => page.locator('tbody tr.row[aria-selected="true"]').getAttribute("data-id");

  beforeAll(async () => {
    handler = await startTargetServer({ kind: "answer", status: 200, body: '{"ok":true}', headers: { "content-type": "application/json" } });
    // The store lives as long as the file: the first search opens it again, by its path, tests later.
    folder = fileTempDir();
    listen = await startListenUi([handler.url, "--no-tunnel", "--db", path.join(folder.dir, "store.db"), "--secret", `stripe=${STRIPE_SECRET}`]);
    await sendStripe(listen.ready.url, "/webhooks/a", stripeBody("evt_a"));
    await sendStripe(listen.ready.url, "/webhooks/b", stripeBody("evt_b"));
    await sendStripe(listen.ready.url, "/webhooks/forged", stripeBody("evt_forged"), "whsec_not_this_one");
    await listen.waitForEvents(3);
    browser = await connectChromium();
    context = await browser.newContext();
    ({ page, errors } = await watchedPage(context));
    await page.goto(listen.url);
    await rows(page).nth(2).waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await listen?.stop();
    await handler?.close();
    folder?.remove();
  });

  it("keeps the selection on the open event while events arrive: r replays it, Enter opens it, not whatever is at its row now", async () => {
    const a = await idOf("/webhooks/a");
    await rowOf(page, a).click();
    await expect.poll(openEvent).toBe("POST /webhooks/a");
    const indexBefore = await rows(page).evaluateAll((trs, id) => trs.findIndex((tr) => tr.getAttribute("data-id") === id), a);

    for (const name of ["new-1", "new-2", "new-3"]) await sendStripe(listen.ready.url, `/webhooks/${name}`, stripeBody(`evt_${name}`));
    await expect.poll(() => rows(page).count()).toBe(6);
    // The list moved under it: A's old row now holds another event.
    expect(await rows(page).nth(indexBefore).getAttribute("data-id")).not.toBe(a);
    expect(await selectedId()).toBe(a);
    expect(await openEvent()).toBe("POST /webhooks/a");

    const before = handler.received.length;
    await page.locator("h2.request-line").focus();
    await page.keyboard.press("r");
    await expect.poll(() => handler.received.length).toBe(before + 1);
    expect(JSON.parse(handler.received.at(-1)?.body.toString() ?? "{}")).toMatchObject({ id: "evt_a" });
    await expect.poll(() => page.getByTestId("replay-result").textContent()).toContain("200");

    await page.getByRole("button", { name: "Replay", exact: true }).click();
    await expect.poll(() => handler.received.length).toBe(before + 2);
    expect(JSON.parse(handler.received.at(-1)?.body.toString() ?? "{}")).toMatchObject({ id: "evt_a" });

    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("section.detail").count()).toBe(0);
    await sendStripe(listen.ready.url, "/webhooks/new-4", stripeBody("evt_new-4"));
    await expect.poll(() => rows(page).count()).toBe(7);
    expect(await selectedId()).toBe(a);
    await page.keyboard.press("Enter");
    await expect.poll(openEvent).toBe("POST /webhooks/a");
    await page.keyboard.press("Escape");
  });

  it("gives every event a URL: opening one by its address shows it; back and forward walk through what was opened", async () => {
    const a = await idOf("/webhooks/a");
    const b = await idOf("/webhooks/b");
    await page.goto(`${listen.origin}/#/events/${b}`);
    await expect.poll(openEvent).toBe("POST /webhooks/b");

    await page.goto(`${listen.origin}/#/`);
    await expect.poll(openEvent).toBeNull();
    await rowOf(page, a).click();
    await expect.poll(() => page.url()).toBe(`${listen.origin}/#/events/${a}`);
    await rowOf(page, b).click();
    await expect.poll(() => page.url()).toBe(`${listen.origin}/#/events/${b}`);
    await page.goBack();
    await expect.poll(openEvent).toBe("POST /webhooks/a");
    await page.goBack();
    await expect.poll(openEvent).toBeNull();
    await page.goForward();
    await expect.poll(openEvent).toBe("POST /webhooks/a");
    await page.goForward();
    await expect.poll(openEvent).toBe("POST /webhooks/b");
    await page.keyboard.press("Escape");
  });

  it("puts the filters in the URL: a reload or a shared address keeps them", async () => {
    await page.getByLabel("Verification").selectOption("invalid");
    await expect.poll(() => rows(page).count()).toBe(1);
    await expect.poll(() => page.url()).toBe(`${listen.origin}/#/?verification=invalid`);
    await page.reload();
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await page.getByLabel("Verification").inputValue()).toBe("invalid");
    const forged = await idOf("/webhooks/forged");
    await rowOf(page, forged).click();
    await expect.poll(() => page.url()).toBe(`${listen.origin}/#/events/${forged}?verification=invalid`);

    await page.goto(`${listen.origin}/#/?q=evt_b`);
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await page.getByRole("searchbox").inputValue()).toBe("evt_b");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => page.url()).toBe(`${listen.origin}/#/`);
    await expect.poll(() => rows(page).count()).toBe(7);
    expect(errors).toEqual([]);
  });
});
