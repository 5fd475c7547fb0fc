// A handler stand-in that records exactly what reached it (raw header pairs in order, body bytes, arrival time)
// and answers whatever the test says. Listens on 127.0.0.1 port 0.
import http from "node:http";
import { serveOnLoopback } from "./serve.js";

export interface Received {
  method: string;
  url: string;
  /** Header pairs as they came off the wire, in order. */
  headers: Array<[string, string]>;
  body: Buffer;
  /** performance.now() when the request's body had fully arrived. */
  at: number;
}

export type Responder = (request: Received, index: number) => { status: number; body?: string; delayMs?: number } | Promise<{ status: number; body?: string }>;

export interface RecordingServer {
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

export function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}

export async function startRecordingServer(respond: Responder = () => ({ status: 200 })): Promise<RecordingServer> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: Received = { method: req.method ?? "", url: req.url ?? "", headers: pairs(req.rawHeaders), body: Buffer.concat(chunks), at: performance.now() };
      const index = received.push(request) - 1;
      void Promise.resolve(respond(request, index)).then((answer) => {
        const send = () => {
          res.writeHead(answer.status, { "content-type": "text/plain" });
          res.end(answer.body ?? "");
        };
        const delay = (answer as { delayMs?: number }).delayMs;
        if (delay) setTimeout(send, delay);
        else send();
      });
    });
  });
  return {
    ...(await serveOnLoopback(server)),
    received,
  };
}

export { headerOf, headerRecord } from "../helpers/headers.js";
