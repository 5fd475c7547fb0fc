import http from "node:http";
import type { AddressInfo } from "node:net";

/** What the handler under test received, byte for byte. */
export interface ReceivedRequest {
  method: string;
  url: string;
  /** Raw header pairs in arrival order. */
  headers: Array<[string, string]>;
  body: Buffer;
}

export type Behaviour =
  | { kind: "answer"; status: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  | { kind: "hang" }
  | { kind: "destroy" };

export interface TargetServer {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Resolves when `count` requests have arrived (whole bodies read). */
  waitFor(count: number): Promise<void>;
  setBehaviour(behaviour: Behaviour): void;
  close(): Promise<void>;
}

/** A small handler that records what arrived and answers as told; for asserting what hooktape delivered. */
export async function startTargetServer(initial: Behaviour = { kind: "answer", status: 200, body: "ok" }): Promise<TargetServer> {
  let behaviour = initial;
  const received: ReceivedRequest[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const pairs: Array<[string, string]> = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? ""]);
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: pairs, body: Buffer.concat(chunks) });
      for (const waiter of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const current = behaviour;
      if (current.kind === "hang") {
        hanging.add(res);
        return;
      }
      if (current.kind === "destroy") {
        req.socket.destroy();
        return;
      }
      const answer = () => {
        res.writeHead(current.status, { "content-type": "text/plain", ...current.headers });
        res.end(current.body ?? "");
      };
      if (current.delayMs) setTimeout(answer, current.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    waitFor: (count) =>
      received.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    setBehaviour: (next) => {
      behaviour = next;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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
