// Adyen end to end with the built CLI and a real SQLite file: a standard webhook signed by Adyen's own SDK is
// captured by `listen` (valid), then replayed with a changed amount — re-signed in the body — to a handler that
// verifies with @adyen/api-library; the README's forgery command (`--tamper body --expect 4xx`) is refused.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startCorrectHandler } from "../handlers/correct-handler.js";
import { HmacValidator } from "../helpers/adyen-hmac-validator.js";
import { runCli, startListen } from "../helpers/cli.js";
import { send } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** An AUTHORISATION notification as Adyen sends it, its hmacSignature computed by Adyen's SDK. */
function adyenDelivery(): string {
  const item = {
    additionalData: { expiryDate: "03/2030", shopperName: "Zoë Müller", hmacSignature: "" },
    amount: { currency: "EUR", value: 1130 },
    eventCode: "AUTHORISATION",
    eventDate: "2026-12-01T10:00:00+01:00",
    merchantAccountCode: "HooktapeECOM",
    merchantReference: "Café-order-7",
    pspReference: "7914073381342284",
    success: "true",
  };
  item.additionalData.hmacSignature = new HmacValidator().calculateHmac(item as unknown as Parameters<HmacValidator["calculateHmac"]>[0], KEY);
  const text = JSON.stringify({ live: "false", notificationItems: [{ NotificationRequestItem: item }] }, null, 2);
  return text.replace(/\//g, "\\/");
}

describe("adyen: listen -> replay --set (re-signed in the body) -> @adyen/api-library", () => {
  it("captures an SDK-signed delivery as valid, replays an edited amount that the SDK accepts, and a tampered body that it refuses", async () => {
    const handler = await startCorrectHandler("adyen", KEY);
    cleanups.push(() => handler.close());
    const db = path.join(tempDir(), "hooktape.db");
    const listen = await startListen([handler.url, "--no-tunnel", "--db", db, "--provider", "adyen", "--secret", `adyen=${KEY}`]);
    cleanups.push(() => listen.stop("SIGKILL"));
    const sent = await send(`${listen.ready.url}/adyen`, { headers: [["Content-Type", "application/json"]], body: adyenDelivery() });
    expect(sent.status).toBe(200);
    await listen.waitForEvents(1);
    const record = listen.records.find((item) => item.type === "event") as { id: string; verification: { status: string } };
    expect(record.verification.status).toBe("valid");
    expect(await listen.stop("SIGTERM")).toBe(0);
    expect(handler.processed).toEqual(["7914073381342284:AUTHORISATION"]);

    // A body edit re-signs: the new amount is signed into the item, which Adyen's SDK accepts (a new event to it).
    const edited = await runCli([
      "replay", record.id, "--db", db, "--secret", `adyen=${KEY}`,
      "--set", "notificationItems[0].NotificationRequestItem.pspReference=\"8815000000000001\"",
      "--set", "notificationItems[0].NotificationRequestItem.amount.value=999",
      "--expect", "2xx",
    ]);
    expect(edited.stderr).not.toMatch(/Error|at .*\.js/);
    expect(edited.code).toBe(0);
    expect(handler.processed).toEqual(["7914073381342284:AUTHORISATION", "8815000000000001:AUTHORISATION"]);
    expect(handler.answers).toEqual([200, 200]);

    const forged = await runCli(["replay", record.id, "--db", db, "--tamper", "body", "--expect", "4xx"]);
    expect(forged.code).toBe(0);
    expect(handler.answers).toEqual([200, 200, 400]);
    // The signature is in the body: --tamper signature changes it there (it used to ask for a header and exit 2).
    const badSignature = await runCli(["replay", record.id, "--db", db, "--tamper", "signature", "--expect", "4xx"]);
    expect(badSignature.stderr).not.toMatch(/error|tamper|add --resign/i);
    expect(badSignature.code).toBe(0);
    expect(handler.answers).toEqual([200, 200, 400, 400]);

    // Verifying the stored event again, offline, with the key: still valid; with another key: exit 1.
    expect((await runCli(["verify", "--event", record.id, "--db", db, "--provider", "adyen", "--secret", KEY])).code).toBe(0);
    const wrong = await runCli(["verify", "--event", record.id, "--db", db, "--provider", "adyen", "--secret", "ab".repeat(32)]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout + wrong.stderr).toContain("notification item 1 of 1 (pspReference 7914073381342284) does not match");
  });
});
