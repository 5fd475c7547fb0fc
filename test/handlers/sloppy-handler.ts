// A webhook handler written the way many are at first: it trusts the JSON without verifying any signature,
// "charges" once per delivery (no deduplication), and does its slow work before answering.
// GET /state reports the charges, for `check --probe`.
import http from "node:http";
import { serveOnLoopback } from "../helpers/target-server.js";

export interface SloppyHandler {
  url: string;
  port: number;
  charges: number;
  close(): Promise<void>;
}

export async function startSloppyHandler(options: { delayMs: number }): Promise<SloppyHandler> {
  const handler = { charges: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method === "GET" && req.url === "/state") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ charges: handler.charges }));
        return;
      }
      try {
        JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res.writeHead(400).end();
        return;
      }
      handler.charges++;
      // The slow work (an API call, an email) done before answering, instead of after.
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'), options.delayMs);
    });
  });
  return {
    ...(await serveOnLoopback(server)),
    get charges() {
      return handler.charges;
    },
  };
}
