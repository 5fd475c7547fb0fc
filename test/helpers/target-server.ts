// The suite's one HTTP test server: port 0 on 127.0.0.1, a close that drops kept-alive sockets, and a handler
// stand-in that records exactly what reached it (raw header pairs in arrival order, body bytes, arrival time) and
// answers as the test says.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pairs } from "./headers.js";

export interface Served {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Any node:http server (a handler written as its provider's docs show, a certificate host) on 127.0.0.1, port 0. */
export async function serveOnLoopback(server: http.Server): Promise<Served> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What the handler under test received, byte for byte. */
export interface ReceivedRequest {
  method: string;
  url: string;
  /** Raw header pairs in arrival order. */
  headers: Array<[string, string]>;
  body: Buffer;
  /** performance.now() when the request's body had fully arrived. */
  at: number;
}

export interface Answer {
  status: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Answer this long after the body arrived. */
  delayMs?: number;
}

/** A fixed behaviour: answer, never answer, or drop the connection. */
export type Behaviour = ({ kind: "answer" } & Answer) | { kind: "hang" } | { kind: "destroy" };

/** An answer computed from the request and its index among those received (a handler that verifies, one that fails the first n). */
export type Responder = (request: ReceivedRequest, index: number) => Answer | Promise<Answer>;

export interface TargetServer extends Served {
  received: ReceivedRequest[];
  /** Resolves when `count` requests have arrived (whole bodies read). */
  waitFor(count: number): Promise<void>;
  setBehaviour(behaviour: Behaviour | Responder): void;
}

/** A small handler that records what arrived and answers as told; for asserting what hooktape delivered. */
export async function startTargetServer(initial: Behaviour | Responder = { kind: "answer", status: 200, body: "ok" }): Promise<TargetServer> {
  let behaviour = initial;
  const received: ReceivedRequest[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: ReceivedRequest = { method: req.method ?? "", url: req.url ?? "", headers: pairs(req.rawHeaders), body: Buffer.concat(chunks), at: performance.now() };
      const index = received.push(request) - 1;
      for (const waiter of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const current = behaviour;
      if (typeof current === "function") {
        void Promise.resolve(current(request, index)).then((answer) => reply(res, answer));
        return;
      }
      if (current.kind === "hang") {
        hanging.add(res);
        return;
      }
      if (current.kind === "destroy") {
        req.socket.destroy();
        return;
      }
      reply(res, current);
    });
  });
  const served = await serveOnLoopback(server);
  return {
    ...served,
    received,
    waitFor: (count) =>
      received.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    setBehaviour: (next) => {
      behaviour = next;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      await served.close();
    },
  };
}

function reply(res: http.ServerResponse, answer: Answer): void {
  const send = () => {
    res.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers });
    res.end(answer.body ?? "");
  };
  if (answer.delayMs) setTimeout(send, answer.delayMs);
  else send();
}

/** Sends one request with undici-free plain node:http, returning status, headers and body. */
export function send(
  url: string,
  options: { method?: string; headers?: Array<[string, string]>; body?: Buffer | string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    // Raw header pairs keep order and duplicates; with them node adds no Host, so add it as a client would (unless
    // the test gives its own).
    const ownHost = (options.headers ?? []).some(([name]) => name.toLowerCase() === "host");
    const flat: string[] = ownHost ? [] : ["Host", new URL(url).host];
    for (const [name, value] of options.headers ?? []) flat.push(name, value);
    const req = http.request(url, { method: options.method ?? "POST", headers: flat, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}
