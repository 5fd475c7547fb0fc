import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import http from "node:http";
import { createInterface } from "node:readline";
import Stripe from "stripe";
import { CLI, startListen, type ListenProcess } from "../helpers/cli.js";
import { send } from "../helpers/target-server.js";

export const STRIPE_SECRET = "whsec_test_hooktape_inspector_7c1d";
export const stripeSdk = new Stripe("sk_test_hooktape_inspector");

/** A Stripe-shaped body as Stripe sends it: pretty-printed, with non-ASCII text. */
export function stripeBody(id: string, extra: Record<string, unknown> = {}): string {
  return (
    JSON.stringify(
      {
        id,
        object: "event",
        type: "payment_intent.succeeded",
        data: { object: { id: `pi_${id}`, amount: 2000, currency: "eur", description: "Café ✓ commande 42", ...extra } },
      },
      null,
      2,
    ) + "\n"
  );
}

/** Posts a webhook to a capture URL signed with Stripe's own test helper. */
export async function sendStripe(captureUrl: string, path: string, body: string, secret = STRIPE_SECRET) {
  const signature = stripeSdk.webhooks.generateTestHeaderString({ payload: body, secret });
  return send(`${captureUrl}${path}`, {
    headers: [
      ["Content-Type", "application/json; charset=utf-8"],
      ["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"],
      ["Stripe-Signature", signature],
    ],
    body,
  });
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json<T = unknown>(): T;
}

/** One request to the inspector, with the headers given exactly (Host included when given). */
export function call(
  origin: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; token?: string } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const request = http.request(`${origin}${path}`, { method: options.method ?? "GET", headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body,
          text: body.toString("utf8"),
          json: <T,>() => JSON.parse(body.toString("utf8")) as T,
        });
      });
    });
    request.on("error", reject);
    request.end(options.body);
  });
}

export interface InspectorProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  origin: string;
  port: string;
  token: string;
  stderr(): string;
  stop(): Promise<number | null>;
}

/** The printed URL carries the token in its fragment (`/#t=<token>`); older builds put it in the query (`/?t=`). */
export function parseInspectorUrl(url: string): { origin: string; token: string } {
  const parsed = new URL(url);
  return { origin: parsed.origin, token: /^#t=(.+)$/.exec(parsed.hash)?.[1] ?? parsed.searchParams.get("t") ?? "" };
}

/** `hooktape --json ui ...`, waiting for its `{"type":"inspector"}` line. */
export async function startUi(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<InspectorProcess> {
  const child = spawn(process.execPath, [CLI, "--json", "ui", ...args], { env: { ...process.env, NO_COLOR: "1", ...env }, cwd });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ui did not start; stderr: ${stderr}`)), 20_000);
    void exited.then((code) => reject(new Error(`ui exited with ${code}; stderr: ${stderr}`)));
    lines.on("line", (line) => {
      const record = JSON.parse(line) as { type: string; url: string };
      if (record.type === "inspector") {
        clearTimeout(timer);
        resolve(record.url);
      }
    });
  });
  return {
    child,
    url,
    ...parseInspectorUrl(url),
    port: new URL(url).port,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** `listen --ui`: the listener and its inspector's address (on a free port, or the one given). */
export async function startListenUi(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  uiPort = 0,
): Promise<ListenProcess & { origin: string; token: string; url: string }> {
  const listen = await startListen([...args, "--ui", "--ui-port", String(uiPort)], env);
  const url = String((await listen.waitForRecord((record) => record.type === "inspector", 10_000)).url);
  return Object.assign(listen, { url, ...parseInspectorUrl(url) });
}

export interface StreamMessage {
  id: string | undefined;
  event: string;
  data: string;
}

export interface StreamClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  messages: StreamMessage[];
  /** Resolves with the first message (from the start) that matches. */
  waitFor(match: (message: StreamMessage) => boolean, timeoutMs?: number): Promise<StreamMessage>;
  close(): void;
}

/** An EventSource as a browser runs it: GET /api/stream, parsing `id:`, `event:` and `data:` fields. */
export function openStream(origin: string, token: string, lastEventId?: string): Promise<StreamClient> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "text/event-stream" };
    if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
    const request = http.get(`${origin}/api/stream`, { headers, agent: false }, (response) => {
      const messages: StreamMessage[] = [];
      const waiters: Array<{ match: (m: StreamMessage) => boolean; resolve: (m: StreamMessage) => void }> = [];
      let buffer = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: StreamMessage = { id: undefined, event: "message", data: "" };
          let hasData = false;
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) continue;
            const colon = line.indexOf(":");
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (field === "id") message.id = value;
            else if (field === "event") message.event = value;
            else if (field === "data") {
              message.data += (hasData ? "\n" : "") + value;
              hasData = true;
            }
          }
          if (!hasData) continue;
          messages.push(message);
          for (const waiter of waiters.filter((w) => w.match(message))) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(message);
          }
        }
      });
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        messages,
        waitFor: (match, timeoutMs = 10_000) => {
          const found = messages.find(match);
          if (found) return Promise.resolve(found);
          return new Promise((resolveWait, rejectWait) => {
            const timer = setTimeout(() => rejectWait(new Error(`no matching stream message in ${timeoutMs} ms; got ${JSON.stringify(messages)}`)), timeoutMs);
            waiters.push({
              match,
              resolve: (message) => {
                clearTimeout(timer);
                resolveWait(message);
              },
            });
          });
        },
        close: () => request.destroy(),
      });
    });
    request.on("error", (error) => {
      if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") reject(error);
    });
  });
}

export function eventOf(message: StreamMessage): { event: { id: string; url: string; delivery: { status: number | null } | null }; replays: number } {
  return JSON.parse(message.data) as { event: { id: string; url: string; delivery: { status: number | null } | null }; replays: number };
}

/** A port nobody listens on right now (bound on 0 and released): for a server that must come back on the same one. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
