// `hooktape listen` answering providers' URL-verification handshakes: the built CLI spawned as a user runs it, real
// sockets on 127.0.0.1, a real SQLite file; the requests are shaped as the providers send them. The commands that read
// the store afterwards (show, ls, replay) and a usage error run in process, through the program.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "../../src/core/types.js";
import { getProvider } from "../../src/providers/index.js";
import { CLI, mask, type ListenProcess } from "../helpers/cli.js";
import { runProgram } from "../helpers/program.js";
import { send } from "../helpers/target-server.js";
import { listenSession, sharedListen } from "../helpers/listen-session.js";
import { tempDir } from "../helpers/temp-dir.js";
import { call, startUi } from "../inspector/helpers.js";

const ZOOM_SECRET = "zoom-secret-token-e2e-not-real";
const X_SECRET = "x-consumer-secret-e2e-not-real";
const EBAY_TOKEN = "ebay-verification-token-e2e-0123456789abcdef";

const { listen, target } = listenSession();

/** A loopback URL nothing listens on: the handler is down. */
async function downHandlerUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The headers the provider's own signing code puts on this body now. */
function signedHeaders(providerId: string, secret: string, body: string): HeaderPairs {
  const out = getProvider(providerId)!.sign({
    body: Buffer.from(body),
    secret,
    timestamp: Math.floor(Date.now() / 1000),
    id: "msg_e2e",
    method: "POST",
    headers: [],
  });
  return [["Content-Type", "application/json; charset=utf-8"], ...out.headers];
}

const ZOOM_BODY = '{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}';
const SLACK_BODY = '{\n    "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",\n    "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",\n    "type": "url_verification"\n}';

function eventRecords(proc: ListenProcess): Array<Record<string, unknown>> {
  return proc.records.filter((record) => record.type === "event");
}

describe("listen answers handshakes itself (default), the handler down", () => {
  it("answers each provider's handshake as the provider expects, records it as a handshake attempt, keeps secrets out of the file", async () => {
    const db = path.join(tempDir(), "handshakes.db");
    const proc = await listen([
      await downHandlerUrl(),
      "--no-tunnel",
      "--db",
      db,
      "--secret",
      `zoom=${ZOOM_SECRET}`,
      "--secret",
      `twitter=${X_SECRET}`,
      "--verify-token",
      `ebay=${EBAY_TOKEN}`,
      "--verify-token",
      "strava=strava-verify-token",
    ]);
    const base = proc.ready.url;
    const get = (pathAndQuery: string, headers: HeaderPairs = []) => send(base + pathAndQuery, { method: "GET", headers });

    const dropbox = await get("/dropbox?challenge=abc123");
    expect([dropbox.status, dropbox.headers["content-type"], dropbox.headers["x-content-type-options"], dropbox.body.toString()]).toEqual([
      200,
      "text/plain; charset=utf-8",
      "nosniff",
      "abc123",
    ]);

    const crc = await get("/x?crc_token=crc-token-from-x_123&nonce=MTIz");
    expect(crc.headers["content-type"]).toBe("application/json");
    // openssl: printf crc-token-from-x_123 | openssl dgst -sha256 -hmac x-consumer-secret-e2e-not-real -binary | base64
    expect(JSON.parse(crc.body.toString())).toEqual({ response_token: "sha256=AUnoZN8GAQmW0KV9SR5MJtmLb7R2EyrFDfVxVy0p+e4=" });

    const meta = await get("/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock");
    expect([meta.status, meta.body.toString()]).toEqual([200, "1158201444"]);

    const strava = await get("/strava?hub.mode=subscribe&hub.challenge=15f7d1a91c1f40f8a748fd134752feb3&hub.verify_token=strava-verify-token");
    expect(JSON.parse(strava.body.toString())).toEqual({ "hub.challenge": "15f7d1a91c1f40f8a748fd134752feb3" });

    const okta = await get("/okta", [["X-Okta-Verification-Challenge", "Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg"], ["Authorization", "okta-shared-secret"]]);
    expect(okta.body.toString()).toBe('{"verification":"Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg"}');

    const ebay = await get("/ebay/notifications?challenge_code=a8f5f167f44f4964e6c998dee827110c");
    // openssl: printf '%s%s%s' <code> <token> http://127.0.0.1:<port>/ebay/notifications | openssl dgst -sha256 — the
    // endpoint is the URL called, so the port varies; the digest is checked against node's own SHA-256 of that string.
    const endpoint = `${base}/ebay/notifications`;
    const { createHash } = await import("node:crypto");
    expect(JSON.parse(ebay.body.toString())).toEqual({
      challengeResponse: createHash("sha256").update(`a8f5f167f44f4964e6c998dee827110c${EBAY_TOKEN}${endpoint}`).digest("hex"),
    });

    const slack = await send(`${base}/slack/events`, { headers: signedHeaders("slack", "slack-secret", SLACK_BODY), body: SLACK_BODY });
    expect([slack.status, slack.body.toString()]).toEqual([200, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"]);

    const zoom = await send(`${base}/zoom`, { headers: signedHeaders("zoom", ZOOM_SECRET, ZOOM_BODY), body: ZOOM_BODY });
    // openssl: printf qgg8vlvZRS6UYooatFL8Aw | openssl dgst -sha256 -hmac zoom-secret-token-e2e-not-real
    expect(JSON.parse(zoom.body.toString())).toEqual({
      plainToken: "qgg8vlvZRS6UYooatFL8Aw",
      encryptedToken: "b41344eb0ad04c5ad9c36f9c2e952c508f0dce1c30acf8046b8ecbcf17ef01ad",
    });

    const monday = await send(`${base}/monday`, { body: '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}' });
    expect(monday.body.toString()).toBe('{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}');

    await proc.waitForEvents(9);
    const records = eventRecords(proc);
    expect(records.map((record) => (record.handshake as { name: string }).name)).toEqual([
      "Dropbox/Nylas challenge",
      "X (Twitter) CRC",
      "Meta hub.challenge",
      "Strava hub.challenge",
      "Okta verification challenge",
      "eBay challenge_code",
      "Slack url_verification",
      "Zoom endpoint.url_validation",
      "monday.com challenge",
    ]);
    for (const record of records) {
      expect(record).toMatchObject({ handshake: { answeredBy: "hooktape", handler: null }, delivery: { status: 200, error: null } });
    }
    expect(records[7]).toMatchObject({ provider: "zoom", verification: { status: "valid" } });

    // events show: the request byte-exact, and what hooktape answered as an attempt of kind handshake.
    const zoomId = String(records[7]?.id);
    const show = JSON.parse((await runProgram(["show", zoomId, "--json", "--db", db])).stdout) as {
      body: string;
      deliveries: Array<Record<string, unknown>>;
    };
    expect(show.body).toBe(ZOOM_BODY);
    expect(show.deliveries).toHaveLength(1);
    expect(show.deliveries[0]).toMatchObject({ kind: "handshake", target: "hooktape", status: 200, responseBody: zoom.body.toString() });
    const list = JSON.parse((await runProgram(["ls", "--json", "--status", "2xx", "--db", db])).stdout) as unknown[];
    expect(list).toHaveLength(9);

    await proc.stop();
    // Neither the secrets nor the eBay verification token are in the file (the answers' digests are, as on the wire).
    const file = readFileSync(db);
    for (const secret of [ZOOM_SECRET, X_SECRET, EBAY_TOKEN]) expect(file.includes(secret)).toBe(false);
  });

  it("the inspector's API serves a handshake event as `events show --json` does, and it replays like any other", async () => {
    const db = path.join(tempDir(), "replay.db");
    const proc = await listen(["--no-tunnel", "--db", db]);
    await send(`${proc.ready.url}/dropbox?challenge=abc123`, { method: "GET" });
    await proc.waitForEvents(1);
    const handler = await target({ kind: "answer", status: 200, body: "abc123" });
    const replay = await runProgram(["replay", String(eventRecords(proc)[0]?.id), "--to", handler.url, "--json", "--db", db]);
    expect(replay.code).toBe(0);
    expect(handler.received[0]).toMatchObject({ method: "GET", url: "/dropbox?challenge=abc123" });
    expect(JSON.parse(replay.stdout)).toMatchObject({ attempts: [{ status: 200, error: null }] });

    const id = String(eventRecords(proc)[0]?.id);
    await proc.stop();
    const ui = await startUi(["--db", db, "--port", "0"]);
    try {
      const api = await call(ui.origin, `/api/events/${id}`, { token: ui.token });
      const show = JSON.parse((await runProgram(["show", id, "--json", "--db", db])).stdout) as { deliveries: Array<{ kind: string }> };
      expect(api.json()).toEqual(show);
      expect(show.deliveries.map((attempt) => attempt.kind)).toEqual(["handshake", "replay"]);
    } finally {
      await ui.stop();
    }
  });

  it("prints the line a person reads: what was answered", async () => {
    const db = path.join(tempDir(), "human.db");
    const child = spawn(process.execPath, [CLI, "listen", "--no-tunnel", "--db", db], { env: { ...process.env, NO_COLOR: "1" } });
    try {
      const lines = createInterface({ input: child.stdout });
      const url = await new Promise<string>((resolve) => {
        lines.on("line", (line) => {
          const local = /Local\s+(\S+)/.exec(line);
          if (local?.[1]) resolve(local[1]);
        });
      });
      const answered = new Promise<string>((resolve) => lines.on("line", (line) => line.includes("handshake") && resolve(line)));
      await send(`${url}/okta`, { method: "GET", headers: [["X-Okta-Verification-Challenge", "c1"]] });
      expect(mask(await answered)).toBe("<clock>  GET  /okta  · unverified  → 200  <n> ms  <id>  handshake: answered Okta verification challenge");
    } finally {
      child.kill("SIGKILL");
    }
  });
});

// The two handlers' answers share one forward-first listen (with the Zoom secret), each on a path of its own.
describe("listen --handshakes forward-first", () => {
  const OKTA_CHALLENGE = "Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg";
  const shared = sharedListen({
    // /okta: a handler that answers the challenge correctly; /zoom: one that answers "ok" to anything.
    handler: (request) =>
      request.url === "/okta"
        ? { status: 200, body: `{"verification":"${OKTA_CHALLENGE}"}`, headers: { "content-type": "application/json", "x-from": "handler" } }
        : { status: 200, body: "ok" },
    args: ({ handlerUrl, db }) => [handlerUrl, "--no-tunnel", "--db", db, "--handshakes", "forward-first", "--secret", `zoom=${ZOOM_SECRET}`],
  });

  it("a handler that answers correctly: its answer goes back as it was", async () => {
    const response = await send(`${shared.proc.ready.url}/okta`, { method: "GET", headers: [["X-Okta-Verification-Challenge", OKTA_CHALLENGE]] });
    expect(response.headers["x-from"]).toBe("handler");
    expect(response.body.toString()).toBe(`{"verification":"${OKTA_CHALLENGE}"}`);
    expect(shared.handler.received.filter((request) => request.url === "/okta")).toHaveLength(1);
    const record = await shared.eventAt("/okta");
    expect(record).toMatchObject({ handshake: { answeredBy: "handler", name: "Okta verification challenge" } });
    const show = JSON.parse((await runProgram(["show", String(record.id), "--json", "--db", shared.db])).stdout) as {
      deliveries: Array<{ kind: string }>;
    };
    expect(show.deliveries.map((attempt) => attempt.kind)).toEqual(["forward"]);
  });

  it("a handler that answers wrongly: hooktape's answer wins, and both attempts are recorded", async () => {
    const response = await send(`${shared.proc.ready.url}/zoom`, { headers: signedHeaders("zoom", ZOOM_SECRET, ZOOM_BODY), body: ZOOM_BODY });
    expect(JSON.parse(response.body.toString())).toEqual({
      plainToken: "qgg8vlvZRS6UYooatFL8Aw",
      encryptedToken: "b41344eb0ad04c5ad9c36f9c2e952c508f0dce1c30acf8046b8ecbcf17ef01ad",
    });
    expect(shared.handler.received.filter((request) => request.url === "/zoom").map((request) => request.body.toString())).toEqual([ZOOM_BODY]);
    const record = await shared.eventAt("/zoom");
    expect(record).toMatchObject({ handshake: { answeredBy: "hooktape", handler: { status: 200, error: null } } });
    const show = JSON.parse((await runProgram(["show", String(record.id), "--json", "--db", shared.db])).stdout) as {
      deliveries: Array<{ kind: string; target: string; status: number }>;
    };
    expect(show.deliveries.map((attempt) => [attempt.kind, attempt.status])).toEqual([
      ["forward", 200],
      ["handshake", 200],
    ]);
    expect(show.deliveries[1]?.target).toBe("hooktape");
  });
});

describe("listen --handshakes: the rest of its contract", () => {
  it("under --ack there is no waiting for the handler: hooktape answers at once, then forwards in the background", async () => {
    const handler = await target({ kind: "answer", status: 200, body: "ok", delayMs: 200 });
    const proc = await listen([handler.url, "--no-tunnel", "--db", path.join(tempDir(), "ack.db"), "--ack", "202", "--handshakes", "forward-first"]);
    const response = await send(`${proc.ready.url}/okta`, { method: "GET", headers: [["X-Okta-Verification-Challenge", "c-ack"]] });
    expect([response.status, response.body.toString()]).toEqual([200, '{"verification":"c-ack"}']);
    await proc.waitForEvents(1);
    expect(handler.received).toHaveLength(1);
    expect(eventRecords(proc)[0]).toMatchObject({ handshake: { answeredBy: "hooktape", handler: { status: 200 } } });
  });

  it("an unknown mode is a one-line usage error, exit 2", async () => {
    const run = await runProgram(["listen", "--no-tunnel", "--db", path.join(tempDir(), "bad.db"), "--handshakes", "always"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('hooktape: Unknown --handshakes "always": expected answer or forward-first (or --no-handshakes)');
  });
});

describe("listen without an answer from hooktape", () => {
  it("--no-handshakes forwards a handshake like any request", async () => {
    const handler = await target({ kind: "answer", status: 200, body: "handler-says-hi" });
    const proc = await listen([handler.url, "--no-tunnel", "--db", path.join(tempDir(), "off.db"), "--no-handshakes"]);
    const response = await send(`${proc.ready.url}/dropbox?challenge=abc123`, { method: "GET" });
    expect(response.body.toString()).toBe("handler-says-hi");
    expect(handler.received[0]?.url).toBe("/dropbox?challenge=abc123");
    await proc.waitForEvents(1);
    expect(eventRecords(proc)[0]?.handshake).toBeUndefined();
  });

  // The default mode without a Zoom secret, shared by the last two tests, each on paths of its own: /zoom's handler
  // answers 401, every other path 202.
  const shared = sharedListen({
    handler: (request) => (request.url === "/zoom" ? { status: 401, body: "no secret here either" } : { status: 202, body: "handled" }),
    args: ({ handlerUrl, db }) => [handlerUrl, "--no-tunnel", "--db", db],
    env: () => ({ HOOKTAPE_SECRET_ZOOM: "" }),
  });

  it("a handshake that needs a missing secret: one line naming the flag, then forwarded to the handler", async () => {
    const printedBefore = shared.proc.records.length;
    const response = await send(`${shared.proc.ready.url}/zoom`, { headers: signedHeaders("zoom", ZOOM_SECRET, ZOOM_BODY), body: ZOOM_BODY });
    expect([response.status, response.body.toString()]).toEqual([401, "no secret here either"]);
    expect(shared.handler.received.filter((request) => request.url === "/zoom").map((request) => request.body.toString())).toEqual([ZOOM_BODY]);
    await shared.eventAt("/zoom");
    expect(shared.proc.records.slice(printedBefore).filter((record) => record.type === "warning")).toEqual([
      {
        type: "warning",
        message:
          "Zoom endpoint.url_validation not answered: no Zoom secret token named for zoom (an unnamed --secret never answers a handshake); pass --secret zoom=<secret token> or set HOOKTAPE_SECRET_ZOOM; forwarded to the handler",
      },
    ]);
  });

  it("requests shaped like handshakes but not one are forwarded untouched", async () => {
    const receivedBefore = shared.handler.received.length;
    const base = shared.proc.ready.url;
    const slackEvent = '{"type":"event_callback","challenge":"looks-like-one","event":{"type":"message","text":"héllo wörld"}}';
    const asked = [
      await send(`${base}/search?challenge=abc&page=2`, { method: "GET" }),
      await send(`${base}/slack/events`, { headers: signedHeaders("slack", "slack-secret", slackEvent), body: slackEvent }),
      await send(`${base}/m`, { body: '{"challenge":"x","event":{"type":"create_item"}}' }),
    ];
    expect(asked.map((response) => response.status)).toEqual([202, 202, 202]);
    expect(shared.handler.received.slice(receivedBefore).map((request) => [request.method, request.url, request.body.toString()])).toEqual([
      ["GET", "/search?challenge=abc&page=2", ""],
      ["POST", "/slack/events", slackEvent],
      ["POST", "/m", '{"challenge":"x","event":{"type":"create_item"}}'],
    ]);
    const records = await Promise.all(["/search?challenge=abc&page=2", "/slack/events", "/m"].map((url) => shared.eventAt(url)));
    expect(records.map((record) => record.handshake)).toEqual([undefined, undefined, undefined]);
  });
});
