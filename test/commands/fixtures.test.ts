import { createHmac } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runProgram } from "../helpers/program.js";
import { tempDir } from "../helpers/temp-dir.js";
import { fixtureFile, shippedSecret } from "../fixtures/shipped-secrets.js";
import { capturedEvent, storeWith } from "./command-helpers.js";

const SECRET = "whsec_export_test_only";

function stripeEvent(overrides: Partial<Parameters<typeof capturedEvent>[0]> = {}) {
  const body = '{"id":"evt_export","object":"event"}';
  const receivedAt = Date.now() - 86_400_000;
  const timestamp = Math.floor(receivedAt / 1000);
  const signature = `t=${timestamp},v1=${createHmac("sha256", SECRET).update(`${timestamp}.${body}`).digest("hex")}`;
  return capturedEvent({
    body: Buffer.from(body),
    receivedAt,
    // A hostile path: the file name must come from the id alone.
    url: "/../../escape/../x.json?y=1",
    provider: "stripe",
    headers: [
      ["Host", "127.0.0.1:9999"],
      ["Authorization", "Bearer sk_live_real"],
      ["Cookie", "session=abc"],
      ["X-Api-Key", "key-123"],
      ["Stripe-Signature", signature],
      ["Content-Type", "application/json"],
    ],
    ...overrides,
  });
}

describe("hooktape fixtures export", () => {
  it("writes <dir>/<event id>.json only, credentials redacted, signature kept; the fixture verifies at its capture time", async () => {
    const event = stripeEvent();
    const db = storeWith([event]);
    const dir = path.join(tempDir(), "out", "nested");
    const result = await runProgram(["--db", db, "fixtures", "export", event.id.slice(0, 10), "--dir", dir]);
    expect(result.code).toBe(0);
    const file = path.join(dir, `${event.id}.json`);
    expect(result.stdout).toBe(file + "\n");
    expect(readdirSync(dir)).toEqual([`${event.id}.json`]);
    expect(existsSync(path.resolve(dir, "../../escape"))).toBe(false);

    const text = readFileSync(file, "utf8");
    for (const secret of ["sk_live_real", "session=abc", "key-123"]) expect(text).not.toContain(secret);
    const fixture = JSON.parse(text) as { request: { url: string; headers: Array<[string, string]> }; meta: { eventId: string } };
    expect(fixture.request.url).toBe("/../../escape/../x.json?y=1");
    expect(Object.fromEntries(fixture.request.headers)).toMatchObject({
      Authorization: "[redacted]",
      Cookie: "[redacted]",
      "X-Api-Key": "[redacted]",
      "Content-Type": "application/json",
    });
    expect(fixture.meta.eventId).toBe(event.id);
    const verified = await runProgram(["verify", "--fixture", file, "--secret", SECRET]);
    expect(verified).toMatchObject({ code: 0, stdout: "valid\n" });
  });

  it("refuses to overwrite without --force, and overwrites with it", async () => {
    const event = stripeEvent();
    const db = storeWith([event]);
    const dir = tempDir();
    const file = path.join(dir, `${event.id}.json`);
    writeFileSync(file, "mine");
    const refused = await runProgram(["--db", db, "fixtures", "export", event.id, "--dir", dir]);
    expect(refused).toMatchObject({ code: 2, stderr: `hooktape: ${file} already exists; pass --force to overwrite\n` });
    expect(readFileSync(file, "utf8")).toBe("mine");
    const forced = await runProgram(["--db", db, "--json", "fixtures", "export", event.id, "--dir", dir, "--force"]);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toEqual({ files: [file] });
    expect(readFileSync(file, "utf8")).toContain('"provider": "stripe"');
  });

  it("an unknown id or a body that was not recorded is exit 2, and nothing is written", async () => {
    const rejected = stripeEvent({ rejected: "too_large", body: Buffer.alloc(0) });
    const db = storeWith([rejected]);
    const dir = path.join(tempDir(), "never");
    const unknown = await runProgram(["--db", db, "fixtures", "export", "01JD3XK2AAAAAAAAAAAAAAAAAA", "--dir", dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^hooktape: No event 01JD3XK2AAAAAAAAAAAAAAAAAA in /);
    const tooLarge = await runProgram(["--db", db, "fixtures", "export", rejected.id, "--dir", dir]);
    expect(tooLarge.code).toBe(2);
    expect(tooLarge.stderr).toMatch(/was rejected \(too large\); its body was not recorded/);
    expect(existsSync(dir)).toBe(false);
  });
});

describe("hooktape fixtures import", () => {
  it("records fixtures as events at their signing time, verified when a secret is given, never storing the secret", async () => {
    const db = path.join(tempDir(), "store.db");
    const { verify: secret } = shippedSecret("stripe");
    const imported = await runProgram(["--db", db, "--json", "fixtures", "import", fixtureFile("stripe"), fixtureFile("github"), "--secret", `stripe=${secret}`]);
    expect(imported.code).toBe(0);
    const records = JSON.parse(imported.stdout) as Array<{ file: string; id: string; provider: string; verification: { status: string } }>;
    expect(records.map((r) => [r.provider, r.verification.status])).toEqual([
      ["stripe", "valid"],
      ["github", "unverified"],
    ]);

    const list = await runProgram(["--db", db, "events", "list", "--json"]);
    const events = JSON.parse(list.stdout) as Array<{ id: string; url: string; provider: string; receivedAt: string; bodySize: number }>;
    const stripeEvent = events.find((e) => e.provider === "stripe");
    const fixture = JSON.parse(readFileSync(fixtureFile("stripe"), "utf8")) as { signedAt: number; request: { body: string } };
    expect(stripeEvent).toMatchObject({ url: "/webhooks/stripe", receivedAt: new Date(fixture.signedAt * 1000).toISOString(), bodySize: Buffer.byteLength(fixture.request.body) });
    expect(readFileSync(db).includes(Buffer.from(secret ?? "x"))).toBe(false);

    const verified = await runProgram(["--db", db, "verify", "--event", records[0]?.id ?? "", "--secret", secret ?? ""]);
    expect(verified).toMatchObject({ code: 0, stdout: "valid\n" });
    const show = await runProgram(["--db", db, "events", "show", records[0]?.id ?? "", "--body"]);
    expect(show.stdout).toBe(fixture.request.body);
  });

  it("a malformed fixture is exit 2 and nothing is imported", async () => {
    const db = path.join(tempDir(), "store.db");
    const broken = path.join(tempDir(), "broken.json");
    writeFileSync(broken, '{"hooktape":1,"provider":"stripe","request":{"method":"POST","url":"/","headers":[],"body":5}}');
    const result = await runProgram(["--db", db, "fixtures", "import", fixtureFile("stripe"), broken]);
    expect(result).toMatchObject({ code: 2, stderr: `hooktape: ${broken}: request.body must be a string (the exact body text; JSON bodies are strings too)\n` });
    expect(existsSync(db)).toBe(false);
  });
});

describe("fixtures import keeps each fixture's own time", () => {
  it("an older fixture imported after a newer one keeps its older time in its id and in the list", async () => {
    const dir = tempDir();
    const make = (name: string, capturedAt: string) => {
      const file = path.join(dir, `${name}.json`);
      const body = `{\n  "id": "${name}",\n  "note": "naïve / ok"\n}`;
      writeFileSync(file, JSON.stringify({ hooktape: 1, provider: null, request: { method: "POST", url: `/${name}`, headers: [["Content-Type", "application/json"]], body }, meta: { capturedAt } }));
      return file;
    };
    const db = path.join(dir, "import.db");
    const newer = make("newer", "2026-11-28T12:00:00.000Z");
    const older = make("older", "2025-03-01T08:00:00.000Z");
    const result = await runProgram(["--db", db, "fixtures", "import", newer, older, "--json"]);
    expect(result.code).toBe(0);
    const [first, second] = JSON.parse(result.stdout) as Array<{ id: string }>;
    const timeOf = (id: string) => [...id.slice(0, 10)].reduce((total, char) => total * 32 + "0123456789ABCDEFGHJKMNPQRSTVWXYZ".indexOf(char), 0);
    expect(timeOf(first!.id)).toBe(Date.parse("2026-11-28T12:00:00.000Z"));
    expect(timeOf(second!.id)).toBe(Date.parse("2025-03-01T08:00:00.000Z"));
    const list = JSON.parse((await runProgram(["--db", db, "ls", "--json"])).stdout) as Array<{ url: string; receivedAt: string }>;
    expect(list.map((e) => [e.url, e.receivedAt])).toEqual([
      ["/newer", "2026-11-28T12:00:00.000Z"],
      ["/older", "2025-03-01T08:00:00.000Z"],
    ]);
  });
});
