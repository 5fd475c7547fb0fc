// The inspector's server on real sockets over a real SQLite file, driven through the built CLI (`listen --ui`,
// `ui`), compared with the CLI's own --json documents (made by the program in process: the documents are the point).
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli, startListen, type ListenProcess } from "../helpers/cli.js";
import { runProgram } from "../helpers/program.js";
import { startTargetServer, type TargetServer } from "../helpers/target-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import {
  STRIPE_SECRET,
  call,
  eventOf,
  openStream,
  sendStripe,
  startListenUi,
  startUi,
  stripeBody,
  stripeSdk,
  type InspectorProcess,
} from "./helpers.js";

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

let handler: TargetServer;
let listen: ListenProcess & { origin: string; token: string; url: string };
let db: string;
const ids: string[] = [];
let dir: string;

beforeAll(async () => {
  // tempDir() cleans up after each test; this folder must outlive them.
  dir = path.join(path.dirname(tempDir()), `hooktape-inspector-${process.pid}-${Date.now()}`);
  db = path.join(dir, "store.db");
  handler = await startTargetServer({ kind: "answer", status: 200, body: '{"ok":true}', headers: { "content-type": "application/json" } });
  listen = await startListenUi([handler.url + "/hooks", "--no-tunnel", "--db", db, "--secret", `stripe=${STRIPE_SECRET}`, "--max-body", "25mb"]);
  for (const [i, extra] of [{}, { amount: 3100 }, { note: "needle-in-the-body" }].entries()) {
    const response = await sendStripe(listen.ready.url, `/stripe/${i}`, stripeBody(`evt_${i}`, extra));
    expect(response.status).toBe(200);
  }
  await listen.waitForEvents(3);
  for (const record of listen.records.filter((r) => r.type === "event")) ids.push(String(record.id));
});

afterAll(async () => {
  await listen?.stop();
  await handler?.close();
  const { rmSync } = await import("node:fs");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("access: token, Host, Origin, headers", () => {
  it("listen --ui prints the inspector URL on 127.0.0.1 with a 32-byte token in its fragment, which no browser sends", () => {
    expect(listen.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#t=[A-Za-z0-9_-]{43}$/);
  });

  it("serves the page and its assets without the token and without data, never sets a cookie, and takes no cookie as a credential", async () => {
    const page = await call(listen.origin, "/");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script type="module" src="/app.js">');
    expect(page.text).not.toContain(listen.token);
    for (const route of ["/", `/?t=${listen.token}`, "/app.js", "/app.css"]) {
      const answer = await call(listen.origin, route);
      expect(answer.status, route).toBe(200);
      expect(answer.headers["set-cookie"], route).toBeUndefined();
    }
    // What the old builds set, and what any page on another port of 127.0.0.1 would have received with it.
    const cookie = `hooktape_${new URL(listen.origin).port}=${listen.token}`;
    expect((await call(listen.origin, "/api/events", { headers: { cookie } })).status).toBe(401);
    expect((await call(listen.origin, "/api/stream", { headers: { cookie } })).status).toBe(401);
    expect((await call(listen.origin, "/api/events", { token: listen.token })).status).toBe(200);
  });

  it("answers 401 to the API and the stream without the token, with a wrong one, or with it anywhere but Authorization", async () => {
    for (const route of ["/api/events", `/api/events/${ids[0]}`, `/api/events/${ids[0]}/body`, "/api/info", "/api/stream"]) {
      expect((await call(listen.origin, route)).status, route).toBe(401);
      expect((await call(listen.origin, route, { token: "x".repeat(43) })).status, route).toBe(401);
      expect((await call(listen.origin, `${route}${route.includes("?") ? "&" : "?"}t=${listen.token}`)).status, route).toBe(401);
    }
    const answer = await call(listen.origin, "/api/events");
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
    expect(answer.json<{ error: string }>().error).toMatch(/Authorization: Bearer/);
  });

  it("answers 403 to a foreign Host (DNS rebinding), stream included, and accepts localhost", async () => {
    const port = new URL(listen.origin).port;
    for (const route of ["/api/events", "/api/stream", "/"]) {
      const answer = await call(listen.origin, route, { token: listen.token, headers: { host: `evil.example:${port}` } });
      expect(answer.status, route).toBe(403);
    }
    expect((await call(listen.origin, "/api/events", { token: listen.token, headers: { host: `127.0.0.1:1${port}` } })).status).toBe(403);
    expect((await call(listen.origin, "/api/events", { token: listen.token, headers: { host: `localhost:${port}` } })).status).toBe(200);
    expect((await call(listen.origin, "/api/events", { token: listen.token, headers: { host: `[::1]:${port}` } })).status).toBe(200);
  });

  it("refuses a POST from another site's Origin, or not JSON, and sends nothing", async () => {
    const before = handler.received.length;
    const foreign = await call(listen.origin, `/api/events/${ids[0]}/replay`, {
      method: "POST",
      token: listen.token,
      headers: { origin: "http://evil.example", "content-type": "application/json" },
      body: "{}",
    });
    expect(foreign.status).toBe(403);
    const crossSite = await call(listen.origin, `/api/events/${ids[0]}/replay`, {
      method: "POST",
      token: listen.token,
      headers: { "sec-fetch-site": "cross-site", "content-type": "application/json" },
      body: "{}",
    });
    expect(crossSite.status).toBe(403);
    // A form or `fetch(..., {mode: "no-cors"})` can only send text/plain, form or multipart bodies.
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const simple = await call(listen.origin, `/api/events/${ids[0]}/replay`, { method: "POST", token: listen.token, headers: { "content-type": type }, body: "{}" });
      expect(simple.status, type).toBe(415);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handler.received.length).toBe(before);
  });

  it("sends CSP, X-Frame-Options, nosniff, no-referrer and no-store, and never a CORS header", async () => {
    const answers = [
      await call(listen.origin, "/api/events", { token: listen.token }),
      await call(listen.origin, "/"),
      await call(listen.origin, "/api/events", {}),
      await call(listen.origin, "/api/events", { method: "OPTIONS", headers: { origin: "http://evil.example", "access-control-request-method": "POST" } }),
    ];
    for (const answer of answers) {
      expect(answer.headers["content-security-policy"]).toBe(CSP);
      expect(answer.headers["x-frame-options"]).toBe("DENY");
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(answer.headers["referrer-policy"]).toBe("no-referrer");
      expect(answer.headers["cache-control"]).toBe("no-store");
      expect(Object.keys(answer.headers).filter((name) => name.startsWith("access-control-"))).toEqual([]);
    }
    expect(answers[3]?.status).not.toBe(204);
  });
});

describe("the JSON API serves the CLI's --json documents", () => {
  it("GET /api/events equals `events list --json` and pages with a cursor", async () => {
    const cli = await runProgram(["events", "list", "--json", "--limit", "0", "--db", db]);
    expect(cli.code).toBe(0);
    const all = await call(listen.origin, "/api/events", { token: listen.token });
    expect(all.status).toBe(200);
    expect(all.headers["content-type"]).toMatch(/^application\/json/);
    const page = all.json<{ events: unknown[]; next: string | null }>();
    expect(page.events).toEqual(JSON.parse(cli.stdout));
    expect(page.next).toBeNull();

    const first = (await call(listen.origin, "/api/events?limit=2", { token: listen.token })).json<{ events: Array<{ id: string }>; next: string }>();
    expect(first.events).toHaveLength(2);
    expect(first.next).toEqual(expect.any(String));
    const second = (await call(listen.origin, `/api/events?limit=2&cursor=${first.next}`, { token: listen.token })).json<{ events: Array<{ id: string }>; next: null }>();
    expect([...first.events, ...second.events].map((e) => e.id)).toEqual((JSON.parse(cli.stdout) as Array<{ id: string }>).map((e) => e.id));
    expect(second.next).toBeNull();
  });

  it("filters like `events list` and searches path, headers and body with q", async () => {
    const byBody = (await call(listen.origin, "/api/events?q=NEEDLE-in-the", { token: listen.token })).json<{ events: Array<{ id: string }> }>();
    expect(byBody.events.map((e) => e.id)).toEqual([ids[2]]);
    const byPath = (await call(listen.origin, "/api/events?q=%2Fstripe%2F1", { token: listen.token })).json<{ events: Array<{ id: string }> }>();
    expect(byPath.events.map((e) => e.id)).toEqual([ids[1]]);
    const byHeader = (await call(listen.origin, "/api/events?q=Stripe%2F1.0", { token: listen.token })).json<{ events: unknown[] }>();
    expect(byHeader.events).toHaveLength(3);
    const percent = (await call(listen.origin, "/api/events?q=%25", { token: listen.token })).json<{ events: unknown[] }>();
    expect(percent.events).toHaveLength(0);
    const cli = await runProgram(["events", "list", "--json", "--path", "/stripe/*", "--verification", "valid", "--status", "2xx", "--db", db]);
    const api = await call(listen.origin, "/api/events?path=%2Fstripe%2F*&verification=valid&status=2xx", { token: listen.token });
    expect(api.json<{ events: unknown[] }>().events).toEqual(JSON.parse(cli.stdout));
    const bad = await call(listen.origin, "/api/events?status=abc", { token: listen.token });
    expect(bad.status).toBe(400);
    expect(bad.json<{ error: string }>().error).toMatch(/Invalid --status "abc"/);
  });

  it("shows each event's type and filters by a type glob (with q too), as `events list --type` does", async () => {
    const all = (await call(listen.origin, "/api/events", { token: listen.token })).json<{ events: Array<{ eventType: string }> }>();
    expect(all.events.map((e) => e.eventType)).toEqual(["payment_intent.succeeded", "payment_intent.succeeded", "payment_intent.succeeded"]);
    const cli = await runProgram(["events", "list", "--json", "--type", "payment_intent.*", "--db", db]);
    const matching = await call(listen.origin, "/api/events?type=payment_intent.*", { token: listen.token });
    expect(matching.json<{ events: unknown[] }>().events).toEqual(JSON.parse(cli.stdout));
    expect(matching.json<{ events: unknown[] }>().events).toHaveLength(3);
    const none = await call(listen.origin, "/api/events?type=invoice.*", { token: listen.token });
    expect(none.json<{ events: unknown[] }>().events).toEqual([]);
    const searched = await call(listen.origin, "/api/events?type=payment_intent.succeeded&q=NEEDLE-in-the", { token: listen.token });
    expect(searched.json<{ events: Array<{ id: string }> }>().events.map((e) => e.id)).toEqual([ids[2]]);
  });

  it("GET /api/events/<id> equals `events show --json`; /body is the exact bytes; /fixture is what `fixtures export` writes", async () => {
    const id = ids[0] ?? "";
    const show = await runProgram(["show", id, "--json", "--db", db]);
    const detail = await call(listen.origin, `/api/events/${id}`, { token: listen.token });
    expect(detail.json()).toEqual(JSON.parse(show.stdout));

    const raw = await runProgram(["show", id, "--body", "--db", db]);
    const body = await call(listen.origin, `/api/events/${id}/body`, { token: listen.token });
    expect(body.body.equals(raw.stdoutBytes)).toBe(true);
    expect(body.text).toBe(stripeBody("evt_0"));

    const out = tempDir();
    expect((await runProgram(["fixtures", "export", id, "--dir", out, "--db", db])).code).toBe(0);
    const fixture = await call(listen.origin, `/api/events/${id}/fixture`, { token: listen.token });
    expect(fixture.text).toBe(readFileSync(path.join(out, `${id}.json`), "utf8"));

    const missing = await call(listen.origin, "/api/events/01JD3XK2ZZZZZZZZZZZZZZZZZZ", { token: listen.token });
    expect(missing.status).toBe(404);
  });

  it("POST replay with an edited body re-signs with the server's secret (stripe-node accepts it) and records the attempt", async () => {
    const id = ids[1] ?? "";
    const signing = (await call(listen.origin, `/api/events/${id}/signing`, { token: listen.token })).json();
    expect(signing).toMatchObject({ provider: "stripe", canResign: true, hint: null });
    const info = await call(listen.origin, "/api/info", { token: listen.token });
    expect(info.text).not.toContain(STRIPE_SECRET);

    const edited = stripeBody("evt_1", { amount: 9999 });
    const preview = await call(listen.origin, `/api/events/${id}/preview`, {
      method: "POST",
      token: listen.token,
      headers: { "content-type": "application/json", origin: listen.origin },
      body: JSON.stringify({ body: edited, headers: ["X-Debug: 1"], to: `${handler.url}/hooks` }),
    });
    expect(preview.status).toBe(200);
    const planned = preview.json<{ body: string; headers: Array<[string, string]>; resigned: boolean; url: string }>();
    expect(planned).toMatchObject({ body: edited, resigned: true, url: `${handler.url}/hooks` });
    expect(planned.headers).toContainEqual(["X-Debug", "1"]);
    expect(preview.text).not.toContain(STRIPE_SECRET);

    const before = handler.received.length;
    const replay = await call(listen.origin, `/api/events/${id}/replay`, {
      method: "POST",
      token: listen.token,
      headers: { "content-type": "application/json", origin: listen.origin },
      body: JSON.stringify({ body: edited, headers: ["X-Debug: 1"], to: `${handler.url}/hooks` }),
    });
    expect(replay.status).toBe(200);
    const document = replay.json<{ passed: boolean; attempts: Array<Record<string, unknown>> }>();
    expect(document).toMatchObject({ passed: true, events: 1, deliveries: 1, order: "as-captured" });
    expect(document.attempts[0]).toMatchObject({ eventId: id, attempt: 1, status: 200, error: null });

    expect(handler.received.length).toBe(before + 1);
    const received = handler.received.at(-1);
    expect(received?.body.toString()).toBe(edited);
    const header = received?.headers.find(([name]) => name.toLowerCase() === "stripe-signature")?.[1] ?? "";
    const verified = stripeSdk.webhooks.constructEvent(received?.body ?? Buffer.alloc(0), header, STRIPE_SECRET);
    expect((verified.data.object as { amount: number }).amount).toBe(9999);
    expect(received?.headers).toContainEqual(["X-Debug", "1"]);

    const show = JSON.parse((await runProgram(["show", id, "--json", "--db", db])).stdout) as { deliveries: Array<{ kind: string; status: number }> };
    expect(show.deliveries.map((d) => d.kind)).toEqual(["forward", "replay"]);
    const list = (await call(listen.origin, "/api/events", { token: listen.token })).json<{ replays: Record<string, number> }>();
    expect(list.replays).toEqual({ [id]: 1 });
  });

  it("a preview is the request the handler receives, byte for byte; Send with its id delivers exactly that", async () => {
    const id = ids[0] ?? "";
    // An edit that keeps the provider's layout (pretty-printed, non-ASCII) and changes the length.
    const edited = stripeBody("evt_0", { amount: 123456, note: "prévisualisé" });
    const options = { body: edited, headers: ["X-Debug: 1"], to: `${handler.url}/hooks` };
    const post = (action: string, body: unknown) =>
      call(listen.origin, `/api/events/${id}/${action}`, { method: "POST", token: listen.token, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answer = await post("preview", options);
    expect(answer.status).toBe(200);
    const preview = answer.json<{ previewId: string; method: string; path: string; headers: Array<[string, string]>; body: string; signedAt: string }>();
    expect(preview.headers[0]).toEqual(["host", new URL(handler.url).host]);
    expect(preview.headers.at(-1)).toEqual(["content-length", String(Buffer.byteLength(edited))]);

    const before = handler.received.length;
    expect((await post("replay", { ...options, preview: preview.previewId })).status).toBe(200);
    const received = handler.received[before];
    expect(received).toBeDefined();
    expect({ method: received?.method, path: received?.url, headers: received?.headers, body: received?.body.toString("utf8") }).toEqual({
      method: preview.method,
      path: preview.path,
      headers: preview.headers,
      body: preview.body,
    });
    expect(received?.body.equals(Buffer.from(edited))).toBe(true);
    const signature = received?.headers.find(([name]) => name === "Stripe-Signature")?.[1] ?? "";
    expect(stripeSdk.webhooks.constructEvent(received?.body ?? Buffer.alloc(0), signature, STRIPE_SECRET).id).toBe("evt_0");

    // A preview is sent only for the request it showed.
    const changed = await post("replay", { ...options, headers: ["X-Debug: 2"], preview: preview.previewId });
    expect(changed.status).toBe(409);
    expect(changed.json<{ error: string }>().error).toMatch(/changed since the preview/);
    const unknown = await post("replay", { ...options, preview: "not-a-preview" });
    expect(unknown.status).toBe(409);
    expect(handler.received.length).toBe(before + 1);
  });

  it("serves a 5 MB body byte for byte, in the detail and as /body", async () => {
    const big = JSON.stringify({ id: "evt_big", object: "event", data: { object: { items: Array.from({ length: 70_000 }, (_, i) => ({ n: i, name: `élément ${i}` })) } } }, null, 2);
    expect(big.length).toBeGreaterThan(5_000_000);
    const response = await sendStripe(listen.ready.url, "/stripe/big", big);
    expect(response.status).toBe(200);
    const page = (await call(listen.origin, "/api/events?q=%2Fstripe%2Fbig", { token: listen.token })).json<{ events: Array<{ id: string; bodySize: number }> }>();
    const id = page.events[0]?.id ?? "";
    expect(page.events[0]?.bodySize).toBe(Buffer.byteLength(big));
    const detail = (await call(listen.origin, `/api/events/${id}`, { token: listen.token })).json<{ body: string; verification: { status: string } }>();
    expect(detail.body).toBe(big);
    expect(detail.verification.status).toBe("valid");
    const raw = await call(listen.origin, `/api/events/${id}/body`, { token: listen.token });
    expect(raw.body.equals(Buffer.from(big))).toBe(true);
  });

  it("POST replay answers the same document as `replay --json`", async () => {
    const id = ids[2] ?? "";
    const cli = await runProgram(["replay", id, "--to", `${handler.url}/hooks`, "--json", "--db", db]);
    expect(cli.code).toBe(0);
    const api = await call(listen.origin, `/api/events/${id}/replay`, {
      method: "POST",
      token: listen.token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ to: `${handler.url}/hooks` }),
    });
    type Doc = { attempts: Array<Record<string, unknown>> } & Record<string, unknown>;
    const fromCli = JSON.parse(cli.stdout) as Doc;
    const fromApi = api.json<Doc>();
    const shape = (doc: Doc) => ({ keys: Object.keys(doc).sort(), attemptKeys: Object.keys(doc.attempts[0] ?? {}).sort() });
    expect(shape(fromApi)).toEqual(shape(fromCli));
    const stable = (doc: Doc) => ({ ...doc, attempts: doc.attempts.map(({ delivery, durationMs, startedAt, number, ...rest }) => rest) });
    expect(stable(fromApi)).toEqual(stable(fromCli));
    // The API's replay is the event's next one after the CLI's.
    expect(fromApi.attempts[0]?.number).toBe((fromCli.attempts[0]?.number as number) + 1);
  });

  it("`expect` judges an answer as `replay --expect` does: with 4xx expected, a 400 passes and a 404 (a wrong route) fails", async () => {
    const id = ids[0] ?? "";
    const rejecting = await startTargetServer({ kind: "answer", status: 400, body: "bad signature" });
    try {
      for (const [status, passed] of [
        [400, true],
        [404, false],
        [405, false],
      ] as const) {
        rejecting.setBehaviour({ kind: "answer", status, body: "no" });
        const api = await call(listen.origin, `/api/events/${id}/replay`, {
          method: "POST",
          token: listen.token,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ to: `${rejecting.url}/hooks`, tamper: "signature", expect: "4xx" }),
        });
        expect(api.status).toBe(200);
        expect(api.json<{ passed: boolean }>().passed, `API, ${status}`).toBe(passed);
        const cli = await runProgram(["replay", id, "--to", `${rejecting.url}/hooks`, "--tamper", "signature", "--expect", "4xx", "--json", "--db", db]);
        expect(JSON.parse(cli.stdout).passed, `CLI, ${status}`).toBe(passed);
        expect(cli.code, `CLI, ${status}`).toBe(passed ? 0 : 1);
      }
    } finally {
      await rejecting.close();
    }
  });

  it("answers a route it does not serve with a 404 naming it, an unknown event id with a 404 naming the id, and a POST to the list with a 405", async () => {
    const id = ids[0] ?? "";
    const get = (path: string, method = "GET") =>
      call(listen.origin, path, { method, token: listen.token, headers: { "content-type": "application/json", origin: listen.origin }, ...(method === "POST" ? { body: "{}" } : {}) });
    for (const [path, method, status, error] of [
      ["/api/nothing", "GET", 404, "No such API route /api/nothing"],
      [`/api/events/${id}/nothing`, "GET", 404, `No such API route GET /api/events/${id}/nothing`],
      [`/api/events/${id}/replay`, "GET", 404, `No such API route GET /api/events/${id}/replay`],
      [`/api/events/${id}/body`, "POST", 404, `No such API route POST /api/events/${id}/body`],
      ["/api/events", "POST", 405, "POST /api/events/<id>/replay replays an event"],
    ] as const) {
      const answer = await get(path, method);
      expect(answer.status, `${method} ${path}`).toBe(status);
      expect(answer.json<{ error: string }>().error).toBe(error);
    }
    for (const path of ["/api/events/01JD3XK2AAAAAAAAAAAAAAAAAA", "/api/events/01JD3XK2AAAAAAAAAAAAAAAAAA/nothing", "/api/events/01JD3XK2AAAAAAAAAAAAAAAAAA/deliveries/1/body"]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.json<{ error: string }>().error, path).toMatch(/01JD3XK2AAAAAAAAAAAAAAAAAA/);
    }
  });

  it("rejects bad replay options with 400 and a one-line reason, sending nothing", async () => {
    const before = handler.received.length;
    for (const [body, message] of [
      ['{"times":0}', /times/],
      ['{"tamper":"everything"}', /tamper/],
      ['{"expect":"ok"}', /Invalid expect "ok": expected a status \(400\) or a class \(4xx\)/],
      ['{"headers":["X-A: 1\\r\\nX-B: 2"]}', /Invalid headers "X-A": the value contains a line break/],
      ['{"set":{"data..x":1}}', /set/],
      ['{"launch":true}', /Unknown replay option "launch"/],
      ["not json", /not valid JSON/],
    ] as const) {
      const answer = await call(listen.origin, `/api/events/${ids[0]}/replay`, {
        method: "POST",
        token: listen.token,
        headers: { "content-type": "application/json" },
        body,
      });
      expect(answer.status, body).toBe(400);
      expect(answer.json<{ error: string }>().error).toMatch(message);
    }
    expect(handler.received.length).toBe(before);
  });
});

describe("the event stream", () => {
  let ui: InspectorProcess | null = null;
  afterAll(async () => {
    await ui?.stop();
  });

  it("`hooktape ui` streams an event another `hooktape listen` process records, and resumes with Last-Event-ID", async () => {
    ui = await startUi(["--db", db, "--port", "0"]);
    const stream = await openStream(ui.origin, ui.token);
    expect(stream.status).toBe(200);
    expect(stream.headers["content-type"]).toMatch(/^text\/event-stream/);
    const ready = await stream.waitFor((m) => m.event === "ready");
    expect(ready.id).toMatch(/^\d+\.\d+$/);

    const other = await startListen([handler.url, "--no-tunnel", "--db", db]);
    try {
      await sendStripe(other.ready.url, "/from-another-process", stripeBody("evt_other"));
      const arrived = await stream.waitFor((m) => m.event === "event" && eventOf(m).event.url === "/from-another-process");
      expect(arrived.id).toMatch(/^\d+\.\d+$/);
      // Its forward attempt lands a moment later: the same event again, now with the handler's answer.
      await stream.waitFor((m) => m.event === "event" && eventOf(m).event.url === "/from-another-process" && eventOf(m).event.delivery?.status === 200);
      const lastSeen = stream.messages.filter((m) => m.id !== undefined).at(-1)?.id ?? "";
      stream.close();

      // While no page is connected, two more events arrive; a reconnecting page gets exactly those.
      await sendStripe(other.ready.url, "/missed-1", stripeBody("evt_m1"));
      await sendStripe(other.ready.url, "/missed-2", stripeBody("evt_m2"));
      await other.waitForEvents(3);
      const resumed = await openStream(ui.origin, ui.token, lastSeen);
      await resumed.waitFor((m) => m.event === "ready");
      await resumed.waitFor((m) => m.event === "event" && eventOf(m).event.url === "/missed-2");
      await resumed.waitFor((m) => m.event === "event" && eventOf(m).event.url === "/missed-1");
      const urls = resumed.messages.filter((m) => m.event === "event").map((m) => eventOf(m).event.url);
      expect(new Set(urls)).toEqual(new Set(["/missed-1", "/missed-2"]));
      resumed.close();
    } finally {
      await other.stop();
    }
  });

  it("streams the attempt of a replay made through the API as a change of that event", async () => {
    const stream = await openStream(listen.origin, listen.token);
    await stream.waitFor((m) => m.event === "ready");
    const id = ids[0] ?? "";
    const replay = await call(listen.origin, `/api/events/${id}/replay`, {
      method: "POST",
      token: listen.token,
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(replay.status).toBe(200);
    const changed = await stream.waitFor((m) => m.event === "event" && eventOf(m).event.id === id);
    expect(eventOf(changed).replays).toBeGreaterThanOrEqual(1);
    stream.close();
  });
});

describe("hooktape ui", () => {
  it("without a secret says it cannot re-sign, and an edited replay is refused with the reason", async () => {
    const ui = await startUi(["--db", db, "--port", "0"], { HOOKTAPE_SECRET_STRIPE: "" });
    try {
      const id = ids[0] ?? "";
      const signing = (await call(ui.origin, `/api/events/${id}/signing`, { token: ui.token })).json();
      expect(signing).toMatchObject({ provider: "stripe", canResign: false });
      const answer = await call(ui.origin, `/api/events/${id}/replay`, {
        method: "POST",
        token: ui.token,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ set: { "data.object.amount": 1 } }),
      });
      expect(answer.status).toBe(400);
      expect(answer.json<{ error: string }>().error).toMatch(/no secret for stripe/);
    } finally {
      expect(await ui.stop()).toBe(0);
    }
  });

  it("takes port 4040 when it is free, else another and says so: two inspectors side by side on one store serve with its one token", async () => {
    const first = await startUi(["--db", db]);
    const second = await startUi(["--db", db]);
    try {
      expect(first.port).not.toBe(second.port);
      expect([first.port, second.port]).not.toContain("0");
      for (const ui of [first, second]) expect((await call(ui.origin, "/api/events?limit=1", { token: ui.token })).status).toBe(200);
      // The token belongs to the store, not to the process.
      expect(second.token).toBe(first.token);
      // Whichever did not get 4040 says which port it took instead.
      const moved = [first, second].filter((ui) => ui.port !== "4040");
      expect(moved.length).toBeGreaterThanOrEqual(1);
      for (const ui of moved) await vi.waitFor(() => expect(ui.stderr()).toContain(`port 4040 is in use, so the inspector is on ${ui.port}`));
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it("a port in use is one line and exit 3; a bad --port is exit 2", async () => {
    const busy = new URL(listen.origin).port;
    const inUse = await runCli(["ui", "--db", db, "--port", busy]);
    expect(inUse.code).toBe(3);
    expect(inUse.stderr.trim().split("\n")).toHaveLength(1);
    expect(inUse.stderr).toMatch(/in use/);
    const bad = await runProgram(["ui", "--db", db, "--port", "http"]);
    expect(bad.code).toBe(2);
  });
});
