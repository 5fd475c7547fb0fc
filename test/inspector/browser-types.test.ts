// Event types and attempt records as the page shows them, with events made the way users make them: captured by
// `listen`, sent by `hooktape trigger` through the running listen, and replayed with an edit by `hooktape replay`.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type ListenProcess } from "../helpers/cli.js";
import { startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { fileTempDir, type FileTempDir } from "../helpers/temp-dir.js";
import { haveChromium, connectChromium, rowFor, rows, watchedPage } from "./browser-helpers.js";
import { STRIPE_SECRET, sendStripe, startListenUi, stripeBody } from "./helpers.js";

const GITHUB_SECRET = "github-secret-for-the-type-column";

describe.skipIf(!haveChromium)("event types and what each attempt sent, in Chromium", () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let handler: TargetServer;
  let listen: ListenProcess & { origin: string; token: string; url: string };
  // The store outlives each test (tempDir's folders are removed after every test): the CLI reads it in the last one.
  let folder: FileTempDir;
  let db: string;

  beforeAll(async () => {
    folder = fileTempDir("hooktape-types-");
    db = path.join(folder.dir, "store.db");
    handler = await startTargetServer({ kind: "answer", status: 200, body: '{"ok":true}', headers: { "content-type": "application/json" } });
    const secrets = ["--secret", `stripe=${STRIPE_SECRET}`, "--secret", `github=${GITHUB_SECRET}`];
    listen = await startListenUi([handler.url, "--no-tunnel", "--db", db, ...secrets]);
    await sendStripe(listen.ready.url, "/webhooks/stripe", stripeBody("evt_captured"));
    for (const [provider, type] of [
      ["github", "pull_request.opened"],
      ["stripe", "invoice.paid"],
    ] as const) {
      const sent = await runCli(["trigger", provider, type, "--db", db, ...secrets]);
      expect(sent.code, sent.stderr).toBe(0);
    }
    await listen.waitForEvents(3);
    browser = await connectChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    ({ page, errors } = await watchedPage(context));
    await page.goto(listen.url);
    await rows(page).nth(2).waitFor();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await listen?.stop();
    await handler?.close();
    folder?.remove();
  });

  it("shows each event's type in its own column, triggered ones included", async () => {
    const typeOf = (url: string) => rowFor(page, url).locator("td.type").allTextContents();
    expect(await typeOf("/webhooks/github")).toEqual(["pull_request.opened"]);
    expect((await typeOf("/webhooks/stripe")).sort()).toEqual(["invoice.paid", "payment_intent.succeeded"]);
  });

  it("filters by type with a glob, keeps the filter in the address, and drops it again", async () => {
    await page.getByLabel("Event type").fill("invoice.*");
    await expect.poll(() => rows(page).locator("td.type").allTextContents()).toEqual(["invoice.paid"]);
    expect(decodeURIComponent(page.url())).toContain("type=invoice.*");
    await page.getByLabel("Event type").fill("");
    await expect.poll(() => rows(page).count()).toBe(3);
  });

  it("shows what a replay sent: its own edited body, beside the forward that sent the event's", async () => {
    const id = String(await rowFor(page, "/webhooks/github").getAttribute("data-id"));
    const replay = await runCli(["replay", id, "--db", db, "--set", "pull_request.title=\"Édité par hooktape\"", "--secret", `github=${GITHUB_SECRET}`]);
    expect(replay.code, replay.stderr).toBe(0);
    await rowFor(page, "/webhooks/github").click();
    const attempts = page.locator("ol.timeline > li");
    await expect.poll(() => attempts.count()).toBe(2);
    expect(await attempts.nth(1).locator("b").first().textContent()).toBe("replay #1");

    // The forward sent the captured body; the replay sent its edit, served as it went out.
    await attempts.first().locator("details.sent summary").click();
    expect(await attempts.first().locator(".sent-request").textContent()).toContain("The event's own body");
    await attempts.nth(1).locator("details.sent summary").click();
    await attempts.nth(1).getByRole("button", { name: "Show the body it sent" }).click();
    const sentBody = await attempts.nth(1).locator(".sent-request pre.body").textContent();
    expect(JSON.parse(sentBody ?? "").pull_request.title).toBe("Édité par hooktape");
    expect(sentBody).toBe(handler.received.at(-1)?.body.toString("utf8"));
    expect(errors).toEqual([]);
  });
});
