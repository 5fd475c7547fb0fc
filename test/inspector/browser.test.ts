// The inspector's page in a real browser: Debian's Chromium driven by playwright-core (pinned; it never downloads
// a browser), against `hooktape listen --ui` (the built CLI) and a real handler on 127.0.0.1.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ListenProcess } from "../helpers/cli.js";
import { send, startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { fileTempDir, type FileTempDir } from "../helpers/temp-dir.js";
import { haveChromium, connectChromium, rowFor as rowForUrl, rows as rowsOf, watchedPage } from "./browser-helpers.js";
import { STRIPE_SECRET, call, sendStripe, startListenUi, stripeBody, stripeSdk } from "./helpers.js";

const HOSTILE_BODY = '{"note":"<script>window.__pwned = 1</script><img src=x onerror=\\"window.__pwned = 2\\">","esc":"\u001b[31mred\u001b[0m"}';

describe.skipIf(!haveChromium)("the inspector page in Chromium", () => {
  let browser: Browser;
  let page: Page;
  let handler: TargetServer;
  let listen: ListenProcess & { origin: string; token: string; url: string };
  let folder: FileTempDir;
  let dir: string;
  let consoleErrors: string[] = [];
  let requested: string[] = [];

  const rows = () => rowsOf(page);
  const rowFor = (url: string) => rowForUrl(page, url);

  beforeAll(async () => {
    folder = fileTempDir("hooktape-browser-");
    dir = folder.dir;
    handler = await startTargetServer({ kind: "answer", status: 200, body: '{"ok":true}', headers: { "content-type": "application/json" } });
    listen = await startListenUi([handler.url, "--no-tunnel", "--db", path.join(dir, "store.db"), "--secret", `stripe=${STRIPE_SECRET}`]);
    await sendStripe(listen.ready.url, "/webhooks/stripe", stripeBody("evt_first"));
    await sendStripe(listen.ready.url, "/webhooks/stripe", stripeBody("evt_second", { amount: 4500 }));
    await send(`${listen.ready.url}/webhooks/hostile`, {
      headers: [
        ["Content-Type", "application/json"],
        ["X-Note", '<img src=x onerror="window.__pwned = 3">'],
      ],
      body: HOSTILE_BODY,
    });
    await sendStripe(listen.ready.url, "/webhooks/forged", stripeBody("evt_forged"), "whsec_not_the_right_one");
    await listen.waitForEvents(4);

    browser = await connectChromium();
    const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    ({ page, errors: consoleErrors, requested } = await watchedPage(context));
    await page.goto(listen.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await listen?.stop();
    await handler?.close();
    folder?.remove();
  });

  it("opens from the printed URL, drops the token from the address bar, and lists every event, live", async () => {
    expect(page.url()).toBe(`${listen.origin}/#/`);
    await expect.poll(() => rows().count()).toBe(4);
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("live");
    await expect.poll(() => rowFor("/webhooks/forged").locator(".badge").textContent()).toBe("✗ the signature does not match");
    expect(await rowFor("/webhooks/hostile").locator(".badge").textContent()).toBe("· unverified");
  });

  it("shows an event posted to the running listener without a reload", async () => {
    await sendStripe(listen.ready.url, "/webhooks/live-one", stripeBody("evt_live"));
    await expect.poll(() => rowFor("/webhooks/live-one").count(), { timeout: 5_000 }).toBe(1);
    await expect.poll(() => rowFor("/webhooks/live-one").locator(".status-ok").textContent(), { timeout: 5_000 }).toBe("200");
    expect(await rows().first().locator("td.request").textContent()).toContain("/webhooks/live-one");
  });

  it("narrows the list with filters and free-text search in bodies", async () => {
    await page.getByRole("searchbox", { name: "Search path, headers and body" }).fill("evt_second");
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().locator("td.request").textContent()).toContain("/webhooks/stripe");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => rows().count()).toBe(5);
    await page.getByLabel("Verification").selectOption("invalid");
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().locator("td.request").textContent()).toContain("/webhooks/forged");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => rows().count()).toBe(5);
  });

  it("shows the request byte-exact: headers in captured order, the raw body, the verdict", async () => {
    const row = rowFor("/webhooks/forged");
    const id = String(await row.getAttribute("data-id"));
    await row.click();
    const detail = (await call(listen.origin, `/api/events/${id}`, { token: listen.token })).json<{ headers: Array<[string, string]>; body: string }>();
    const shown = await page.getByRole("table", { name: "Headers", exact: true }).locator("tr").evaluateAll((trs) => trs.map((tr) => [tr.querySelector("th")?.textContent, tr.querySelector("td")?.textContent]));
    expect(shown).toEqual(detail.headers);
    await page.getByRole("tab", { name: "raw" }).click();
    expect(await page.getByTestId("body").textContent()).toBe(detail.body);
    expect(detail.body).toBe(stripeBody("evt_forged"));
    await page.getByRole("tab", { name: "pretty" }).click();
    expect(await page.getByTestId("body").textContent()).toBe(JSON.stringify(JSON.parse(detail.body), null, 2));
    await page.getByRole("tab", { name: "hex" }).click();
    expect(await page.getByTestId("body").textContent()).toMatch(/^00000000  7b 0a 20 20 22 69 64 22/);
    expect(await page.locator(".verdict .badge").textContent()).toBe("✗ the signature does not match");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("section.detail").count()).toBe(0);
  });

  it("renders a hostile body and header as text: no script runs, no element is injected", async () => {
    await rowFor("/webhooks/hostile").click();
    await page.getByRole("tab", { name: "raw" }).click();
    const body = String(await page.getByTestId("body").textContent());
    expect(body).toContain("<script>window.__pwned = 1</script>");
    // Terminal escapes show as visible text, not as invisible control characters.
    expect(body).toContain("\\x1b[31mred\\x1b[0m");
    expect(await page.getByRole("table", { name: "Headers", exact: true }).locator("td", { hasText: "onerror" }).textContent()).toBe('<img src=x onerror="window.__pwned = 3">');
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("section.detail img, section.detail script").count()).toBe(0);
    await page.keyboard.press("Escape");
  });

  it("Edit and replay: the body in the provider's layout, JSON validity shown; the preview is what the handler receives, byte for byte", async () => {
    const row = rowFor("/webhooks/stripe").last();
    await row.click();
    await page.getByRole("button", { name: "Edit and replay" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit and replay" });
    const bodyBox = dialog.getByRole("textbox", { name: "Body", exact: true });
    // The editor holds the body in the provider's own layout, line for line.
    await expect.poll(() => dialog.locator(".cm-line").allTextContents()).toEqual(stripeBody("evt_first").split("\n"));
    expect(await dialog.getByTestId("json-state").textContent()).toBe("✓ valid JSON");
    // Typed as a person types (select all, then text), not through a DOM edit of the editor's content.
    const type = async (text: string) => {
      await bodyBox.click();
      await page.keyboard.press("Control+A");
      await page.keyboard.insertText(text);
    };
    await type('{\n  "amount": 777,\n}');
    await expect.poll(() => dialog.getByTestId("json-state").textContent()).toMatch(/^✗ not valid JSON — line 3, column 1: /);
    const edited = stripeBody("evt_first").replace('"amount": 2000', '"amount": 777');
    await type(edited);
    await expect.poll(() => dialog.getByTestId("json-state").textContent()).toBe("✓ valid JSON");
    expect(await dialog.getByRole("checkbox").isChecked()).toBe(true);
    await dialog.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => dialog.getByTestId("preview").textContent()).toContain('"amount": 777');
    const preview = String(await dialog.getByTestId("preview").textContent());
    expect(preview).toMatch(/\nStripe-Signature: t=\d+,v1=[0-9a-f]{64}\n/);

    const before = handler.received.length;
    await dialog.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => handler.received.length).toBe(before + 1);
    const received = handler.received.at(-1);
    expect(received?.body.toString()).toBe(edited);
    // What arrived, written out as the preview writes it: request line, headers in arrival order, blank line, body.
    const arrived = `${received?.method} ${received?.url} HTTP/1.1\n${received?.headers.map(([name, value]) => `${name}: ${value}`).join("\n")}\n\n${received?.body.toString()}`;
    expect(preview).toBe(arrived);
    expect(received?.headers.find(([name]) => name === "host")?.[1]).toBe(new URL(handler.url).host);
    const signature = received?.headers.find(([name]) => name.toLowerCase() === "stripe-signature")?.[1] ?? "";
    const verified = stripeSdk.webhooks.constructEvent(received?.body ?? Buffer.alloc(0), signature, STRIPE_SECRET);
    expect((verified.data.object as { amount: number }).amount).toBe(777);

    await expect.poll(() => page.locator('ol.timeline li[data-kind="replay"]').count()).toBe(1);
    expect(await page.getByTestId("replay-result").textContent()).toContain("200");
    await expect.poll(() => rowFor("/webhooks/stripe").last().locator(".marker").textContent()).toBe("↻1");
    await page.keyboard.press("Escape");
  });

  it("Export fixture downloads what `fixtures export` writes; Copy as curl copies the exact body", async () => {
    const row = rowFor("/webhooks/forged");
    const id = String(await row.getAttribute("data-id"));
    await row.click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export fixture" }).click()]);
    expect(download.suggestedFilename()).toBe(`${id}.json`);
    const saved = path.join(dir, "downloaded.json");
    await download.saveAs(saved);
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(saved, "utf8")).toBe((await call(listen.origin, `/api/events/${id}/fixture`, { token: listen.token })).text);

    await page.getByRole("button", { name: "Copy as curl" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Copied" }).count()).toBe(1);
    const copied = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    // To the event's target (as `replay` would send it), with the headers a replay sends.
    expect(copied).toMatch(new RegExp(`^curl -sS --globoff -X POST '${handler.url}/`));
    expect(copied).toContain("-H 'Stripe-Signature: t=");
    expect(copied).not.toMatch(/-H '(Host|Connection|Transfer-Encoding|Content-Length):/i);
    expect(copied).toContain(`--data-raw '${stripeBody("evt_forged")}'`);
    await page.keyboard.press("Escape");
  });

  it("Compare shows the changed field, not the changed line", async () => {
    const second = rowFor("/webhooks/stripe").first();
    const firstId = String(await rowFor("/webhooks/stripe").last().getAttribute("data-id"));
    await second.click();
    await page.getByRole("button", { name: "Compare" }).click();
    const compare = page.getByRole("region", { name: "Compare" });
    await compare.getByLabel("Event to compare with").selectOption(firstId);
    const changed = compare.locator("table.changes").first().locator("tbody tr");
    await expect.poll(() => changed.evaluateAll((trs) => trs.map((tr) => tr.querySelector("code")?.textContent))).toEqual(["id", "data.object.id", "data.object.amount"]);
    expect(await changed.nth(2).locator("td").allTextContents()).toEqual(["data.object.amount", "2000", "4500"]);

    // Two attempts of one event: the handler answered the forward 200 and a replay 500.
    handler.setBehaviour({ kind: "answer", status: 500, body: '{"ok":false,"error":"db timeout"}', headers: { "content-type": "application/json" } });
    try {
      await page.getByRole("button", { name: "Replay", exact: true }).click();
      await expect.poll(() => page.locator("ol.timeline li").count()).toBe(2);
    } finally {
      handler.setBehaviour({ kind: "answer", status: 200, body: '{"ok":true}', headers: { "content-type": "application/json" } });
    }
    await compare.getByRole("tab", { name: "two delivery attempts" }).click();
    const tables = compare.locator("table.changes");
    const rowsOf = (n: number) => tables.nth(n).locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    // What was sent: the same body; the forward carried the X-Forwarded-* headers hooktape sets, the replay did not.
    await expect.poll(() => compare.textContent()).toContain("The same body.");
    await expect.poll(async () => (await rowsOf(0)).map((row) => row[0])).toContain("X-Forwarded-For");
    // What came back.
    expect(await rowsOf(1)).toEqual([
      ["ok", "true", "false"],
      ["error", "—", '"db timeout"'],
    ]);
    expect(await tables.nth(2).locator("tbody tr").first().locator("td").allTextContents()).toEqual(["status", '"200"', '"500"']);
    await page.keyboard.press("Escape");
  });

  it("works from the keyboard: j/k and arrows move, Enter opens, / searches, r replays, Esc goes back", async () => {
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("Escape");
    await page.keyboard.press("k");
    await page.keyboard.press("k");
    await page.keyboard.press("k");
    await page.keyboard.press("k");
    await page.keyboard.press("k");
    await expect.poll(() => rows().nth(0).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("j");
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => rows().nth(2).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("ArrowUp");
    await expect.poll(() => rows().nth(1).getAttribute("aria-selected")).toBe("true");
    const id = String(await rows().nth(1).getAttribute("data-id"));
    const url = (await call(listen.origin, `/api/events/${id}`, { token: listen.token })).json<{ url: string }>().url;
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("h2.request-line").textContent()).toBe(`POST ${url}`);
    const before = handler.received.length;
    await page.locator("h2.request-line").focus();
    await page.keyboard.press("r");
    await expect.poll(() => handler.received.length).toBe(before + 1);
    await page.keyboard.press("e");
    await expect.poll(() => page.getByRole("dialog", { name: "Edit and replay" }).isVisible()).toBe(true);
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByRole("dialog", { name: "Edit and replay" }).count()).toBe(0);
    expect(handler.received.length).toBe(before + 1);
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("section.detail").count()).toBe(0);
    await page.keyboard.press("/");
    expect(await page.evaluate(
        () => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute("aria-label"),
      )).toBe("Search path, headers and body");
    await page.keyboard.press("Escape");
  });

  it("pages a long list: 100 rows, then Load more brings the rest, none twice", async () => {
    for (let i = 0; i < 110; i++) {
      await send(`${listen.ready.url}/webhooks/bulk/${i}`, { headers: [["Content-Type", "application/json"]], body: `{"n":${i}}` });
    }
    await listen.waitForEvents(115);
    await page.reload();
    await expect.poll(() => rows().count()).toBe(100);
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(() => rows().count()).toBe(115);
    const ids = await rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-id")));
    expect(new Set(ids).size).toBe(115);
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);
  });

  it("loaded nothing from outside 127.0.0.1 and logged no console errors", () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => new URL(url).host !== new URL(listen.origin).host)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
