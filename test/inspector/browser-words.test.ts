// What the page says, in Chromium: words and not codes (the CLI's wording table), the date where it is not today
// and one 24-hour time format, a list whose columns an open event never cuts, where this inspector is, the Compare
// picker's rows, and the handler's latest answer in view.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type ListenProcess } from "../helpers/cli.js";
import { send, startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { fileTempDir, type FileTempDir } from "../helpers/temp-dir.js";
import { haveChromium, connectChromium, rowFor, rows, watchedPage } from "./browser-helpers.js";
import { STRIPE_SECRET, call, freePort, sendStripe, startListenUi, stripeBody, stripeSdk } from "./helpers.js";

/** Machine codes the API and --json keep, and a person should never have to read. */
const CODES = /\b(missing_header|malformed_header|no_matching_signature|timestamp_too_old|timestamp_too_new|no_secret|unknown_provider|malformed_key|missing_url|ECONN[A-Z]+|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_[A-Z_]*|ERR_DELIVERY)\b/;
/** 2026-01-01T00:00:00Z, the moment an imported fixture claims. */
const NEW_YEAR = 1767225600;

describe.skipIf(!haveChromium)("what the inspector page says, in Chromium", () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let handler: TargetServer;
  let listen: ListenProcess & { origin: string; token: string; url: string };
  let db: string;
  let folder: FileTempDir;

  beforeAll(async () => {
    folder = fileTempDir();
    const dir = folder.dir;
    db = path.join(dir, "store.db");
    handler = await startTargetServer({ kind: "answer", status: 200, body: '{"ok":true}', headers: { "content-type": "application/json" } });
    listen = await startListenUi([handler.url, "--no-tunnel", "--db", db, "--secret", `stripe=${STRIPE_SECRET}`]);
    await sendStripe(listen.ready.url, "/webhooks/valid", stripeBody("evt_valid"));
    await sendStripe(listen.ready.url, "/webhooks/forged", stripeBody("evt_forged"), "whsec_not_this_one");
    const stale = stripeBody("evt_stale");
    const staleSignature = stripeSdk.webhooks.generateTestHeaderString({ payload: stale, secret: STRIPE_SECRET, timestamp: Math.floor(Date.now() / 1000) - 3600 });
    await send(`${listen.ready.url}/webhooks/stale`, { headers: [["Content-Type", "application/json"], ["Stripe-Signature", staleSignature]], body: stale });
    // The handler hangs up without an answer.
    handler.setBehaviour({ kind: "destroy" });
    await sendStripe(listen.ready.url, "/webhooks/cut", stripeBody("evt_cut"));
    handler.setBehaviour({ kind: "answer", status: 200, body: '{"ok":true}', headers: { "content-type": "application/json" } });
    await sendStripe(listen.ready.url, "/webhooks/refused", stripeBody("evt_refused"));
    await listen.waitForEvents(5);
    // Its latest attempt: a replay to a port where nothing listens.
    const refused = listen.records.find((record) => record.type === "event" && record.url === "/webhooks/refused");
    const closed = await freePort();
    await call(listen.origin, `/api/events/${String(refused?.id)}/replay`, {
      method: "POST",
      token: listen.token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ to: `http://127.0.0.1:${closed}` }),
    });
    // An event from another day: a fixture signed for 2026-01-01, imported as `fixtures import` records it.
    const bodyFile = path.join(dir, "body.json");
    writeFileSync(bodyFile, stripeBody("evt_new_year"));
    const fixture = path.join(dir, "new-year.json");
    const signed = await runCli(["sign", "--provider", "stripe", "--secret", STRIPE_SECRET, "--body-file", bodyFile, "--timestamp", String(NEW_YEAR), "--path", "/webhooks/new-year", "--format", "fixture", "--out", fixture]);
    expect(signed.code, signed.stderr).toBe(0);
    expect((await runCli(["fixtures", "import", fixture, "--db", db])).code).toBe(0);

    browser = await connectChromium();
    const context = await browser.newContext({ timezoneId: "UTC", viewport: { width: 1100, height: 760 } });
    ({ page, errors } = await watchedPage(context));
    await page.goto(listen.url);
    await rows(page).nth(5).waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await listen?.stop();
    await handler?.close();
    folder?.remove();
  });

  /** Every verdict badge and every status shown on the page now. */
  const shownStatuses = () =>
    page.locator(".badge, .delivery-status, tbody tr.row td:not(.request), .attempt-error, ol.timeline li > div").allTextContents();

  it("speaks in words, never in codes: verdicts and the handler's failures as the CLI says them", async () => {
    // Its latest answer is a replay's, marked as one.
    await expect.poll(() => rowFor(page, "/webhooks/refused").locator(".status-failed").textContent()).toBe("↻ connection refused");
    expect(await rowFor(page, "/webhooks/forged").locator(".badge").textContent()).toBe("✗ the signature does not match");
    expect(await rowFor(page, "/webhooks/stale").locator(".badge").textContent()).toBe("✗ signed too long ago");
    expect(await rowFor(page, "/webhooks/cut").locator(".status-failed").textContent()).toMatch(/^(closed, no answer|connection reset)$/);
    const inList = await shownStatuses();
    expect(inList.filter((text) => CODES.test(text))).toEqual([]);

    for (const url of ["/webhooks/refused", "/webhooks/stale", "/webhooks/cut"]) {
      await rowFor(page, url).click();
      await expect.poll(() => page.locator("section.detail h2").textContent()).toBe(`POST ${url}`);
      await page.locator("ol.timeline li").first().waitFor();
      const inDetail = await shownStatuses();
      expect(inDetail.filter((text) => CODES.test(text)), url).toEqual([]);
    }
    expect(await page.locator(".attempt-error").allTextContents()).toEqual([expect.stringMatching(/^the handler (closed|reset) the connection/)]);
    // The API keeps the codes, for scripts.
    const id = String(await rowFor(page, "/webhooks/cut").getAttribute("data-id"));
    const detail = (await call(listen.origin, `/api/events/${id}`, { token: listen.token })).json<{ delivery: { error: string } }>();
    expect(detail.delivery.error).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
    await page.keyboard.press("Escape");
  });

  it("writes time one way, 24-hour, with the date where it is not today", async () => {
    expect(await rowFor(page, "/webhooks/new-year").locator("td").first().textContent()).toBe("2026-01-01 00:00:00");
    expect(await rowFor(page, "/webhooks/valid").locator("td").first().textContent()).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    await rowFor(page, "/webhooks/new-year").click();
    await expect.poll(() => page.locator(".facts").textContent()).toContain("2026-01-01 00:00:00.000 via local");
    await rowFor(page, "/webhooks/valid").click();
    await expect.poll(() => page.locator("ol.timeline li").first().textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} forward #1/);
    expect(await page.locator("section.detail").textContent()).not.toMatch(/\b(AM|PM)\b/);
    await page.keyboard.press("Escape");
  });

  it("never cuts the list's columns when an event is open: only the path gives way, and the divider moves the split", async () => {
    await rowFor(page, "/webhooks/refused").click();
    await page.locator("section.detail h2").waitFor();
    const cut = () =>
      page.locator("section.list").evaluate((list) => {
        type Box = { scrollWidth: number; clientWidth: number; textContent: string | null; getBoundingClientRect(): { right: number } };
        const problems: string[] = [];
        if (list.scrollWidth > list.clientWidth + 1) problems.push(`the list scrolls sideways: ${list.scrollWidth} > ${list.clientWidth}`);
        for (const cell of list.querySelectorAll("tbody td:not(.request), .badge, .delivery-status, .row-facts") as unknown as Box[]) {
          if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`cut: "${cell.textContent}"`);
          if (cell.getBoundingClientRect().right > list.getBoundingClientRect().right + 1) problems.push(`out of view: "${cell.textContent}"`);
        }
        return problems;
      });
    expect(await cut()).toEqual([]);
    const divider = page.getByRole("separator", { name: "Resize the list" });
    const before = Number(await divider.getAttribute("aria-valuenow"));
    await divider.focus();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await expect.poll(async () => Number(await divider.getAttribute("aria-valuenow"))).toBe(before - 10);
    expect(await cut()).toEqual([]);
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.locator("h2.request-line").focus();
    await page.keyboard.press("Escape");
  });

  it("says where it is: the capture URL, the tunnel, where events are forwarded, the store", async () => {
    expect(await page.getByTestId("capture-url").textContent()).toBe(listen.ready.url);
    expect(await page.getByTestId("tunnel").textContent()).toBe("no tunnel (--no-tunnel)");
    expect(await page.getByTestId("target").textContent()).toBe(handler.url);
    expect(await page.getByTestId("store").textContent()).toBe(db);
  });

  it("shows the handler's latest answer without a click, and tells Compare's candidates apart by time, id and verdict", async () => {
    await rowFor(page, "/webhooks/valid").click();
    await expect.poll(() => page.getByTestId("latest-response").isVisible()).toBe(true);
    expect(await page.getByTestId("latest-response").textContent()).toBe('{"ok":true}');

    await page.getByRole("button", { name: "Compare" }).click();
    const options = page.getByLabel("Event to compare with").locator("option");
    const choices = await options.evaluateAll((list) => list.map((option) => ({ id: (option as unknown as { value: string }).value, label: option.textContent ?? "" })));
    expect(choices.length).toBe(5);
    for (const choice of choices) expect(choice.label).toContain(choice.id);
    expect(new Set(choices.map((choice) => choice.label)).size).toBe(choices.length);
    const forged = choices.find((choice) => choice.label.includes("/webhooks/forged"));
    expect(forged?.label).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} · POST \/webhooks\/forged · payment_intent\.succeeded · the signature does not match · [0-9A-Z]{26}$/);
    await page.keyboard.press("Escape");
    expect(errors).toEqual([]);
  });
});
