// The inspector's credential in a real browser: the token only this origin can read (no cookie, which every port of
// 127.0.0.1 would receive), and a tab that outlives restarts of `listen --ui` on the same port and store.
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { headerOf } from "../helpers/headers.js";
import { startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { fileTempDir, tempDir, type FileTempDir } from "../helpers/temp-dir.js";
import { connectionOf, haveChromium, connectChromium, openRequest, rowFor, rows, watchedPage } from "./browser-helpers.js";
import { STRIPE_SECRET, call, freePort, sendStripe, startListenUi, startUi, stripeBody } from "./helpers.js";

/** Another local web server (any dev server, or another user's): a page with a pixel; it records what the browser sends it. */
function startOtherSite(): Promise<TargetServer> {
  return startTargetServer((request) =>
    request.url === "/"
      ? { status: 200, headers: { "content-type": "text/html" }, body: '<!doctype html><title>another local site</title><img src="/pixel.gif">' }
      : { status: 200, headers: { "content-type": "image/gif" }, body: Buffer.from("R0lGODlhAQABAAAAACwAAAAAAQABAAA=", "base64") },
  );
}

describe.skipIf(!haveChromium)("the inspector's session in Chromium", () => {
  let browser: Browser;
  let handler: TargetServer;
  // One listen for the tests that only read from it; the restart test starts and stops its own.
  let shared: Awaited<ReturnType<typeof startListenUi>>;
  let folder: FileTempDir;
  const stops: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    browser = await connectChromium();
    handler = await startTargetServer({ kind: "answer", status: 200, body: '{"ok":true}', headers: { "content-type": "application/json" } });
    folder = fileTempDir();
    shared = await startListenUi([handler.url, "--no-tunnel", "--db", path.join(folder.dir, "store.db"), "--secret", `stripe=${STRIPE_SECRET}`]);
  });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });
  afterAll(async () => {
    await browser?.close();
    await shared?.stop();
    await handler?.close();
    folder?.remove();
  });

  const listenOn = async (db: string, port: number) => {
    const listen = await startListenUi([handler.url, "--no-tunnel", "--db", db, "--secret", `stripe=${STRIPE_SECRET}`], {}, port);
    stops.push(() => listen.stop());
    return listen;
  };

  it("keeps the token where only its origin reads it: no cookie exists, and a page on another port of 127.0.0.1 gets nothing", async () => {
    const listen = shared;
    await sendStripe(listen.ready.url, "/webhooks/stripe", stripeBody("evt_session"));
    await listen.waitForEvents(1);
    const context = await browser.newContext();
    stops.push(() => context.close());
    const { page } = await watchedPage(context);
    await page.goto(listen.url);
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem("hooktape.token"))).toBe(listen.token);
    const id = String(await rows(page).first().getAttribute("data-id"));

    // The user follows a link to another local site in the same tab: it loads, and loads its own pixel.
    const other = await startOtherSite();
    stops.push(() => other.close());
    await page.goto(other.url);
    await expect.poll(() => other.received.map((request) => request.url)).toContain("/pixel.gif");
    expect(other.received.map((request) => headerOf(request, "cookie"))).toEqual(other.received.map(() => undefined));
    expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem("hooktape.token"))).toBeNull();

    // What its script can send the inspector carries no credential: refused, and nothing is replayed.
    const before = handler.received.length;
    const status = await page.evaluate(async ({ origin, id }) => {
      // Sent, and answered: its answer is withheld from this page (Cross-Origin-Resource-Policy), so the fetch fails.
      await fetch(`${origin}/api/events/${id}/replay`, { method: "POST", mode: "no-cors", credentials: "include", body: "{}" }).catch(() => null);
      return fetch(`${origin}/api/events`, { credentials: "include" }).then((response) => response.status, () => "refused by the browser");
    }, { origin: listen.origin, id });
    expect(status).toBe("refused by the browser"); // no CORS header: the answer is never readable from there
    expect((await call(listen.origin, `/api/events/${id}`, { token: listen.token })).json<{ deliveries: unknown[] }>().deliveries).toHaveLength(1);
    expect(handler.received.length).toBe(before);
    expect((await call(listen.origin, "/api/events")).status).toBe(401);
  });

  // Two listens and a ui, one after another on one port: a minute, as on two loaded cores it took longer than 30 s.
  it("survives a restart of listen --ui on the same port and store: the open tab reconnects by itself, and a reload works", async () => {
    const db = path.join(tempDir(), "store.db");
    const port = await freePort();
    const first = await listenOn(db, port);
    await sendStripe(first.ready.url, "/webhooks/before-restart", stripeBody("evt_before"));
    await first.waitForEvents(1);
    const context = await browser.newContext();
    stops.push(() => context.close());
    const { page, errors } = await watchedPage(context);
    await page.goto(first.url);
    await rowFor(page, "/webhooks/before-restart").click();
    await expect.poll(() => openRequest(page)).toBe("POST /webhooks/before-restart");
    await expect.poll(() => connectionOf(page)).toContain("live");

    expect(await first.stop()).toBe(0);
    await expect.poll(() => connectionOf(page)).toMatch(/offline|connecting/);

    const second = await listenOn(db, port);
    const restarted = Date.now();
    await expect.poll(() => connectionOf(page), { timeout: 10_000 }).toContain("live");
    expect(Date.now() - restarted).toBeLessThan(10_000);
    await sendStripe(second.ready.url, "/webhooks/after-restart", stripeBody("evt_after"));
    await expect.poll(() => rowFor(page, "/webhooks/after-restart").count(), { timeout: 5_000 }).toBe(1);
    expect(await openRequest(page)).toBe("POST /webhooks/before-restart");

    // A reload comes back to the same event, with the same token from this tab's session.
    await page.reload();
    await expect.poll(() => rows(page).count()).toBe(2);
    await expect.poll(() => openRequest(page)).toBe("POST /webhooks/before-restart");
    await expect.poll(() => connectionOf(page)).toContain("live");
    expect(await page.locator("main.locked").count()).toBe(0);
    expect(await page.locator("body").textContent()).not.toMatch(/Unauthorized/);
    // The browser logs each request the restart cut off (refused, empty): the page itself throws nothing.
    expect(errors.filter((error) => !/^Failed to load resource: net::ERR_/.test(error))).toEqual([]);

    // `ui --new-token` on that store and port: the tab says it is locked out, and how to get back in.
    await second.stop();
    const renewed = await startUi(["--db", db, "--port", String(port), "--new-token"]);
    stops.push(() => renewed.stop());
    await expect.poll(() => page.getByRole("alert").textContent(), { timeout: 10_000 }).toContain("This tab has no access to this inspector");
    expect(await page.locator("main.locked").textContent()).toContain("Open the URL hooktape printed");
  }, 60_000);

  it("a tab opened without the token says how to get in, and reads nothing", async () => {
    const listen = shared;
    const context = await browser.newContext();
    stops.push(() => context.close());
    const { page, requested } = await watchedPage(context);
    await page.goto(`${listen.origin}/`);
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("This tab has no access to this inspector");
    expect(requested.filter((url) => new URL(url).pathname.startsWith("/api/"))).toEqual([]);
  });
});
